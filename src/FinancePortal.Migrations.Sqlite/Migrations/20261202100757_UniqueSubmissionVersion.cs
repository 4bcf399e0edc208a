using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UniqueSubmissionVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LoanSubmissions_PlatformId_Period_Version",
                table: "LoanSubmissions");

            migrationBuilder.CreateIndex(
                name: "IX_LoanSubmissions_PlatformId_Period_Version",
                table: "LoanSubmissions",
                columns: new[] { "PlatformId", "Period", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LoanSubmissions_PlatformId_Period_Version",
                table: "LoanSubmissions");

            migrationBuilder.CreateIndex(
                name: "IX_LoanSubmissions_PlatformId_Period_Version",
                table: "LoanSubmissions",
                columns: new[] { "PlatformId", "Period", "Version" });
        }
    }
}
