using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReportAsOfAndAlertHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AsOfUtc",
                table: "GeneratedReports",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "GeneratedReports",
                type: "TEXT",
                unicode: false,
                maxLength: 8,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "ThresholdsVersion",
                table: "GeneratedReports",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "AlertStateChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AlertId = table.Column<long>(type: "INTEGER", nullable: false),
                    PlatformId = table.Column<int>(type: "INTEGER", nullable: false),
                    FromState = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ToState = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OwnerName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    TimeUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertStateChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AlertStateChanges_Alerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "Alerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AlertStateChanges_AlertId_TimeUtc",
                table: "AlertStateChanges",
                columns: new[] { "AlertId", "TimeUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertStateChanges_PlatformId_TimeUtc",
                table: "AlertStateChanges",
                columns: new[] { "PlatformId", "TimeUtc" });

            // Reports made before this migration were made as of their generation time, in English.
            migrationBuilder.Sql("UPDATE GeneratedReports SET AsOfUtc = GeneratedUtc, Language = 'en';");

            // Every existing alert gets its history: raised (Open) at RaisedUtc, and its current state and owner at UpdatedUtc.
            migrationBuilder.Sql("INSERT INTO AlertStateChanges (AlertId, PlatformId, FromState, ToState, Severity, OwnerName, TimeUtc, Actor) " +
                "SELECT Id, PlatformId, NULL, 'Open', Severity, NULL, RaisedUtc, 'system' FROM Alerts;");
            migrationBuilder.Sql("INSERT INTO AlertStateChanges (AlertId, PlatformId, FromState, ToState, Severity, OwnerName, TimeUtc, Actor) " +
                "SELECT Id, PlatformId, 'Open', State, Severity, OwnerName, UpdatedUtc, 'system' FROM Alerts WHERE State <> 'Open' OR OwnerName IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertStateChanges");

            migrationBuilder.DropColumn(
                name: "AsOfUtc",
                table: "GeneratedReports");

            migrationBuilder.DropColumn(
                name: "Language",
                table: "GeneratedReports");

            migrationBuilder.DropColumn(
                name: "ThresholdsVersion",
                table: "GeneratedReports");
        }
    }
}
