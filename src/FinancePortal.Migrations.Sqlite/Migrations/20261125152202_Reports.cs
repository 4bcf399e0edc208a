using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Reports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "GeneratedReports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    ParametersJson = table.Column<string>(type: "TEXT", nullable: false),
                    DataVersionsJson = table.Column<string>(type: "TEXT", nullable: false),
                    PlatformIdsJson = table.Column<string>(type: "TEXT", nullable: false),
                    AuthorScopeIsAll = table.Column<bool>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    GeneratedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    GeneratedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    GeneratedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GeneratedReports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_GeneratedReports_GeneratedById_GeneratedUtc",
                table: "GeneratedReports",
                columns: new[] { "GeneratedById", "GeneratedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_GeneratedReports_GeneratedUtc",
                table: "GeneratedReports",
                column: "GeneratedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_GeneratedReports_Period_Kind",
                table: "GeneratedReports",
                columns: new[] { "Period", "Kind" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GeneratedReports");
        }
    }
}
