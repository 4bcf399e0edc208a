using System.Net;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static FinancePortal.IntegrationTests.Exports.ExportTestKit;

namespace FinancePortal.IntegrationTests.Exports;

/// <summary>/exports/{grid}: every grid export goes through the one export service, with the page's filters and scope.</summary>
public class GridExportTests : IAsyncLifetime
{
    private const string HostileName = "=cmd|' /C calc'!A0";
    private readonly PortalAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Application_queue_export_is_scoped_formula_safe_and_equal_to_the_service()
    {
        await WithSystemDbAsync(_factory, async db =>
        {
            var jdbt = await db.Platforms.SingleAsync(p => p.Code == "JDBT");
            jdbt.LegalName = HostileName;
            return await db.SaveChangesAsync();
        });

        PagedResult<ApplicationListItem> page;
        await using (var scope = await _factory.ActAsAsync(DemoUsers.Reviewer))
        {
            page = await scope.ServiceProvider.GetRequiredService<ApplicationService>().GetQueueAsync(new ApplicationQuery { PageSize = 200, SortBy = "Reference" });
        }

        var reviewer = await ClientAsync(_factory, DemoUsers.Reviewer);
        using (var workbook = await XlsxAsync(reviewer, "/exports/applications?format=xlsx&sortBy=Reference"))
        {
            var sheet = workbook.Worksheets.Single();
            Assert.Equal(["Reference", "Platform", "Platform name", "State", "Submitted (UTC)", "Reviewer", "Band", "Score", "Updated (UTC)"], HeaderOf(sheet));
            Assert.Equal(1, sheet.SheetView.SplitRow);
            Assert.Equal(page.TotalCount + 1, sheet.LastRowUsed()!.RowNumber());
            Assert.Equal(page.Items.Select(i => i.Reference), Enumerable.Range(2, page.TotalCount).Select(r => sheet.Cell(r, 1).GetString()));
            var hostile = Enumerable.Range(2, page.TotalCount).Select(r => sheet.Cell(r, 3)).First(c => c.GetString() == HostileName);
            Assert.False(hostile.HasFormula);
            Assert.True(HasTextFormat(hostile));
        }

        var op = await ClientAsync(_factory, DemoUsers.Operator);
        var before = await LastAuditIdAsync(_factory);
        var (_, rows) = await CsvAsync(op, "/exports/applications?format=csv");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("JDBT", r[1]));
        Assert.All(rows, r => Assert.Equal("'" + HostileName, r[2]));

        // No platform filter, but an Operator's scope is one platform: the entry is filed under it, so a regulator
        // of other provinces does not see it; the reviewer's national export above stays unfiled.
        var audit = Assert.Single(await ExportAuditAsync(_factory, before));
        Assert.Equal(await PlatformIdAsync(_factory, "JDBT"), audit.PlatformId);
    }

    [Fact]
    public async Task Findings_export_lists_a_submissions_findings_for_its_platform_only()
    {
        var submissionId = await WithSystemDbAsync(_factory, async db =>
        {
            var submission = await db.LoanSubmissions.Where(s => s.Platform!.Code == "QFEN").OrderByDescending(s => s.Id).FirstAsync();
            db.SubmissionFindings.AddRange(
                new SubmissionFinding { SubmissionId = submission.Id, PlatformId = submission.PlatformId, Code = "Q901", Blocking = false, Row = 7, LoanId = "@SUM(1,2)", Column = "principal", Value = "-1+1", Message = "Test finding one." },
                new SubmissionFinding { SubmissionId = submission.Id, PlatformId = submission.PlatformId, Code = "Q902", Blocking = true, Row = 9, LoanId = "L-9", Column = "status", Value = "+X", Message = "Test finding two." });
            await db.SaveChangesAsync();
            return submission.Id;
        });

        var qfen = await ClientAsync(_factory, DemoUsers.OperatorQfen);
        var (header, rows) = await CsvAsync(qfen, $"/exports/findings?format=csv&submissionId={submissionId}&code=Q901");
        Assert.Equal(["Edit code", "Blocking", "Row", "Loan id", "Column", "Value", "Message"], header);
        var row = Assert.Single(rows);
        Assert.Equal(["Q901", "no", "7", "'@SUM(1,2)", "principal", "'-1+1", "Test finding one."], row);

        using (var workbook = await XlsxAsync(qfen, $"/exports/findings?format=xlsx&submissionId={submissionId}"))
        {
            var sheet = workbook.Worksheets.Single();
            var codes = Enumerable.Range(2, sheet.LastRowUsed()!.RowNumber() - 1).Select(r => sheet.Cell(r, 1).GetString()).ToList();
            Assert.Contains("Q901", codes);
            Assert.Contains("Q902", codes);
        }

        var jdbt = await ClientAsync(_factory, DemoUsers.Operator);
        Assert.Equal(HttpStatusCode.NotFound, (await jdbt.GetAsync($"/exports/findings?format=csv&submissionId={submissionId}")).StatusCode);
    }

    [Fact]
    public async Task Alert_inbox_export_has_the_pages_rows_and_is_audited_with_its_filters()
    {
        PagedResult<AlertListItem> page;
        await using (var scope = await _factory.ActAsAsync(DemoUsers.RiskOfficer))
        {
            page = await scope.ServiceProvider.GetRequiredService<AlertService>().GetPageAsync(new AlertQuery { OpenOnly = true, PageSize = 200 });
        }

        Assert.NotEmpty(page.Items);
        var before = await LastAuditIdAsync(_factory);
        var risk = await ClientAsync(_factory, DemoUsers.RiskOfficer);
        using (var workbook = await XlsxAsync(risk, "/exports/alerts?format=xlsx&openOnly=true"))
        {
            var sheet = workbook.Worksheets.Single();
            Assert.Equal(page.TotalCount + 1, sheet.LastRowUsed()!.RowNumber());
            Assert.Equal(page.Items.Select(a => a.Id), Enumerable.Range(2, page.TotalCount).Select(r => (long)sheet.Cell(r, 1).GetDouble()));
            Assert.Equal(page.Items[0].PlatformCode, sheet.Cell(2, 2).GetString());
            Assert.Equal(["Value", "Limit", "Unit"], new[] { 8, 9, 10 }.Select(c => sheet.Cell(1, c).GetString()).ToArray());
            Assert.Equal(AlertUnits.Of(page.Items[0].Rule), sheet.Cell(2, 10).GetString());
            Assert.Equal(page.Items[0].Message, sheet.Cell(2, 11).GetString());
            Assert.Equal(page.Items[0].RaisedUtc, sheet.Cell(2, 13).GetDateTime(), TimeSpan.FromSeconds(1));
        }

        var audit = Assert.Single(await ExportAuditAsync(_factory, before));
        Assert.Equal("Alert", audit.EntityType);
        Assert.Contains("openOnly=true", audit.Summary);
        Assert.Contains($"{page.TotalCount:N0} rows as XLSX", audit.Summary);

        var op = await ClientAsync(_factory, DemoUsers.Operator);
        Assert.NotEqual(HttpStatusCode.OK, (await op.GetAsync("/exports/alerts?format=csv")).StatusCode);
    }

    [Fact]
    public async Task Audit_log_export_for_auditors_only_with_the_pages_filter()
    {
        var analyst = await ClientAsync(_factory, DemoUsers.Analyst);
        await CsvAsync(analyst, "/exports/alerts?format=csv");
        var (header, rows) = await CsvAsync(analyst, "/exports/audit?format=csv&action=Exported");
        Assert.Equal("Summary", header[^1]);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("Exported", r[4]));
        Assert.Contains(rows, r => r[2] == DemoUsers.Analyst && r[5] == "Alert");

        var risk = await ClientAsync(_factory, DemoUsers.RiskOfficer);
        Assert.NotEqual(HttpStatusCode.OK, (await risk.GetAsync("/exports/audit?format=csv")).StatusCode);
    }

    [Fact]
    public async Task Dashboard_table_export_has_the_services_numbers_with_money_and_rate_formats()
    {
        DashboardData data;
        await using (var scope = await _factory.ActAsAsync(DemoUsers.RiskOfficer))
        {
            data = await scope.ServiceProvider.GetRequiredService<MonitoringService>().GetDashboardAsync(new DashboardFilter());
        }

        var expected = data.Platforms.SelectMany(p => p.Months.Select(m => (p.Code, m.Period, m.Metrics))).ToList();
        var risk = await ClientAsync(_factory, DemoUsers.RiskOfficer);
        using var workbook = await XlsxAsync(risk, "/exports/dashboard?format=xlsx");
        var sheet = workbook.Worksheets.Single();
        Assert.Equal(expected.Count + 1, sheet.LastRowUsed()!.RowNumber());
        for (var i = 0; i < expected.Count; i += 7)
        {
            var (code, period, metrics) = expected[i];
            Assert.Equal(code, sheet.Cell(i + 2, 1).GetString());
            Assert.Equal(period, sheet.Cell(i + 2, 3).GetString());
            Assert.Equal(metrics.Outstanding, (decimal)sheet.Cell(i + 2, 5).GetDouble(), 2);
            Assert.Equal((double)(metrics.DefaultRate ?? 0), sheet.Cell(i + 2, 6).IsEmpty() ? 0 : sheet.Cell(i + 2, 6).GetDouble(), 9);
        }

        Assert.Equal("¥#,##0.00", sheet.Cell(2, 5).Style.NumberFormat.Format);
        Assert.Equal("0.00%", sheet.Cell(2, 6).Style.NumberFormat.Format);

        var op = await ClientAsync(_factory, DemoUsers.OperatorQfen);
        var (_, rows) = await CsvAsync(op, "/exports/dashboard?format=csv");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("QFEN", r[0]));
    }

    [Fact]
    public async Task Peer_position_and_roll_rate_exports_hold_the_dashboards_numbers()
    {
        DashboardData data;
        await using (var scope = await _factory.ActAsAsync(DemoUsers.RiskOfficer))
        {
            data = await scope.ServiceProvider.GetRequiredService<MonitoringService>().GetDashboardAsync(new DashboardFilter());
        }

        var risk = await ClientAsync(_factory, DemoUsers.RiskOfficer);
        using (var workbook = await XlsxAsync(risk, "/exports/peers?format=xlsx"))
        {
            var sheet = workbook.Worksheets.Single();
            Assert.Equal(["Platform", "Default rate (90+)", "Default rate percentile", "PAR30", "PAR30 percentile", "Net charge-off rate", "Net charge-off percentile"],
                HeaderOf(sheet));
            Assert.NotEmpty(data.Peers);
            Assert.NotNull(data.Medians);
            Assert.Equal(data.Peers.Count + 2, sheet.LastRowUsed()!.RowNumber());
            for (var i = 0; i < data.Peers.Count; i++)
            {
                var peer = data.Peers[i];
                var row = sheet.Row(i + 2);
                Assert.Equal(peer.Code, row.Cell(1).GetString());
                Assert.Equal((double)(peer.DefaultRate ?? 0), row.Cell(2).IsEmpty() ? 0 : row.Cell(2).GetDouble(), 9);
                Assert.Equal((double)(peer.Par30Percentile ?? 0), row.Cell(5).IsEmpty() ? 0 : row.Cell(5).GetDouble(), 9);
            }

            var median = sheet.Row(data.Peers.Count + 2);
            Assert.Equal($"Industry median ({data.Medians!.Peers} peers)", median.Cell(1).GetString());
            Assert.Equal((double)(data.Medians.Par30 ?? 0), median.Cell(4).GetDouble(), 9);
            Assert.Equal("0.00%", median.Cell(4).Style.NumberFormat.Format);
        }

        var (header, rows) = await CsvAsync(risk, "/exports/roll-rates?format=csv");
        Assert.NotNull(data.Roll);
        Assert.Equal(["Month", "From (month before)", .. Enum.GetValues<DelinquencyBucket>().Select(b => $"To {GridExports.BucketName(b)}"), "Balance at the month before", "Cure rate"], header);
        Assert.Equal(data.Roll!.Rows.Count, rows.Count);
        var columns = Enum.GetValues<DelinquencyBucket>();
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = data.Roll.Rows[i];
            Assert.Equal((data.Roll.Period, GridExports.BucketName(expected.From)), (rows[i][0], rows[i][1]));
            Assert.Equal(expected.Balance, decimal.Parse(rows[i][2 + columns.Length], System.Globalization.CultureInfo.InvariantCulture));
            if (expected.Balance > 0)
            {
                Assert.Equal(expected.Shares.GetValueOrDefault(DelinquencyBucket.Current), decimal.Parse(rows[i][2], System.Globalization.CultureInfo.InvariantCulture), 6);
            }
        }

        var op = await ClientAsync(_factory, DemoUsers.OperatorQfen);
        var (_, peerRows) = await CsvAsync(op, "/exports/peers?format=csv");
        Assert.DoesNotContain(peerRows, r => r[0] is "JDBT" or "HBXY");
    }
}
