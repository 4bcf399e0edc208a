using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.SqlServer.Migrations
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
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: true);

            // Back-fill: every version signed before receipts existed gets a confirmation number (80 random bits from
            // NEWID(), per row, as upper-case hexadecimal: a subset of the alphabet of ConfirmationNumbers.New()).
            migrationBuilder.Sql(
                """
                UPDATE [LoanSubmissions] SET [ConfirmationNumber] = 'FP-' + LEFT(CONVERT(varchar(36), NEWID()), 4) + '-' + LEFT(CONVERT(varchar(36), NEWID()), 4) + '-' + LEFT(CONVERT(varchar(36), NEWID()), 4) + '-' + LEFT(CONVERT(varchar(36), NEWID()), 4) + '-' + LEFT(CONVERT(varchar(36), NEWID()), 4) WHERE [Version] IS NOT NULL AND [ConfirmationNumber] IS NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_LoanSubmissions_ConfirmationNumber",
                table: "LoanSubmissions",
                column: "ConfirmationNumber",
                unique: true,
                filter: "[ConfirmationNumber] IS NOT NULL");
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
