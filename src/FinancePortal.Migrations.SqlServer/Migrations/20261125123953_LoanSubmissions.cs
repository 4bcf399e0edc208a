using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class LoanSubmissions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LoanSubmissions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    Period = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    Version = table.Column<int>(type: "int", nullable: true),
                    FileName = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    FileSizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    FileSha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    UploadedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    UploadedUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CheckStartedUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    CheckedUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    RuleSetVersion = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    RowsRead = table.Column<long>(type: "bigint", nullable: false),
                    ValidRows = table.Column<long>(type: "bigint", nullable: false),
                    BlockingFindings = table.Column<int>(type: "int", nullable: false),
                    WarningFindings = table.Column<int>(type: "int", nullable: false),
                    WarningsAcknowledgedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    WarningsAcknowledgedUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    SignedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    AttestedName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    SignedUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LoanCount = table.Column<long>(type: "bigint", nullable: false),
                    OutstandingBalance = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    DefaultedBalance = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    FailureMessage = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LoanSubmissions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LoanSubmissions_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LoanRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SubmissionId = table.Column<long>(type: "bigint", nullable: false),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    Period = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    LoanId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    BorrowerRef = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ProductType = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Scenario = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    OriginationDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Principal = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    CreditLimit = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    TermMonths = table.Column<int>(type: "int", nullable: false),
                    AnnualRatePct = table.Column<decimal>(type: "decimal(7,4)", precision: 7, scale: 4, nullable: false),
                    OutstandingPrincipal = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    DaysPastDue = table.Column<int>(type: "int", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ChargeOffAmount = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    RecoveryAmount = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    FundingSource = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LoanRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LoanRecords_LoanSubmissions_SubmissionId",
                        column: x => x.SubmissionId,
                        principalTable: "LoanSubmissions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SubmissionFindings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SubmissionId = table.Column<long>(type: "bigint", nullable: false),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    Code = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    Blocking = table.Column<bool>(type: "bit", nullable: false),
                    Row = table.Column<long>(type: "bigint", nullable: true),
                    LoanId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Column = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Value = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    Message = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubmissionFindings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SubmissionFindings_LoanSubmissions_SubmissionId",
                        column: x => x.SubmissionId,
                        principalTable: "LoanSubmissions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LoanRecords_PlatformId_Period",
                table: "LoanRecords",
                columns: new[] { "PlatformId", "Period" });

            migrationBuilder.CreateIndex(
                name: "IX_LoanRecords_SubmissionId_LoanId",
                table: "LoanRecords",
                columns: new[] { "SubmissionId", "LoanId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LoanSubmissions_Period_Status",
                table: "LoanSubmissions",
                columns: new[] { "Period", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_LoanSubmissions_PlatformId_Period_Version",
                table: "LoanSubmissions",
                columns: new[] { "PlatformId", "Period", "Version" });

            migrationBuilder.CreateIndex(
                name: "IX_SubmissionFindings_SubmissionId_Code_Row",
                table: "SubmissionFindings",
                columns: new[] { "SubmissionId", "Code", "Row" });

            migrationBuilder.CreateIndex(
                name: "IX_SubmissionFindings_SubmissionId_Row",
                table: "SubmissionFindings",
                columns: new[] { "SubmissionId", "Row" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LoanRecords");

            migrationBuilder.DropTable(
                name: "SubmissionFindings");

            migrationBuilder.DropTable(
                name: "LoanSubmissions");
        }
    }
}
