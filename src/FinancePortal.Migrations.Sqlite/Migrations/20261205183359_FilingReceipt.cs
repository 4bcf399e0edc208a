using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FilingReceipt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ConfirmationNumber",
                table: "LoanSubmissions",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            // Back-fill: every version signed before receipts existed gets a confirmation number (80 random bits from
            // randomblob(), per row, as upper-case hexadecimal: a subset of the alphabet of ConfirmationNumbers.New()).
            migrationBuilder.Sql(
                """
                UPDATE "LoanSubmissions" SET "ConfirmationNumber" = 'FP-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) WHERE "Version" IS NOT NULL AND "ConfirmationNumber" IS NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_LoanSubmissions_ConfirmationNumber",
                table: "LoanSubmissions",
                column: "ConfirmationNumber",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LoanSubmissions_ConfirmationNumber",
                table: "LoanSubmissions");

            migrationBuilder.DropColumn(
                name: "ConfirmationNumber",
                table: "LoanSubmissions");
        }
    }
}
