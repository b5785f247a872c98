using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pli.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScaleAndFaults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "CompletedUtc",
                table: "DepositReceipts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CompletionLeaseUntilUtc",
                table: "DepositReceipts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "MailQueuedUtc",
                table: "DepositReceipts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MailTo",
                table: "DepositReceipts",
                type: "TEXT",
                maxLength: 320,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SharedUploads",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Length = table.Column<long>(type: "INTEGER", nullable: false),
                    Offset = table.Column<long>(type: "INTEGER", nullable: false),
                    MetadataJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SealingJson = table.Column<string>(type: "TEXT", nullable: true),
                    ContentName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Initial = table.Column<byte[]>(type: "BLOB", nullable: false),
                    PartsJson = table.Column<string>(type: "TEXT", nullable: false),
                    TailKey = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    LockToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    LockedUntilUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeletedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
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
        }
    }
}
