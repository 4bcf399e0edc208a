using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.SqlServer.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Period = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    ParametersJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    DataVersionsJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    PlatformIdsJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    AuthorScopeIsAll = table.Column<bool>(type: "bit", nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(260)", maxLength: 260, nullable: false),
                    Sha256 = table.Column<string>(type: "varchar(64)", unicode: false, maxLength: 64, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    GeneratedById = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    GeneratedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    GeneratedUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
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
