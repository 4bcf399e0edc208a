using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.LoanTapes;

/// <summary>Upload, edits, confirmation, attestation and versioned commit, through the service over a real SQLite file.</summary>
public class SubmissionPipelineTests : IAsyncLifetime
{
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<long> UploadAndCheckAsync(string period, MemoryStream csv, string email = DemoUsers.Operator, string name = "tape.csv")
    {
        await using var op = await _portal.AsAsync(email);
        var service = op.Get<SubmissionService>();
        var id = (await service.SubmitAsync(period, name, csv)).Id;
        return id;
    }

    private async Task<SubmissionDetail> DetailAsync(long id, string email = DemoUsers.Operator)
    {
        await using var user = await _portal.AsAsync(email);
        return (await user.Get<SubmissionService>().GetAsync(id))!;
    }

    private async Task<int> RowsAsync(long submissionId)
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await db.LoanRecords.CountAsync(r => r.SubmissionId == submissionId);
    }

    [Fact]
    public async Task A_clean_file_is_ready_to_sign_and_signing_commits_version_1_then_a_resubmission_becomes_version_2()
    {
        var first = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("JDBT", "2024-10", 25));
        var detail = await DetailAsync(first);
        Assert.Equal(SubmissionStatus.ReadyToSign, detail.Submission.Status);
        Assert.Equal((25L, 25L, "2026.3"), (detail.Submission.RowsRead, detail.ValidRows, detail.RuleSetVersion));
        Assert.Equal(0, await RowsAsync(first));

        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            Assert.Equal(1, await op.Get<SubmissionService>().SignAsync(first, "Sun Hao", confirmed: true, detail.ConcurrencyStamp));
        }

        Assert.Equal(25, await RowsAsync(first));
        var second = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("JDBT", "2024-10", 30));
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            Assert.Equal(2, await op.Get<SubmissionService>().SignAsync(second, "Sun Hao", true, (await DetailAsync(second)).ConcurrencyStamp));
        }

        var month = (await DetailAsync(second)).MonthHistory;
        Assert.Equal([2, 1], month.Select(m => m.Version!.Value).ToArray());
        Assert.Equal(25, await RowsAsync(first));
        Assert.Equal(30, await RowsAsync(second));
        Assert.Equal("Sun Hao", (await DetailAsync(first)).AttestedName);

        // Each version records the key range its rows occupy (the loan-level extract reads it as one range).
        foreach (var id in new[] { first, second })
        {
            var (recorded, actual) = await KeyRangeAsync(id);
            Assert.NotNull(recorded.First);
            Assert.Equal(actual, recorded);
        }
    }

    [Fact]
    public async Task The_database_refuses_a_second_version_with_the_same_number_for_a_platform_month()
    {
        // Two signings racing (the version is the month's highest + 1) could otherwise both commit version 1.
        var first = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("JDBT", "2024-10", 5));
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            Assert.Equal(1, await op.Get<SubmissionService>().SignAsync(first, "Sun Hao", true, (await DetailAsync(first)).ConcurrencyStamp));
        }

        var second = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("JDBT", "2024-10", 6));
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        var racer = await db.LoanSubmissions.SingleAsync(s => s.Id == second);
        racer.Version = 1;
        racer.Status = SubmissionStatus.Signed;
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        // Unsigned uploads (no version yet) of the same month are many, and stay allowed.
        Assert.Equal(2, await db.LoanSubmissions.CountAsync(s => s.Period == "2024-10" && s.Platform!.Code == "JDBT" && s.Id >= first));
    }

    private async Task<((long? First, long? Last) Recorded, (long? First, long? Last) Actual)> KeyRangeAsync(long submissionId)
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        var submission = await db.LoanSubmissions.AsNoTracking().SingleAsync(s => s.Id == submissionId);
        var ids = db.LoanRecords.Where(r => r.SubmissionId == submissionId).Select(r => (long?)r.Id);
        return ((submission.FirstLoanRecordId, submission.LastLoanRecordId), (await ids.MinAsync(), await ids.MaxAsync()));
    }

    [Fact]
    public async Task A_file_with_errors_stores_findings_per_code_and_cannot_be_signed()
    {
        var csv = TapeFiles.Csv("JDBT", "2024-10", 40, i => i switch
        {
            3 => [("status", "DEFALTED")],
            7 => [("principal", "\"1,000.00\"")],
            9 => [("days_past_due", "12"), ("status", "CURRENT")],
            _ => [],
        });
        var id = await UploadAndCheckAsync("2024-10", csv);

        var detail = await DetailAsync(id);
        Assert.Equal(SubmissionStatus.ErrorsToFix, detail.Submission.Status);
        Assert.Equal(["V14", "V15", "V19"], detail.CountsByCode.Select(c => c.Code).ToArray());
        Assert.All(detail.CountsByCode, c => Assert.True(c.Blocking));
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var page = await op.Get<SubmissionService>().GetFindingsAsync(id, new FindingQuery { Code = "V14" });
        var finding = Assert.Single(page.Items);
        Assert.Equal((3L, "T000003", "status", "DEFALTED"), (finding.Row!.Value, finding.LoanId, finding.Column, finding.Value));

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => op.Get<SubmissionService>().SignAsync(id, "Sun Hao", true, detail.ConcurrencyStamp));
        Assert.Contains("Errors to fix", refused.Message);
        Assert.Equal(0, await RowsAsync(id));
    }

    [Fact]
    public async Task Warnings_must_be_confirmed_before_signing()
    {
        var id = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("JDBT", "2024-10", 10, i => i == 2 ? [("annual_rate_pct", "36")] : []));
        var detail = await DetailAsync(id);
        Assert.Equal(SubmissionStatus.WarningsToConfirm, detail.Submission.Status);
        Assert.Equal("Q02", Assert.Single(detail.CountsByCode).Code);

        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var service = op.Get<SubmissionService>();
        await Assert.ThrowsAsync<ValidationFailedException>(() => service.SignAsync(id, "Sun Hao", true, detail.ConcurrencyStamp));
        await service.AcknowledgeWarningsAsync(id, detail.ConcurrencyStamp);
        var ready = await DetailAsync(id);
        Assert.Equal((SubmissionStatus.ReadyToSign, DemoUsers.Operator), (ready.Submission.Status, ready.WarningsAcknowledgedBy));
        await Assert.ThrowsAsync<ValidationFailedException>(() => service.SignAsync(id, "Sun Hao", confirmed: false, ready.ConcurrencyStamp));
        Assert.Equal(1, await service.SignAsync(id, "Sun Hao", true, ready.ConcurrencyStamp));
    }

    private static MemoryStream VariedTape() => TapeFiles.Csv("JDBT", "2024-10", 300, i =>
    [
        ("loan_id", i % 7 == 0 ? $"贷款-{i}" : $"T{i:D6}"),
        ("borrower_ref", $"B{i % 40}"),
        ("principal", $"{1_000 + (i * 37)}.{i % 100:D2}"),
        ("annual_rate_pct", i % 3 == 0 ? "17.1234" : "18"),
        ("outstanding_principal", $"{i * 3}.5"),
        ("days_past_due", i % 9 == 0 ? "120" : "0"),
        ("status", i % 9 == 0 ? "DEFAULTED" : "CURRENT"),
        ("funding_source", i % 2 == 0 ? "ABS" : "OWN_FUNDS"),
        ("origination_date", $"2024-0{1 + (i % 9)}-{1 + (i % 28):D2}"),
    ]);

    private async Task<string> ShaAsync(long submissionId)
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await db.LoanSubmissions.Where(s => s.Id == submissionId).Select(s => s.FileSha256).SingleAsync();
    }

    private async Task<List<string>> CommittedRowsAsync(long submissionId)
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        var rows = await db.LoanRecords.AsNoTracking().Where(r => r.SubmissionId == submissionId).OrderBy(r => r.LoanId)
            .Select(r => new { r.LoanId, r.BorrowerRef, r.ProductType, r.Scenario, r.OriginationDate, r.Principal, r.CreditLimit, r.TermMonths,
                r.AnnualRatePct, r.OutstandingPrincipal, r.DaysPastDue, r.Status, r.ChargeOffAmount, r.RecoveryAmount, r.FundingSource })
            .ToListAsync();
        return [.. rows.Select(r => r.ToString()!)];
    }

    [Fact]
    public async Task Signing_commits_the_rows_staged_at_the_check_exactly_as_a_new_read_of_the_original_file_would()
    {
        // Two uploads of the same file: the first is signed from the rows staged at its check (signing drops them),
        // the second then has none staged and reads the original again; both versions must hold the same rows.
        var staging = (FinancePortal.Infrastructure.LoanTapes.LoanTapeStaging)_portal.Provider.GetRequiredService<ILoanTapeStaging>();
        var first = await UploadAndCheckAsync("2024-10", VariedTape());
        var second = await UploadAndCheckAsync("2024-10", VariedTape());
        var sha = await ShaAsync(first);
        var staged = staging.PathOf(sha, "JDBT", "2024-10");
        Assert.True(File.Exists(staged));

        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            Assert.Equal(1, await op.Get<SubmissionService>().SignAsync(first, "Sun Hao", true, (await DetailAsync(first)).ConcurrencyStamp));
        }

        Assert.False(File.Exists(staged));
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            Assert.Equal(2, await op.Get<SubmissionService>().SignAsync(second, "Sun Hao", true, (await DetailAsync(second)).ConcurrencyStamp));
        }

        var fromStaging = await CommittedRowsAsync(first);
        Assert.Equal(300, fromStaging.Count);
        Assert.Contains(fromStaging, r => r.Contains("贷款-21,") && r.Contains("17.1234"));
        Assert.Equal(fromStaging, await CommittedRowsAsync(second));
    }

    [Fact]
    public async Task Damaged_staged_rows_fail_the_signing_without_a_row_and_the_next_attempt_reads_the_original_file()
    {
        var staging = (FinancePortal.Infrastructure.LoanTapes.LoanTapeStaging)_portal.Provider.GetRequiredService<ILoanTapeStaging>();
        var id = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("JDBT", "2024-10", 200));
        var detail = await DetailAsync(id);
        var staged = staging.PathOf(await ShaAsync(id), "JDBT", "2024-10");
        var bytes = await File.ReadAllBytesAsync(staged);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(staged, bytes);

        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            var ex = await Assert.ThrowsAsync<InvalidDataException>(() => op.Get<SubmissionService>().SignAsync(id, "Sun Hao", true, detail.ConcurrencyStamp));
            Assert.Contains("damaged", ex.Message);
        }

        Assert.Equal(0, await RowsAsync(id));
        Assert.False(File.Exists(staged));
        Assert.Equal(SubmissionStatus.ReadyToSign, (await DetailAsync(id)).Submission.Status);
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            Assert.Equal(1, await op.Get<SubmissionService>().SignAsync(id, "Sun Hao", true, (await DetailAsync(id)).ConcurrencyStamp));
        }

        Assert.Equal(200, await RowsAsync(id));
    }

    [Fact]
    public async Task A_failure_mid_commit_rolls_back_every_row_and_leaves_the_submission_unsigned()
    {
        var id = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("JDBT", "2024-10", 500));
        var stamp = (await DetailAsync(id)).ConcurrencyStamp;
        var services = new ServiceCollection();
        services.AddPortalForTests(_portal.DatabasePath);
        services.AddScoped<ISubmissionSignedHandler, ExplodingHandler>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var operatorScope = await _portal.AsAsync(DemoUsers.Operator);
        scope.ServiceProvider.GetRequiredService<TestCurrentUser>().User = operatorScope.User;
        await operatorScope.DisposeAsync();

        var ex = await Assert.ThrowsAsync<IOException>(() => scope.ServiceProvider.GetRequiredService<SubmissionService>().SignAsync(id, "Sun Hao", true, stamp));
        Assert.Equal("Power cut after the rows were written.", ex.Message);

        Assert.Equal(0, await RowsAsync(id));
        var detail = await DetailAsync(id);
        Assert.Equal(SubmissionStatus.ReadyToSign, detail.Submission.Status);
        Assert.Null(detail.Submission.Version);
    }

    [Fact]
    public async Task Another_platforms_operator_and_out_of_province_regulators_cannot_see_a_submission()
    {
        var id = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("JDBT", "2024-10", 5));
        await using var other = await _portal.AsAsync(DemoUsers.OperatorHbxy);
        Assert.Null(await other.Get<SubmissionService>().GetAsync(id));
        Assert.Empty((await other.Get<SubmissionService>().GetFindingsAsync(id, new FindingQuery())).Items);
        Assert.Null(await other.Get<SubmissionService>().OpenOriginalAsync(id));
        await Assert.ThrowsAsync<NotFoundException>(() => other.Get<SubmissionService>().AcknowledgeWarningsAsync(id, Guid.Empty));
        await using var guangdong = await _portal.AsAsync(DemoUsers.ReviewerGuangdong);
        Assert.Null(await guangdong.Get<SubmissionService>().GetAsync(id));
        await using var national = await _portal.AsAsync(DemoUsers.RiskOfficer);
        Assert.NotNull(await national.Get<SubmissionService>().GetAsync(id));
    }

    [Fact]
    public async Task A_wrong_platform_or_month_in_the_file_is_a_syntactical_error()
    {
        var id = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("HBXY", "2024-09", 3));
        var codes = (await DetailAsync(id)).CountsByCode.Select(c => c.Code).ToArray();
        Assert.Equal(["S13", "S14"], codes);
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_refused_by_the_service_while_it_streams_and_leaves_nothing()
    {
        // The page checks the size too, but the limit must hold for any caller of the service.
        await using var small = await PortalServices.CreateAsync(settings: new Dictionary<string, string?> { ["Uploads:MaxLoanTapeBytes"] = "2000" });
        await using var op = await small.AsAsync(DemoUsers.Operator);
        var service = op.Get<SubmissionService>();
        async Task<int> CountAsync()
        {
            await using var scope = small.As(UserContext.System);
            await using var db = await scope.Get<IPortalDbFactory>().CreateAsync();
            return await db.LoanSubmissions.CountAsync();
        }

        var before = await CountAsync();
        var tape = TapeFiles.Csv("JDBT", "2024-10", 60);
        Assert.True(tape.Length > 2000);
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => service.SubmitAsync("2024-10", "big.csv", tape));

        Assert.Equal("\"big.csv\" is larger than the 2 KB limit for loan tapes.", error.Errors["File"]);
        Assert.Equal(before, await CountAsync());

        // At the limit it is accepted.
        var id = (await service.SubmitAsync("2024-10", "small.csv", TapeFiles.Csv("JDBT", "2024-10", 3))).Id;
        Assert.True(id > 0);
    }

    [Fact]
    public async Task The_check_reports_how_much_of_the_file_it_has_read_up_to_100_percent()
    {
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var service = op.Get<SubmissionService>();
        var tape = TapeFiles.Csv("JDBT", "2024-10", 20_000);
        Assert.True(tape.Length > 2_000_000); // the CSV reader takes 1 MB at a time: at least two steps
        var reports = new List<LoanTapeProgress>();
        var id = (await service.SubmitAsync("2024-10", "tape.csv", tape, new Recorder<LoanTapeProgress>(reports))).Id;

        var uploading = reports.TakeWhile(r => r.Stage == LoanTapeStage.Uploading).ToList();
        var checking = reports.Skip(uploading.Count).ToList();
        Assert.All(checking, r => Assert.Equal(LoanTapeStage.Checking, r.Stage));
        Assert.Equal(100, uploading[^1].Percent);
        var percents = checking.Select(r => r.Percent).ToList();
        Assert.True(percents.Distinct().Count() >= 2, string.Join(",", percents));
        Assert.Equal(percents.Order(), percents);
        Assert.Equal(100, percents[^1]);
        Assert.Equal(checking.Select(r => r.Rows).Order(), checking.Select(r => r.Rows));
        Assert.Equal(20_000, checking[^1].Rows);
        Assert.Equal(SubmissionStatus.ReadyToSign, (await DetailAsync(id)).Submission.Status);
    }

    /// <summary>Records reports synchronously (<see cref="Progress{T}"/> posts them later, so a test could miss the last).</summary>
    private sealed class Recorder<T>(List<T> values) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }

    [Fact]
    public async Task Uploads_refuse_other_file_types_and_future_months()
    {
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var service = op.Get<SubmissionService>();
        Assert.Contains(".csv (UTF-8) or .xlsx", (await Assert.ThrowsAsync<ValidationFailedException>(() => service.SubmitAsync("2024-10", "tape.txt", TapeFiles.Csv("JDBT", "2024-10", 1)))).Message);
        Assert.Contains("has not started yet", (await Assert.ThrowsAsync<ValidationFailedException>(() => service.SubmitAsync("2027-01", "tape.csv", TapeFiles.Csv("JDBT", "2027-01", 1)))).Message);
        await using var reviewer = await _portal.AsAsync(DemoUsers.Reviewer);
        await Assert.ThrowsAsync<ForbiddenException>(() => reviewer.Get<SubmissionService>().SubmitAsync("2024-10", "tape.csv", TapeFiles.Csv("JDBT", "2024-10", 1)));
    }

    [Fact]
    public async Task The_regulator_grid_shows_on_time_late_and_missing_months_from_the_seeded_history()
    {
        await using var risk = await _portal.AsAsync(DemoUsers.RiskOfficer);
        var grid = await risk.Get<SubmissionService>().GetMonthGridAsync("2026-07", "2026-10");

        Assert.Equal(["FQLE", "HBXY", "JDBT", "MSXF", "NBXH", "QFEN", "SNRX", "WZCB", "XMHX", "ZSXJ"], grid.Select(g => g.PlatformCode).ToArray());
        MonthState State(string code, string period) => grid.Single(g => g.PlatformCode == code).Months.Single(m => m.Period == period).State;
        Assert.Equal(MonthState.Missing, State("XMHX", "2026-09"));
        Assert.Equal(MonthState.Late, State("QFEN", "2026-08"));
        Assert.Equal(MonthState.OnTime, State("JDBT", "2026-10"));
        var cell = grid.Single(g => g.PlatformCode == "JDBT").Months.Single(m => m.Period == "2026-10");
        Assert.Equal((1, 1), (cell.LatestVersion!.Value, cell.Versions));

        await using var guangdong = await _portal.AsAsync(DemoUsers.ReviewerGuangdong);
        Assert.Equal(["FQLE", "QFEN", "ZSXJ"], (await guangdong.Get<SubmissionService>().GetMonthGridAsync("2026-07", "2026-10")).Select(g => g.PlatformCode).ToArray());
    }

    [Fact]
    public async Task The_regulator_grid_counts_uploads_pending_after_a_signed_version_and_shows_an_unsigned_month_as_unresolved()
    {
        // 2024-10 signed as version 1; then a resubmission with warnings (principal above 200,000: Q01) and one with errors.
        var signed = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("JDBT", "2024-10", 5));
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            await op.Get<SubmissionService>().SignAsync(signed, "Sun Hao", true, (await DetailAsync(signed)).ConcurrencyStamp);
        }

        var warned = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("JDBT", "2024-10", 5, i => i == 2 ? [("principal", "250000.00")] : []));
        Assert.Equal(SubmissionStatus.WarningsToConfirm, (await DetailAsync(warned)).Submission.Status);
        var broken = await UploadAndCheckAsync("2024-10", TapeFiles.Csv("JDBT", "2024-10", 5, i => i == 1 ? [("status", "LATE")] : []));
        Assert.Equal(SubmissionStatus.ErrorsToFix, (await DetailAsync(broken)).Submission.Status);

        // 2024-09 of HBXY: only an upload with warnings, nothing signed.
        var hbxy = await UploadAndCheckAsync("2024-09", TapeFiles.Csv("HBXY", "2024-09", 5, i => i == 2 ? [("principal", "250000.00")] : []), DemoUsers.OperatorHbxy);
        Assert.Equal(SubmissionStatus.WarningsToConfirm, (await DetailAsync(hbxy, DemoUsers.OperatorHbxy)).Submission.Status);

        await using var risk = await _portal.AsAsync(DemoUsers.RiskOfficer);
        var grid = await risk.Get<SubmissionService>().GetMonthGridAsync("2024-09", "2024-10");
        MonthCell Cell(string code, string period) => grid.Single(g => g.PlatformCode == code).Months.Single(m => m.Period == period);

        var jdbt = Cell("JDBT", "2024-10");
        Assert.Equal(signed, jdbt.LatestSubmissionId);
        Assert.Equal((2, 1), (jdbt.Pending, jdbt.PendingWarnings));
        var unsigned = Cell("HBXY", "2024-09");
        Assert.Equal((MonthState.Unresolved, 1, 1), (unsigned.State, unsigned.Pending, unsigned.PendingWarnings));
        Assert.Equal(0, Cell("JDBT", "2024-09").Pending);
    }

    private sealed class ExplodingHandler : ISubmissionSignedHandler
    {
        public Task HandleAsync(IPortalDb db, LoanSubmission signed, CancellationToken ct) => throw new IOException("Power cut after the rows were written.");

        public void Committed(LoanSubmission signed) => throw new InvalidOperationException("Never committed.");
    }
}
