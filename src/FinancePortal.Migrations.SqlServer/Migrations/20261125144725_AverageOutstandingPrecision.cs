using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AverageOutstandingPrecision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<decimal>(
                name: "Figures_AverageOutstanding",
                table: "MonthlyAggregates",
                type: "decimal(22,4)",
                precision: 22,
                scale: 4,
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "decimal(20,2)",
                oldPrecision: 20,
                oldScale: 2);

            migrationBuilder.AlterColumn<decimal>(
                name: "Figures_AverageOutstanding",
                table: "IndustryAggregates",
                type: "decimal(22,4)",
                precision: 22,
                scale: 4,
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "decimal(20,2)",
                oldPrecision: 20,
                oldScale: 2);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<decimal>(
                name: "Figures_AverageOutstanding",
                table: "MonthlyAggregates",
                type: "decimal(20,2)",
                precision: 20,
                scale: 2,
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "decimal(22,4)",
                oldPrecision: 22,
                oldScale: 4);

            migrationBuilder.AlterColumn<decimal>(
                name: "Figures_AverageOutstanding",
                table: "IndustryAggregates",
                type: "decimal(20,2)",
                precision: 20,
                scale: 2,
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "decimal(22,4)",
                oldPrecision: 22,
                oldScale: 4);
        }
    }
}
