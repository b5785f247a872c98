using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pli.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Committee : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CommitteeThreshold",
                table: "Consultations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CommitteeThreshold",
                table: "ConsultationKeys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CommitteeUnlockedBy",
                table: "ConsultationKeys",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CommitteeUnlockedUtc",
                table: "ConsultationKeys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CommitteeOpener",
                columns: table => new
                {
                    ConsultationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CommitteeOpener", x => new { x.ConsultationId, x.UserId });
                    table.ForeignKey(
                        name: "FK_CommitteeOpener_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CommitteeOpener_Consultations_ConsultationId",
                        column: x => x.ConsultationId,
                        principalTable: "Consultations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CommitteeShares",
                columns: table => new
                {
                    ConsultationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OpenerUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EncryptedShare = table.Column<byte[]>(type: "BLOB", nullable: false),
                    PresentedShare = table.Column<byte[]>(type: "BLOB", nullable: true),
                    PresentedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CommitteeShares", x => new { x.ConsultationId, x.OpenerUserId });
                    table.ForeignKey(
                        name: "FK_CommitteeShares_AspNetUsers_OpenerUserId",
                        column: x => x.OpenerUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CommitteeShares_Consultations_ConsultationId",
                        column: x => x.ConsultationId,
                        principalTable: "Consultations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "OpenerKeys",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PublicKeyDer = table.Column<byte[]>(type: "BLOB", nullable: false),
                    EncryptedPrivateKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PassphraseChangedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenerKeys", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_OpenerKeys_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CommitteeOpener_UserId",
                table: "CommitteeOpener",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_CommitteeShares_OpenerUserId",
                table: "CommitteeShares",
                column: "OpenerUserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CommitteeOpener");

            migrationBuilder.DropTable(
                name: "CommitteeShares");

            migrationBuilder.DropTable(
                name: "OpenerKeys");

            migrationBuilder.DropColumn(
                name: "CommitteeThreshold",
                table: "Consultations");

            migrationBuilder.DropColumn(
                name: "CommitteeThreshold",
                table: "ConsultationKeys");

            migrationBuilder.DropColumn(
                name: "CommitteeUnlockedBy",
                table: "ConsultationKeys");

            migrationBuilder.DropColumn(
                name: "CommitteeUnlockedUtc",
                table: "ConsultationKeys");
        }
    }
}
