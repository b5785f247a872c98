using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Pli.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PortalFullText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Consultations_SearchText_trgm",
                table: "Consultations");

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "Consultations",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('simple'::regconfig, regexp_replace(\"SearchText\", '[^a-z0-9]+', ' ', 'g'))",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_Consultations_SearchVector",
                table: "Consultations",
                column: "SearchVector")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Consultations_SearchVector",
                table: "Consultations");

            migrationBuilder.DropColumn(
                name: "SearchVector",
                table: "Consultations");

            migrationBuilder.CreateIndex(
                name: "IX_Consultations_SearchText_trgm",
                table: "Consultations",
                column: "SearchText")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }
    }
}
