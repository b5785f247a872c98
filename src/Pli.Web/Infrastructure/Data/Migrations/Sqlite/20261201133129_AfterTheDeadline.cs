using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pli.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AfterTheDeadline : Migration
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

            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "AuditEntries",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "AuditEntries",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "AuditEntries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditChainHeads",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditChainHeads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AwardDecisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConsultationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LotNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    CompanyIdList = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    AmountHt = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    DecisionDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DecidedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LettersSentUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AwardDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AwardDecisions_Consultations_ConsultationId",
                        column: x => x.ConsultationId,
                        principalTable: "Consultations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

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

            migrationBuilder.CreateTable(
                name: "OpeningSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConsultationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "EssentialData",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AwardId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConsultationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AcheteurSiret = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    MarcheId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Nature = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Techniques = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ModalitesExecution = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    MarcheInnovant = table.Column<bool>(type: "INTEGER", nullable: false),
                    Ccag = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OffresRecues = table.Column<int>(type: "INTEGER", nullable: false),
                    AttributionAvance = table.Column<bool>(type: "INTEGER", nullable: false),
                    TauxAvance = table.Column<decimal>(type: "TEXT", precision: 5, scale: 4, nullable: true),
                    TypeGroupement = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Procedure = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LieuCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    LieuTypeCode = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    DureeMois = table.Column<int>(type: "INTEGER", nullable: false),
                    DateNotification = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DatePublication = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    TypesPrix = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    FormePrix = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SousTraitanceDeclaree = table.Column<bool>(type: "INTEGER", nullable: false),
                    ConsiderationsSociales = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ConsiderationsEnvironnementales = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PublishedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EssentialData", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EssentialData_AwardDecisions_AwardId",
                        column: x => x.AwardId,
                        principalTable: "AwardDecisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "OpeningActs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DepositId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Envelope = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    LotNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    LotKey = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    OfReplacedPli = table.Column<bool>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ActId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DepositFileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CheckedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    AlterationCode = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ComputedSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ComputedLength = table.Column<long>(type: "INTEGER", nullable: false),
                    ScanVerdict = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ScanSignature = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ScanDetail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
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

            migrationBuilder.InsertData(
                table: "AuditChainHeads",
                columns: new[] { "Id", "LastHash", "LastSequence", "UpdatedUtc" },
                values: new object[] { 1, "0000000000000000000000000000000000000000000000000000000000000000", 0L, new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc) });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Sequence",
                table: "AuditEntries",
                column: "Sequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AwardDecisions_ConsultationId_LotNumber",
                table: "AwardDecisions",
                columns: new[] { "ConsultationId", "LotNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CommitteeOpener_UserId",
                table: "CommitteeOpener",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_CommitteeShares_OpenerUserId",
                table: "CommitteeShares",
                column: "OpenerUserId");

            migrationBuilder.CreateIndex(
                name: "IX_EssentialData_AcheteurSiret_DateNotification",
                table: "EssentialData",
                columns: new[] { "AcheteurSiret", "DateNotification" });

            migrationBuilder.CreateIndex(
                name: "IX_EssentialData_AwardId",
                table: "EssentialData",
                column: "AwardId",
                unique: true);

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
                name: "AuditChainHeads");

            migrationBuilder.DropTable(
                name: "CommitteeOpener");

            migrationBuilder.DropTable(
                name: "CommitteeShares");

            migrationBuilder.DropTable(
                name: "EssentialData");

            migrationBuilder.DropTable(
                name: "OpenedFileChecks");

            migrationBuilder.DropTable(
                name: "OpenerKeys");

            migrationBuilder.DropTable(
                name: "AwardDecisions");

            migrationBuilder.DropTable(
                name: "OpeningActs");

            migrationBuilder.DropTable(
                name: "OpeningSessions");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Sequence",
                table: "AuditEntries");

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

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "AuditEntries");
        }
    }
}
