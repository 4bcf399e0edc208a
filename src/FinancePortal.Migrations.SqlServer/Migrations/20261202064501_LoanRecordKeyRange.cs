using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class LoanRecordKeyRange : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "FirstLoanRecordId",
                table: "LoanSubmissions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastLoanRecordId",
                table: "LoanSubmissions",
                type: "bigint",
                nullable: true);

            // Versions signed before this migration: the exact bounds of their rows.
            migrationBuilder.Sql("UPDATE [LoanSubmissions] SET [FirstLoanRecordId] = (SELECT MIN(r.[Id]) FROM [LoanRecords] AS r WHERE r.[SubmissionId] = [LoanSubmissions].[Id]), [LastLoanRecordId] = (SELECT MAX(r.[Id]) FROM [LoanRecords] AS r WHERE r.[SubmissionId] = [LoanSubmissions].[Id]);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FirstLoanRecordId",
                table: "LoanSubmissions");

            migrationBuilder.DropColumn(
                name: "LastLoanRecordId",
                table: "LoanSubmissions");
        }
    }
}
