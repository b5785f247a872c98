using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pli.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Opening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OpeningSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ConsultationId = table.Column<Guid>(type: "uuid", nullable: false),
                    StartedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpeningSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OpeningSessions_Consultations_ConsultationId",
                        column: x => x.ConsultationId,
                        principalTable: "Consultations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "OpeningActs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    DepositId = table.Column<Guid>(type: "uuid", nullable: false),
                    Envelope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    LotNumber = table.Column<int>(type: "integer", nullable: true),
                    LotKey = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    OfReplacedPli = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpeningActs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OpeningActs_Deposits_DepositId",
                        column: x => x.DepositId,
                        principalTable: "Deposits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OpeningActs_OpeningSessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "OpeningSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OpenedFileChecks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ActId = table.Column<Guid>(type: "uuid", nullable: false),
                    DepositFileId = table.Column<Guid>(type: "uuid", nullable: false),
                    CheckedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    AlterationCode = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ComputedSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ComputedLength = table.Column<long>(type: "bigint", nullable: false),
                    ScanVerdict = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ScanSignature = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ScanDetail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenedFileChecks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OpenedFileChecks_DepositFiles_DepositFileId",
                        column: x => x.DepositFileId,
                        principalTable: "DepositFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OpenedFileChecks_OpeningActs_ActId",
                        column: x => x.ActId,
                        principalTable: "OpeningActs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OpenedFileChecks_ActId",
                table: "OpenedFileChecks",
                column: "ActId");

            migrationBuilder.CreateIndex(
                name: "IX_OpenedFileChecks_DepositFileId",
                table: "OpenedFileChecks",
                column: "DepositFileId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OpeningActs_DepositId",
                table: "OpeningActs",
                column: "DepositId");

            migrationBuilder.CreateIndex(
                name: "IX_OpeningActs_SessionId_DepositId_Envelope_LotKey",
                table: "OpeningActs",
                columns: new[] { "SessionId", "DepositId", "Envelope", "LotKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OpeningSessions_ConsultationId",
                table: "OpeningSessions",
                column: "ConsultationId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OpenedFileChecks");

            migrationBuilder.DropTable(
                name: "OpeningActs");

            migrationBuilder.DropTable(
                name: "OpeningSessions");
        }
    }
}
