using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DecisionGovernance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "JobTitle",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Conditions",
                table: "AccessApplications",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<bool>(
                name: "IsOverride",
                table: "AccessApplications",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Officials",
                table: "AccessApplications",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<DateTime>(
                name: "OverrideConfirmedUtc",
                table: "AccessApplications",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OverrideJustification",
                table: "AccessApplications",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingDecision",
                table: "AccessApplications",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecommendedDecision",
                table: "AccessApplications",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccessApplications_IsOverride_DecidedUtc",
                table: "AccessApplications",
                columns: new[] { "IsOverride", "DecidedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AccessApplications_IsOverride_DecidedUtc",
                table: "AccessApplications");

            migrationBuilder.DropColumn(
                name: "JobTitle",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "Conditions",
                table: "AccessApplications");

            migrationBuilder.DropColumn(
                name: "IsOverride",
                table: "AccessApplications");

            migrationBuilder.DropColumn(
                name: "Officials",
                table: "AccessApplications");

            migrationBuilder.DropColumn(
                name: "OverrideConfirmedUtc",
                table: "AccessApplications");

            migrationBuilder.DropColumn(
                name: "OverrideJustification",
                table: "AccessApplications");

            migrationBuilder.DropColumn(
                name: "PendingDecision",
                table: "AccessApplications");

            migrationBuilder.DropColumn(
                name: "RecommendedDecision",
                table: "AccessApplications");
        }
    }
}
