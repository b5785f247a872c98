using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pli.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PlaceOfExecutionKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PlaceKey",
                table: "Consultations",
                type: "TEXT",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            // Consultations saved before the column: lower case only (SQL cannot fold accents as .NET does);
            // each gets its exact key again the next time its place is saved.
            migrationBuilder.Sql("UPDATE \"Consultations\" SET \"PlaceKey\" = lower(replace(\"PlaceOfExecution\", '-', ' '))");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PlaceKey",
                table: "Consultations");
        }
    }
}
