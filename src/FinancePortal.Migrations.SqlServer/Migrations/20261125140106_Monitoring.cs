using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Monitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Alerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    Rule = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Period = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    Severity = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    State = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Value = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false),
                    Limit = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false),
                    ThresholdsVersion = table.Column<int>(type: "int", nullable: false),
                    SubmissionId = table.Column<long>(type: "bigint", nullable: true),
                    Message = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    RaisedUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    OwnerId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    OwnerName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Alerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Alerts_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AlertThresholds",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Version = table.Column<int>(type: "int", nullable: false),
                    DefaultRateLimitPct = table.Column<decimal>(type: "decimal(7,2)", precision: 7, scale: 2, nullable: false),
                    Par30LimitPct = table.Column<decimal>(type: "decimal(7,2)", precision: 7, scale: 2, nullable: false),
                    DefaultRateJumpPp = table.Column<decimal>(type: "decimal(7,2)", precision: 7, scale: 2, nullable: false),
                    MissingAfterDays = table.Column<int>(type: "int", nullable: false),
                    MinOwnShareCoLentPct = table.Column<decimal>(type: "decimal(7,2)", precision: 7, scale: 2, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    CreatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertThresholds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IndustryAggregates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Period = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    ProductType = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Platforms = table.Column<int>(type: "int", nullable: false),
                    Peers = table.Column<int>(type: "int", nullable: false),
                    MedianDefaultRate = table.Column<decimal>(type: "decimal(18,10)", precision: 18, scale: 10, nullable: true),
                    MedianPar30 = table.Column<decimal>(type: "decimal(18,10)", precision: 18, scale: 10, nullable: true),
                    MedianNetChargeOffRate = table.Column<decimal>(type: "decimal(18,10)", precision: 18, scale: 10, nullable: true),
                    BuiltUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Figures_Abs = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_ActiveLoans = table.Column<long>(type: "bigint", nullable: false),
                    Figures_AverageOutstanding = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_BankCoLending = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_ChargeOffs = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Defaulted = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Doubtful = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Dpd30 = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Dpd60 = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Dpd90 = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Loans = table.Column<long>(type: "bigint", nullable: false),
                    Figures_Loss = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Originated = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_OtherFunding = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_OtherInstitution = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Outstanding = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_OwnFunds = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Recoveries = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_SpecialMention = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Substandard = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IndustryAggregates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MetricsRebuildJobs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    Period = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    SubmissionId = table.Column<long>(type: "bigint", nullable: false),
                    RequestedUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ClaimedUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    CompletedUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    LastError = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MetricsRebuildJobs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MetricsRebuildJobs_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MonthlyAggregates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    Period = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    ProductType = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    SubmissionId = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false),
                    BuiltUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Figures_Abs = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_ActiveLoans = table.Column<long>(type: "bigint", nullable: false),
                    Figures_AverageOutstanding = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_BankCoLending = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_ChargeOffs = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Defaulted = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Doubtful = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Dpd30 = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Dpd60 = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Dpd90 = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Loans = table.Column<long>(type: "bigint", nullable: false),
                    Figures_Loss = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Originated = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_OtherFunding = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_OtherInstitution = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Outstanding = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_OwnFunds = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Recoveries = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_SpecialMention = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    Figures_Substandard = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonthlyAggregates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MonthlyAggregates_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PeerRanks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    Period = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    ProductType = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    DefaultRate = table.Column<decimal>(type: "decimal(18,10)", precision: 18, scale: 10, nullable: true),
                    DefaultRatePercentile = table.Column<decimal>(type: "decimal(7,2)", precision: 7, scale: 2, nullable: true),
                    Par30 = table.Column<decimal>(type: "decimal(18,10)", precision: 18, scale: 10, nullable: true),
                    Par30Percentile = table.Column<decimal>(type: "decimal(7,2)", precision: 7, scale: 2, nullable: true),
                    NetChargeOffRate = table.Column<decimal>(type: "decimal(18,10)", precision: 18, scale: 10, nullable: true),
                    NetChargeOffPercentile = table.Column<decimal>(type: "decimal(7,2)", precision: 7, scale: 2, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PeerRanks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PeerRanks_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RollRateCells",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    Period = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    ProductType = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    From = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    To = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Loans = table.Column<long>(type: "bigint", nullable: false),
                    Balance = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RollRateCells", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RollRateCells_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "VintageCells",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    ProductType = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Cohort = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    Period = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    Originated = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false),
                    NewlyDefaulted = table.Column<decimal>(type: "decimal(20,2)", precision: 20, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VintageCells", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VintageCells_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "WatchList",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    AddedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    AddedUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    RemovedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    RemovedUtc = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WatchList", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WatchList_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SupervisoryActions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    AlertId = table.Column<long>(type: "bigint", nullable: true),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    DueDate = table.Column<DateOnly>(type: "date", nullable: true),
                    ActorId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    ActorName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisoryActions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupervisoryActions_Alerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "Alerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupervisoryActions_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_PlatformId_Rule_Period",
                table: "Alerts",
                columns: new[] { "PlatformId", "Rule", "Period" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_State_RaisedUtc",
                table: "Alerts",
                columns: new[] { "State", "RaisedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertThresholds_Version",
                table: "AlertThresholds",
                column: "Version",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IndustryAggregates_Period_ProductType",
                table: "IndustryAggregates",
                columns: new[] { "Period", "ProductType" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MetricsRebuildJobs_CompletedUtc_RequestedUtc",
                table: "MetricsRebuildJobs",
                columns: new[] { "CompletedUtc", "RequestedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_MetricsRebuildJobs_PlatformId",
                table: "MetricsRebuildJobs",
                column: "PlatformId");

            migrationBuilder.CreateIndex(
                name: "IX_MonthlyAggregates_Period_ProductType",
                table: "MonthlyAggregates",
                columns: new[] { "Period", "ProductType" });

            migrationBuilder.CreateIndex(
                name: "IX_MonthlyAggregates_PlatformId_Period_ProductType",
                table: "MonthlyAggregates",
                columns: new[] { "PlatformId", "Period", "ProductType" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PeerRanks_Period_ProductType_PlatformId",
                table: "PeerRanks",
                columns: new[] { "Period", "ProductType", "PlatformId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PeerRanks_PlatformId",
                table: "PeerRanks",
                column: "PlatformId");

            migrationBuilder.CreateIndex(
                name: "IX_RollRateCells_Period",
                table: "RollRateCells",
                column: "Period");

            migrationBuilder.CreateIndex(
                name: "IX_RollRateCells_PlatformId_Period_ProductType",
                table: "RollRateCells",
                columns: new[] { "PlatformId", "Period", "ProductType" });

            migrationBuilder.CreateIndex(
                name: "IX_SupervisoryActions_AlertId",
                table: "SupervisoryActions",
                column: "AlertId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisoryActions_PlatformId_CreatedUtc",
                table: "SupervisoryActions",
                columns: new[] { "PlatformId", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_VintageCells_Cohort_Period",
                table: "VintageCells",
                columns: new[] { "Cohort", "Period" });

            migrationBuilder.CreateIndex(
                name: "IX_VintageCells_PlatformId_Period_ProductType",
                table: "VintageCells",
                columns: new[] { "PlatformId", "Period", "ProductType" });

            migrationBuilder.CreateIndex(
                name: "IX_WatchList_PlatformId_RemovedUtc",
                table: "WatchList",
                columns: new[] { "PlatformId", "RemovedUtc" });

            // Supervisory actions and threshold versions are records: the database refuses changes too.
            foreach (var table in new[] { "SupervisoryActions", "AlertThresholds" })
            {
                migrationBuilder.Sql(
                    $"EXEC(N'CREATE TRIGGER [dbo].[TR_{table}_AppendOnly] ON [dbo].[{table}] INSTEAD OF UPDATE, DELETE AS " +
                    $"BEGIN SET NOCOUNT ON; THROW 51000, N''{table} is append-only.'', 1; END');");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "SupervisoryActions", "AlertThresholds" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS [dbo].[TR_{table}_AppendOnly];");
            }

            migrationBuilder.DropTable(
                name: "AlertThresholds");

            migrationBuilder.DropTable(
                name: "IndustryAggregates");

            migrationBuilder.DropTable(
                name: "MetricsRebuildJobs");

            migrationBuilder.DropTable(
                name: "MonthlyAggregates");

            migrationBuilder.DropTable(
                name: "PeerRanks");

            migrationBuilder.DropTable(
                name: "RollRateCells");

            migrationBuilder.DropTable(
                name: "SupervisoryActions");

            migrationBuilder.DropTable(
                name: "VintageCells");

            migrationBuilder.DropTable(
                name: "WatchList");

            migrationBuilder.DropTable(
                name: "Alerts");
        }
    }
}
