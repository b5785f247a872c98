using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Pli.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ScaleAndFaults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.AddColumn<DateTime>(
                name: "CompletedUtc",
                table: "DepositReceipts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CompletionLeaseUntilUtc",
                table: "DepositReceipts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "MailQueuedUtc",
                table: "DepositReceipts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MailTo",
                table: "DepositReceipts",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SharedUploads",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OwnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    Offset = table.Column<long>(type: "bigint", nullable: false),
                    MetadataJson = table.Column<string>(type: "text", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CompletedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SealingJson = table.Column<string>(type: "text", nullable: true),
                    ContentName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Initial = table.Column<byte[]>(type: "bytea", nullable: false),
                    PartsJson = table.Column<string>(type: "text", nullable: false),
                    TailKey = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    LockToken = table.Column<Guid>(type: "uuid", nullable: true),
                    LockedUntilUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DeletedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SharedUploads", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DepositReceipts_CompletedUtc_IssuedUtc",
                table: "DepositReceipts",
                columns: new[] { "CompletedUtc", "IssuedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Consultations_PlaceKey_trgm",
                table: "Consultations",
                column: "PlaceKey")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Consultations_SearchText_trgm",
                table: "Consultations",
                column: "SearchText")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_SharedUploads_ExpiresUtc",
                table: "SharedUploads",
                column: "ExpiresUtc");

            // Receipts issued before this migration were mailed by their request: never again. Those stamped are
            // complete; those whose authority was down get their token from the completion job.
            migrationBuilder.Sql("UPDATE \"DepositReceipts\" SET \"MailQueuedUtc\" = \"IssuedUtc\"");
            migrationBuilder.Sql("UPDATE \"DepositReceipts\" SET \"CompletedUtc\" = \"IssuedUtc\" WHERE \"TimestampResponse\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "SharedUploads");

            migrationBuilder.DropIndex(
                name: "IX_DepositReceipts_CompletedUtc_IssuedUtc",
                table: "DepositReceipts");

            migrationBuilder.DropIndex(
                name: "IX_Consultations_PlaceKey_trgm",
                table: "Consultations");

            migrationBuilder.DropIndex(
                name: "IX_Consultations_SearchText_trgm",
                table: "Consultations");

            migrationBuilder.DropColumn(
                name: "CompletedUtc",
                table: "DepositReceipts");

            migrationBuilder.DropColumn(
                name: "CompletionLeaseUntilUtc",
                table: "DepositReceipts");

            migrationBuilder.DropColumn(
                name: "MailQueuedUtc",
                table: "DepositReceipts");

            migrationBuilder.DropColumn(
                name: "MailTo",
                table: "DepositReceipts");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
