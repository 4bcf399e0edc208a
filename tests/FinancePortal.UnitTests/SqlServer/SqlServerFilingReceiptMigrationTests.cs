using FinancePortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FinancePortal.UnitTests.SqlServer;

public class SqlServerFilingReceiptMigrationTests
{
    [Fact]
    public void FilingReceipt_back_fills_with_per_row_random_numbers_before_the_unique_filtered_index_and_parses()
    {
        using var db = new PortalDbContext(new SqlServerCapture().Options());
        var migrations = db.Database.GetMigrations().ToList();
        var receipt = migrations.Single(m => m.EndsWith("_FilingReceipt", StringComparison.Ordinal));
        var script = db.GetService<IMigrator>().GenerateScript(migrations[migrations.IndexOf(receipt) - 1], receipt, MigrationsSqlGenerationOptions.Idempotent);

        var update = script.IndexOf("UPDATE [LoanSubmissions] SET [ConfirmationNumber]", StringComparison.Ordinal);
        var index = script.IndexOf("CREATE UNIQUE INDEX [IX_LoanSubmissions_ConfirmationNumber]", StringComparison.Ordinal);
        Assert.True(update > 0 && index > update, script);
        Assert.Contains("NEWID()", script);
        Assert.Contains("WHERE [ConfirmationNumber] IS NOT NULL", script);
        var errors = TSql.Parse(script);
        Assert.True(errors.Count == 0, TSql.Describe(errors));
    }
}
