using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pli.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Award : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateIndex(
                name: "IX_AwardDecisions_ConsultationId_LotNumber",
                table: "AwardDecisions",
                columns: new[] { "ConsultationId", "LotNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EssentialData_AcheteurSiret_DateNotification",
                table: "EssentialData",
                columns: new[] { "AcheteurSiret", "DateNotification" });

            migrationBuilder.CreateIndex(
                name: "IX_EssentialData_AwardId",
                table: "EssentialData",
                column: "AwardId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EssentialData");

            migrationBuilder.DropTable(
                name: "AwardDecisions");
        }
    }
}
