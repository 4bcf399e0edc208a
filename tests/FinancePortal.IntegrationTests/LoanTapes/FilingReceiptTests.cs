using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FinancePortal.IntegrationTests.LoanTapes;

/// <summary>The filing receipt: a confirmation number created by signing, stored on the version, readable in scope.</summary>
public class FilingReceiptTests : IAsyncLifetime
{
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<long> UploadAndCheckAsync(string period, int rows)
    {
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var service = op.Get<SubmissionService>();
        var id = (await service.SubmitAsync(period, "tape.csv", TapeFiles.Csv("JDBT", period, rows))).Id;
        return id;
    }

    private async Task<SignedVersion> SignAsync(long id)
    {
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var service = op.Get<SubmissionService>();
        return await service.SignAndIssueReceiptAsync(id, "Sun Hao", true, (await service.GetAsync(id))!.ConcurrencyStamp);
    }

    private async Task<FilingReceipt?> ReceiptAsAsync(string email, long id)
    {
        await using var user = await _portal.AsAsync(email);
        return await user.Get<SubmissionService>().GetReceiptAsync(id);
    }

    private async Task<List<(long Id, int? Version, string? Number)>> AllSubmissionsAsync()
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return (await db.LoanSubmissions.AsNoTracking().Select(s => new { s.Id, s.Version, s.ConfirmationNumber }).ToListAsync())
            .Select(s => (s.Id, s.Version, s.ConfirmationNumber)).ToList();
    }

    [Fact]
    public async Task Signing_creates_a_confirmation_number_that_the_receipt_shows_with_hash_rows_rules_signer_and_time()
    {
        var id = await UploadAndCheckAsync("2024-10", 25);
        Assert.Null(await ReceiptAsAsync(DemoUsers.Operator, id)); // not signed yet: no receipt

        var signed = await SignAsync(id);
        Assert.Equal(1, signed.Version);
        Assert.True(ConfirmationNumbers.IsWellFormed(signed.ConfirmationNumber), signed.ConfirmationNumber);

        var receipt = await ReceiptAsAsync(DemoUsers.Operator, id);
        Assert.NotNull(receipt);
        Assert.Equal(signed.ConfirmationNumber, receipt.ConfirmationNumber);
        Assert.Equal(("JDBT", "2024-10", 1, 25L, 25L, "2026.3"), (receipt.PlatformCode, receipt.Period, receipt.Version, receipt.RowsRead, receipt.ValidRows, receipt.RuleSetVersion));
        Assert.Equal(("Sun Hao", "Sun Hao"), (receipt.SignerDisplayName, receipt.AttestedName));
        Assert.Matches("^[0-9a-f]{64}$", receipt.FileSha256);
        Assert.Equal(_portal.Clock.GetUtcNow().UtcDateTime, receipt.SignedUtc, TimeSpan.FromSeconds(1));
        Assert.False(receipt.OnTime); // 2024-10 was due by 2024-11-15
        Assert.Equal(new DateOnly(2024, 11, 15), receipt.Deadline);

        // Stable: reading it again (and as a regulator) gives the same number; it is the one stored on the version.
        Assert.Equal(signed.ConfirmationNumber, (await ReceiptAsAsync(DemoUsers.RiskOfficer, id))!.ConfirmationNumber);
        Assert.Contains((id, 1, signed.ConfirmationNumber), await AllSubmissionsAsync());
    }

    [Fact]
    public async Task Every_signed_version_has_its_own_number_and_unsigned_uploads_have_none()
    {
        var first = await SignAsync(await UploadAndCheckAsync("2024-10", 25));
        var second = await SignAsync(await UploadAndCheckAsync("2024-10", 30));
        var unsigned = await UploadAndCheckAsync("2024-10", 31);

        Assert.Equal(2, second.Version);
        Assert.NotEqual(first.ConfirmationNumber, second.ConfirmationNumber);
        var all = await AllSubmissionsAsync();
        Assert.Null(all.Single(s => s.Id == unsigned).Number);
        var numbers = all.Where(s => s.Version is not null).Select(s => s.Number).ToList();
        Assert.All(numbers, n => Assert.True(ConfirmationNumbers.IsWellFormed(n), n)); // the demo data's versions too
        Assert.Equal(numbers.Count, numbers.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task The_database_refuses_a_second_version_with_the_same_number()
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        var signed = await db.LoanSubmissions.Where(s => s.Version != null).OrderBy(s => s.Id).Take(2).ToListAsync();
        signed[1].ConfirmationNumber = signed[0].ConfirmationNumber;
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Theory]
    [InlineData(DemoUsers.Operator, true)]
    [InlineData(DemoUsers.RiskOfficer, true)]
    [InlineData(DemoUsers.Reviewer, true)]
    [InlineData(DemoUsers.OperatorHbxy, false)] // another platform's operator
    [InlineData(DemoUsers.ReviewerGuangdong, false)] // JDBT is in Beijing, outside the Guangdong examiner's provinces
    public async Task The_receipt_is_readable_in_the_submissions_scope_only(string email, bool visible)
    {
        var signed = await SignAsync(await UploadAndCheckAsync("2024-10", 25));
        var id = (await AllSubmissionsAsync()).Single(s => s.Number == signed.ConfirmationNumber).Id;

        var receipt = await ReceiptAsAsync(email, id);
        Assert.Equal(visible, receipt is not null);
        await using var user = await _portal.AsAsync(email);
        Assert.Equal(visible, await user.Get<SubmissionService>().DownloadReceiptAsync(id) is not null);
    }

    [Fact]
    public async Task Downloading_the_receipt_is_audited()
    {
        var signed = await SignAsync(await UploadAndCheckAsync("2024-10", 25));
        var id = (await AllSubmissionsAsync()).Single(s => s.Number == signed.ConfirmationNumber).Id;
        await using (var regulator = await _portal.AsAsync(DemoUsers.RiskOfficer))
        {
            Assert.NotNull(await regulator.Get<SubmissionService>().DownloadReceiptAsync(id));
        }

        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        var entry = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "SubmissionReceiptDownloaded" && a.EntityId == id.ToString()).SingleAsync();
        Assert.Contains(signed.ConfirmationNumber, entry.Summary);
    }

    [Fact]
    public async Task The_migration_back_fills_a_number_on_every_version_signed_before_receipts_existed()
    {
        var unsigned = await UploadAndCheckAsync("2024-10", 25);
        await using (var system = _portal.As(UserContext.System))
        await using (var db = await system.Get<IPortalDbFactory>().CreateAsync())
        {
            var migrator = db.Database.GetService<IMigrator>();
            var migrations = db.Database.GetMigrations().ToList();
            var receipt = migrations.Single(m => m.EndsWith("_FilingReceipt", StringComparison.Ordinal));
            await migrator.MigrateAsync(migrations[migrations.IndexOf(receipt) - 1]); // back to before receipts: the column goes
            await migrator.MigrateAsync(receipt);
        }

        var all = await AllSubmissionsAsync();
        var signed = all.Where(s => s.Version is not null).ToList();
        Assert.True(signed.Count > 10, $"{signed.Count} demo versions");
        Assert.All(signed, s => Assert.True(ConfirmationNumbers.IsWellFormed(s.Number), s.Number));
        Assert.Equal(signed.Count, signed.Select(s => s.Number).Distinct(StringComparer.Ordinal).Count());
        Assert.Null(all.Single(s => s.Id == unsigned).Number);
    }
}
