using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests.LoanTapes;

/// <summary>
/// Files of the bad-input corpus (tests/FinancePortal.UnitTests/Submissions/Corpus) through the real service and database:
/// each is refused with its edit codes (or a clear message at upload), cannot be signed, and writes no loan row.
/// </summary>
public class BadInputCorpusTests : IAsyncLifetime
{
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private static string Corpus(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FinancePortal.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Repository root not found."),
            "tests", "FinancePortal.UnitTests", "LoanTapes", "Corpus", file);
    }

    private async Task<int> LoanRowsAsync()
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await db.LoanRecords.CountAsync();
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "gbk.csv", "S05" },
        { "semicolon_separated.csv", "S07" },
        { "missing_column.csv", "S08" },
        { "row_extra_field.csv", "S11" },
        { "header_only.csv", "S12" },
        { "wrong_platform.csv", "S13" },
        { "wrong_month.csv", "S14" },
        { "duplicate_loan_ids.csv", "V02" },
        { "huge_field.csv", "V03" },
        { "impossible_dates.csv", "V06" },
        { "thousands_separators.csv", "V19" },
        { "borrower_personal_data.csv", "V20" },
        { "not_a_zip.xlsx", "S02" },
        { "encrypted.xlsx", "S03" },
        { "zip_bomb.xlsx", "S04" },
        { "empty_sheet.xlsx", "S06" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_gets_its_edit_codes_cannot_be_signed_and_writes_no_loan_row(string file, string codes)
    {
        var rowsBefore = await LoanRowsAsync();
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var service = op.Get<SubmissionService>();

        await using (var content = File.OpenRead(Corpus(file)))
        {
            var id = (await service.SubmitAsync("2026-01", file, content)).Id;
            var detail = (await service.GetAsync(id))!;

            Assert.Equal(SubmissionStatus.ErrorsToFix, detail.Submission.Status);
            Assert.Equal(codes, string.Join(",", detail.CountsByCode.Select(c => c.Code)));
            Assert.True(detail.Submission.BlockingFindings > 0);
            var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => service.SignAsync(id, "Sun Hao", true, detail.ConcurrencyStamp));
            Assert.Contains("Only a submission that is ready to sign can be signed", refused.Message);
        }

        Assert.Equal(rowsBefore, await LoanRowsAsync());
    }

    [Theory]
    [InlineData("empty.csv", "\"empty.csv\" is empty.")]
    [InlineData("wrong_file_type.txt", "\"wrong_file_type.txt\": upload the loan tape as .csv (UTF-8) or .xlsx.")]
    public async Task A_file_refused_at_upload_says_why_and_registers_nothing(string file, string message)
    {
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var service = op.Get<SubmissionService>();
        var before = (await service.GetPageAsync(new SubmissionQuery { Period = "2026-01" })).TotalCount;

        await using var content = File.OpenRead(Corpus(file));
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => service.SubmitAsync("2026-01", file, content));

        Assert.Equal(message, error.Errors["File"]);
        Assert.Equal(before, (await service.GetPageAsync(new SubmissionQuery { Period = "2026-01" })).TotalCount);
    }
}
