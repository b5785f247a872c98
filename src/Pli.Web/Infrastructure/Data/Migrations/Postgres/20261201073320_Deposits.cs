using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pli.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Deposits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConsultationKeys",
                columns: table => new
                {
                    ConsultationId = table.Column<Guid>(type: "uuid", nullable: false),
                    KeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PublicKeyDer = table.Column<byte[]>(type: "bytea", nullable: false),
                    EncryptedPrivateKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsultationKeys", x => x.ConsultationId);
                    table.ForeignKey(
                        name: "FK_ConsultationKeys_Consultations_ConsultationId",
                        column: x => x.ConsultationId,
                        principalTable: "Consultations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Deposits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ConsultationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CompanyId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Mode = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    CandidatureType = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    LotNumbers = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SealedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    TransmissionStartedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    IsLate = table.Column<bool>(type: "boolean", nullable: false),
                    TermsAcceptedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    BackupCopyDeclaredUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    WithdrawnUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Deposits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Deposits_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Deposits_Consultations_ConsultationId",
                        column: x => x.ConsultationId,
                        principalTable: "Consultations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DepositFiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DepositId = table.Column<Guid>(type: "uuid", nullable: false),
                    Envelope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    LotNumber = table.Column<int>(type: "integer", nullable: true),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    UploadId = table.Column<Guid>(type: "uuid", nullable: false),
                    TransmissionStartedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReceivedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DepositFiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DepositFiles_Deposits_DepositId",
                        column: x => x.DepositId,
                        principalTable: "Deposits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DepositReceipts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DepositId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    IssuedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TimestampResponse = table.Column<byte[]>(type: "bytea", nullable: true),
                    TimestampGenTimeUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    TimestampSerial = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    TimestampAuthority = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DepositReceipts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DepositReceipts_Deposits_DepositId",
                        column: x => x.DepositId,
                        principalTable: "Deposits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "GroupMember",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DepositId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Siret = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GroupMember", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GroupMember_Deposits_DepositId",
                        column: x => x.DepositId,
                        principalTable: "Deposits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DepositFiles_DepositId",
                table: "DepositFiles",
                column: "DepositId");

            migrationBuilder.CreateIndex(
                name: "IX_DepositFiles_UploadId",
                table: "DepositFiles",
                column: "UploadId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DepositReceipts_DepositId_Kind",
                table: "DepositReceipts",
                columns: new[] { "DepositId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Deposits_CompanyId",
                table: "Deposits",
                column: "CompanyId");

            migrationBuilder.CreateIndex(
                name: "IX_Deposits_ConsultationId_CompanyId_Status",
                table: "Deposits",
                columns: new[] { "ConsultationId", "CompanyId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Deposits_Number",
                table: "Deposits",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GroupMember_DepositId",
                table: "GroupMember",
                column: "DepositId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConsultationKeys");

            migrationBuilder.DropTable(
                name: "DepositFiles");

            migrationBuilder.DropTable(
                name: "DepositReceipts");

            migrationBuilder.DropTable(
                name: "GroupMember");

            migrationBuilder.DropTable(
                name: "Deposits");
        }
    }
}
