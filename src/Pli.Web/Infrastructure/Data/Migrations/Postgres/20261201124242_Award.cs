using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pli.Web.Infrastructure.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ConsultationId = table.Column<Guid>(type: "uuid", nullable: false),
                    LotNumber = table.Column<int>(type: "integer", nullable: false),
                    CompanyIdList = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    AmountHt = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    DecisionDate = table.Column<DateOnly>(type: "date", nullable: false),
                    DecidedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DecidedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    LettersSentUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AwardId = table.Column<Guid>(type: "uuid", nullable: false),
                    ConsultationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    AcheteurSiret = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    MarcheId = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Nature = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Techniques = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    ModalitesExecution = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    MarcheInnovant = table.Column<bool>(type: "boolean", nullable: false),
                    Ccag = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    OffresRecues = table.Column<int>(type: "integer", nullable: false),
                    AttributionAvance = table.Column<bool>(type: "boolean", nullable: false),
                    TauxAvance = table.Column<decimal>(type: "numeric(5,4)", precision: 5, scale: 4, nullable: true),
                    TypeGroupement = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Procedure = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LieuCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    LieuTypeCode = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    DureeMois = table.Column<int>(type: "integer", nullable: false),
                    DateNotification = table.Column<DateOnly>(type: "date", nullable: false),
                    DatePublication = table.Column<DateOnly>(type: "date", nullable: false),
                    TypesPrix = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    FormePrix = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SousTraitanceDeclaree = table.Column<bool>(type: "boolean", nullable: false),
                    ConsiderationsSociales = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ConsiderationsEnvironnementales = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PublishedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
