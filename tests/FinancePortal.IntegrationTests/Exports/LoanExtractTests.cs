using System.Globalization;
using System.Net;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static FinancePortal.IntegrationTests.Exports.ExportTestKit;

namespace FinancePortal.IntegrationTests.Exports;

/// <summary>GET /exports/loans: the loan-level extract, XLSX and CSV, latest signed version only, scoped, audited.</summary>
public class LoanExtractTests : IAsyncLifetime
{
    private const string Month = "2026-10";
    private static readonly string[] Header =
        ["Platform", "Month", "Loan id", "Product", "Status", "DPD bucket", "Original principal", "Outstanding principal", "Days past due", "Annual rate", "Origination date", "Funding source"];

    private readonly PortalAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Xlsx_extract_has_the_latest_signed_rows_with_formats_and_a_frozen_header_and_is_audited()
    {
        var jdbt = await PlatformIdAsync(_factory, "JDBT");
        var expected = await LatestRowsAsync(jdbt, Month);
        Assert.True(expected.Count > 50, $"the demo month has {expected.Count} loans");
        var before = await LastAuditIdAsync(_factory);

        var analyst = await ClientAsync(_factory, DemoUsers.Analyst);
        using var workbook = await XlsxAsync(analyst, $"/exports/loans?format=xlsx&platformId={jdbt}&month={Month}");
        var sheet = workbook.Worksheets.Single();
        Assert.Equal(Header, HeaderOf(sheet));
        Assert.Equal(1, sheet.SheetView.SplitRow);
        Assert.Equal(expected.Count + 1, sheet.LastRowUsed()!.RowNumber());

        for (var i = 0; i < expected.Count; i += 17)
        {
            var loan = expected[i];
            var row = sheet.Row(i + 2);
            Assert.Equal("JDBT", row.Cell(1).GetString());
            Assert.Equal(Month, row.Cell(2).GetString());
            Assert.Equal(loan.LoanId, row.Cell(3).GetString());
            Assert.Equal(loan.ProductType, row.Cell(4).GetString());
            Assert.Equal(loan.Status, row.Cell(5).GetString());
            Assert.Equal(loan.Principal, (decimal)row.Cell(7).GetDouble(), 2);
            Assert.Equal(loan.OutstandingPrincipal, (decimal)row.Cell(8).GetDouble(), 2);
            Assert.Equal(loan.DaysPastDue, (int)row.Cell(9).GetDouble());
            Assert.Equal(loan.AnnualRatePct / 100m, (decimal)row.Cell(10).GetDouble(), 6);
            Assert.Equal(loan.OriginationDate.ToDateTime(TimeOnly.MinValue), row.Cell(11).GetDateTime());
            Assert.Equal(loan.FundingSource, row.Cell(12).GetString());
        }

        var first = sheet.Row(2);
        Assert.Equal("¥#,##0.00", first.Cell(7).Style.NumberFormat.Format);
        Assert.Equal("¥#,##0.00", first.Cell(8).Style.NumberFormat.Format);
        Assert.Equal("0.00%", first.Cell(10).Style.NumberFormat.Format);
        Assert.Equal(ClosedXML.Excel.XLDataType.DateTime, first.Cell(11).DataType);

        var audit = Assert.Single(await ExportAuditAsync(_factory, before));
        Assert.Equal(DemoUsers.Analyst, audit.Actor);
        Assert.Equal(nameof(LoanRecord), audit.EntityType);
        Assert.Equal(jdbt, audit.PlatformId);
        Assert.Contains($"{expected.Count:N0} rows as XLSX", audit.Summary);
        Assert.Contains($"platform id {jdbt}", audit.Summary);
        Assert.Contains($"months {Month}..{Month}", audit.Summary);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("CURRENT", null)]
    [InlineData(null, "INSTALLMENT")]
    [InlineData("CURRENT", "INSTALLMENT")]
    public async Task The_sqlite_reader_gives_exactly_the_rows_of_the_EF_query(string? status, string? product)
    {
        var jdbt = await PlatformIdAsync(_factory, "JDBT");
        var filter = new LoanExtractFilter(jdbt, Month, Month, status, product);
        var (ef, fast) = await WithSystemDbAsync(_factory, async db =>
        {
            var signed = await LoanExtractService.LatestSigned(db, filter).SingleAsync();
            var part = new LoanExtractPart(signed.Id, signed.PlatformId, "JDBT", signed.Period, signed.Version ?? 0, signed.LoanCount);
            var ids = db.LoanRecords.Where(r => r.SubmissionId == signed.Id).Select(r => r.Id);
            var (first, last) = (await ids.MinAsync(), await ids.MaxAsync());
            var viaEf = await new EfLoanExtractReader().ReadAsync(db, part, first, last, filter, CancellationToken.None).ToListAsync();
            var viaSqlite = await new FinancePortal.Infrastructure.Exports.LoanExtractReader().ReadAsync(db, part, first, last, filter, CancellationToken.None).ToListAsync();
            return (viaEf, viaSqlite);
        });

        Assert.True(ef.Count > 10, $"the filter matches {ef.Count} rows");
        Assert.Equal(ef, fast);
        Assert.Contains(fast, r => r.Row.Principal != decimal.Truncate(r.Row.Principal) || r.Row.AnnualRatePct != decimal.Truncate(r.Row.AnnualRatePct));
    }

    [Fact]
    public async Task A_recorded_key_range_that_also_holds_other_versions_rows_still_gives_only_the_versions_rows()
    {
        var jdbt = await PlatformIdAsync(_factory, "JDBT");
        var expected = await LatestRowsAsync(jdbt, Month);
        var filter = new LoanExtractFilter(jdbt, Month, Month);
        var recorded = await WithSystemDbAsync(_factory, async db =>
        {
            // The seeded version has its own range recorded; widen it to the whole table (as if signings had interleaved).
            var signed = await LoanExtractService.LatestSigned(db, filter).SingleAsync();
            var range = (signed.FirstLoanRecordId, signed.LastLoanRecordId);
            var (first, last) = (await db.LoanRecords.MinAsync(r => r.Id), await db.LoanRecords.MaxAsync(r => r.Id));
            Assert.True(await db.LoanRecords.CountAsync(r => r.Id >= first && r.Id <= last && r.SubmissionId != signed.Id) > 1000);
            await db.LoanSubmissions.Where(s => s.Id == signed.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.FirstLoanRecordId, first).SetProperty(s => s.LastLoanRecordId, last));
            return range;
        });
        Assert.Equal((expected[0].Id, expected[^1].Id), (recorded.FirstLoanRecordId, recorded.LastLoanRecordId));

        var (_, rows) = await CsvAsync(await ClientAsync(_factory, DemoUsers.Analyst), $"/exports/loans?format=csv&platformId={jdbt}&month={Month}");
        Assert.Equal(expected.Select(r => r.LoanId), rows.Select(r => r[2]));
        Assert.All(rows, r => Assert.Equal(["JDBT", Month], r[..2]));
    }

    [Fact]
    public async Task Csv_extract_is_utf8_with_bom_invariant_numbers_and_the_same_rows_and_filters_by_status_and_product()
    {
        var jdbt = await PlatformIdAsync(_factory, "JDBT");
        var expected = (await LatestRowsAsync(jdbt, Month)).Where(r => r.Status == "CURRENT" && r.ProductType == "INSTALLMENT").ToList();
        Assert.NotEmpty(expected);

        var risk = await ClientAsync(_factory, DemoUsers.RiskOfficer);
        var (header, rows) = await CsvAsync(risk, $"/exports/loans?format=csv&platformId={jdbt}&from={Month}&to={Month}&status=CURRENT&product=INSTALLMENT");
        Assert.Equal(Header, header);
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var loan = expected[i];
            var row = rows[i];
            Assert.Equal(["JDBT", Month, loan.LoanId, "INSTALLMENT", "CURRENT"], row[..5]);
            Assert.Equal(loan.Principal.ToString("0.00", CultureInfo.InvariantCulture), row[6]);
            Assert.Equal(loan.OutstandingPrincipal.ToString("0.00", CultureInfo.InvariantCulture), row[7]);
            Assert.Equal(loan.DaysPastDue.ToString(CultureInfo.InvariantCulture), row[8]);
            Assert.Equal(loan.AnnualRatePct / 100m, decimal.Parse(row[9], CultureInfo.InvariantCulture));
            Assert.Equal(loan.OriginationDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row[10]);
        }

        var bad = await risk.GetAsync($"/exports/loans?format=csv&status=LOST");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Unknown loan status", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_the_latest_signed_version_is_extracted_and_hostile_loan_ids_stay_text()
    {
        var jdbt = await PlatformIdAsync(_factory, "JDBT");
        string[] hostile = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR", "ordinary-001"];
        await SignNewVersionAsync(jdbt, Month, hostile);

        var analyst = await ClientAsync(_factory, DemoUsers.Analyst);
        using (var workbook = await XlsxAsync(analyst, $"/exports/loans?format=xlsx&platformId={jdbt}&month={Month}"))
        {
            var sheet = workbook.Worksheets.Single();
            var cells = Enumerable.Range(2, hostile.Length).Select(r => sheet.Cell(r, 3)).ToList();
            // XML turns a bare CR into LF when the file is read; the text stays text either way.
            Assert.Equal(hostile.Select(h => h.Replace('\r', '\n')), cells.Select(c => c.GetString()));
            Assert.All(cells, c => Assert.False(c.HasFormula, $"{c.GetString()} became a formula"));
            Assert.All(cells, c => Assert.Equal(ClosedXML.Excel.XLDataType.Text, c.DataType));
            Assert.All(cells.Where(c => SafeCell.LooksLikeFormula(c.GetString())), c => Assert.True(HasTextFormat(c), c.GetString()));
            Assert.True(sheet.Cell(hostile.Length + 2, 1).IsEmpty(), "only the new version's rows are extracted");
        }

        var (_, rows) = await CsvAsync(analyst, $"/exports/loans?format=csv&platformId={jdbt}&month={Month}");
        Assert.Equal(hostile.Length, rows.Count);
        Assert.Equal(
            hostile.Select(h => SafeCell.LooksLikeFormula(h) ? "'" + h : h),
            rows.Select(r => r[2]));
    }

    [Fact]
    public async Task An_operator_extracts_only_their_platform_and_is_refused_another_platforms_id()
    {
        var qfen = await PlatformIdAsync(_factory, "QFEN");
        var op = await ClientAsync(_factory, DemoUsers.Operator);
        var before = await LastAuditIdAsync(_factory);

        var (_, rows) = await CsvAsync(op, $"/exports/loans?format=csv&from=2026-09&to={Month}");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("JDBT", r[0]));
        Assert.Equal(new[] { "2026-09", Month }, rows.Select(r => r[1]).Distinct().Order());

        var denied = await op.GetAsync($"/exports/loans?format=xlsx&platformId={qfen}&month={Month}");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var body = await denied.Content.ReadAsStringAsync();
        Assert.Contains("outside your data scope", body);
        Assert.DoesNotContain("QFEN", body);

        // The data layer filters too: the service itself, asked by the operator, yields no QFEN row.
        await using (var scope = await _factory.ActAsAsync(DemoUsers.Operator))
        {
            var service = scope.ServiceProvider.GetRequiredService<LoanExtractService>();
            var plan = await service.PlanAsync(new LoanExtractFilter(From: Month, To: Month));
            Assert.All(plan.Parts, p => Assert.Equal("JDBT", p.PlatformCode));
            await Assert.ThrowsAsync<ForbiddenException>(() => service.PlanAsync(new LoanExtractFilter(PlatformId: qfen)));
        }

        var audit = Assert.Single(await ExportAuditAsync(_factory, before));
        Assert.Equal(DemoUsers.Operator, audit.Actor);

        var reviewer = await ClientAsync(_factory, DemoUsers.Reviewer);
        var notAllowed = await reviewer.GetAsync($"/exports/loans?format=csv&month={Month}");
        Assert.NotEqual(HttpStatusCode.OK, notAllowed.StatusCode);
        Assert.Contains("AccessDenied", notAllowed.Headers.Location?.ToString() ?? "");
    }

    [Fact]
    public async Task A_cancelled_download_writes_no_audit_entry()
    {
        var baseAddress = _factory.StartKestrel();
        var before = await LastAuditIdAsync(_factory);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(baseAddress) };
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostSignInAsync(DemoUsers.Analyst, DemoUsers.Password)).StatusCode);

        var key = Guid.NewGuid().ToString("N");
        using (var response = await client.GetAsync($"/exports/loans?format=csv&progress={key}", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var tracker = _factory.Services.GetRequiredService<ExportTrackers>().Find(key, DemoUsers.Analyst);
            Assert.NotNull(tracker);
            tracker.Cancel();
            await using var body = await response.Content.ReadAsStreamAsync();
            await Assert.ThrowsAnyAsync<Exception>(async () => await body.CopyToAsync(Stream.Null));

            // Cancelling a pending write makes Kestrel drop the connection at once; the export's own catch runs just after.
            for (var i = 0; i < 100 && tracker.State == ExportState.Running; i++)
            {
                await Task.Delay(50);
            }

            Assert.Equal(ExportState.Cancelled, tracker.State);
            Assert.True(tracker.Rows < await WithSystemDbAsync(_factory, db => db.LoanRecords.LongCountAsync()), "the download stopped part-way");
        }

        Assert.Empty(await ExportAuditAsync(_factory, before));
    }

    private Task<List<LoanRecord>> LatestRowsAsync(int platformId, string month) => WithSystemDbAsync(_factory, async db =>
    {
        var submission = await db.LoanSubmissions.Where(s => s.PlatformId == platformId && s.Period == month && s.Status == SubmissionStatus.Signed)
            .OrderByDescending(s => s.Version).Select(s => s.Id).FirstAsync();
        return await db.LoanRecords.AsNoTracking().Where(r => r.SubmissionId == submission).OrderBy(r => r.Id).ToListAsync();
    });

    /// <summary>Writes a new signed version of the month holding only <paramref name="loanIds"/>.</summary>
    private Task<int> SignNewVersionAsync(int platformId, string month, string[] loanIds) => WithSystemDbAsync(_factory, async db =>
    {
        var version = await db.LoanSubmissions.Where(s => s.PlatformId == platformId && s.Period == month).MaxAsync(s => s.Version) ?? 0;
        var submission = new LoanSubmission
        {
            PlatformId = platformId, Period = month, Status = SubmissionStatus.Signed, Version = version + 1, FileName = "hostile.csv",
            FileSha256 = new string('a', 64), UploadedBy = "test", UploadedUtc = DateTime.UtcNow, SignedBy = "test", SignedUtc = DateTime.UtcNow, LoanCount = loanIds.Length,
        };
        db.LoanSubmissions.Add(submission);
        await db.SaveChangesAsync();
        foreach (var id in loanIds)
        {
            db.LoanRecords.Add(new LoanRecord
            {
                SubmissionId = submission.Id, PlatformId = platformId, Period = month, LoanId = id, BorrowerRef = "B-" + id.Length, ProductType = "INSTALLMENT",
                Scenario = "ECOMMERCE", OriginationDate = new DateOnly(2026, 1, 15), Principal = 1000m, CreditLimit = 2000m, TermMonths = 12, AnnualRatePct = 18m,
                OutstandingPrincipal = 500m, DaysPastDue = 0, Status = "CURRENT", FundingSource = "OWN_FUNDS",
            });
        }

        return await db.SaveChangesAsync();
    });
}
