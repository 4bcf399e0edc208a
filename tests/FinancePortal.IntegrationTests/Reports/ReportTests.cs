using System.Security.Cryptography;
using ClosedXML.Excel;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.Infrastructure.Exports;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests.Reports;

/// <summary>The monthly supervision report over the seeded demo database, opened again with ClosedXML.</summary>
public class ReportTests : IAsyncLifetime
{
    private const string Period = "2026-10";
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<(GeneratedReportItem Item, XLWorkbook Workbook, byte[] Bytes)> GenerateAsync(ReportRequest request, string user = DemoUsers.Analyst)
    {
        await using var scope = await _portal.AsAsync(user);
        var service = scope.Get<ReportService>();
        var item = await service.GenerateAsync(request);
        var file = await service.OpenFileAsync(item.Id);
        using var buffer = new MemoryStream();
        await using (file.Content)
        {
            await file.Content.CopyToAsync(buffer);
        }

        var bytes = buffer.ToArray();
        return (item, new XLWorkbook(new MemoryStream(bytes)), bytes);
    }

    private static Dictionary<string, IXLRow> RowsByCode(IXLWorksheet sheet) =>
        sheet.RowsUsed().Skip(1).ToDictionary(r => r.Cell(1).GetString(), r => r);

    private static string[] Headers(IXLWorksheet sheet) => sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToArray();

    [Fact]
    public async Task The_report_has_every_sheet_with_headers_formats_frozen_rows_and_autofilters()
    {
        var (item, workbook, _) = await GenerateAsync(new ReportRequest(Period));

        Assert.Equal(ReportService.SheetNames, workbook.Worksheets.Select(w => w.Name).ToArray());
        Assert.Equal(["Platform", "Legal name", "Outstanding balance", "Loans", "Active loans", "Default rate", "PAR30", "Default rate previous month", "Default rate change (pp)", "Alert flags"],
            Headers(workbook.Worksheet("Summary")));
        Assert.Equal("Reference", workbook.Worksheet("Access decisions").Cell(1, 1).GetString());
        var alertsSheet = workbook.Worksheet("Alerts and actions");
        Assert.Equal(["Type", "Id", "Platform", "Month", "Rule or action", "Severity", "State", "Value", "Limit", "Unit", "Alert id", "Time (UTC)", "By", "Text"], Headers(alertsSheet));
        // Value and limit are in the rule's unit: percent, percentage points (a jump) or days (a missing tape).
        var alertRows = alertsSheet.RowsUsed().Skip(1).Where(r => r.Cell(1).GetString() == "Alert").ToList();
        Assert.NotEmpty(alertRows);
        // Rules are written in words, never as codes.
        var words = new FinancePortal.Web.Localization.ResourceDomainText();
        var english = System.Globalization.CultureInfo.GetCultureInfo("en");
        var ruleOf = Enum.GetValues<AlertRule>().ToDictionary(rule => words.Words(rule, english));
        Assert.All(alertRows, r => Assert.Equal(AlertUnits.Of(ruleOf[r.Cell(5).GetString()]), r.Cell(10).GetString()));
        Assert.DoesNotContain(alertRows, r => Enum.TryParse<AlertRule>(r.Cell(5).GetString(), out _));
        Assert.Equal("Timeliness", workbook.Worksheet("Data quality").Cell(1, 3).GetString());
        Assert.Equal("MOB 0", workbook.Worksheet("Vintages").Cell(1, 4).GetString());
        var trendHeaders = Headers(workbook.Worksheet("Trends"));
        Assert.Equal(14, trendHeaders.Length);
        Assert.Equal("2025-11", trendHeaders[2]);
        Assert.Equal(Period, trendHeaders[^1]);

        foreach (var sheet in workbook.Worksheets.Where(w => w.Name != "Cover"))
        {
            Assert.Equal(1, sheet.SheetView.SplitRow);
            Assert.True(sheet.AutoFilter.IsEnabled, $"{sheet.Name} has no autofilter");
            Assert.Equal(1, sheet.AutoFilter.Range.FirstRow().RowNumber());
            Assert.True(sheet.Column(1).Width > 5);
        }

        var summary = workbook.Worksheet("Summary");
        var first = summary.Row(2);
        Assert.Equal("¥#,##0.00", first.Cell(3).Style.NumberFormat.Format);
        Assert.Equal("0.00%", first.Cell(6).Style.NumberFormat.Format);
        Assert.Equal("0.00%", first.Cell(7).Style.NumberFormat.Format);
        Assert.Equal("0.00%", workbook.Worksheet("Trends").Cell(2, 14).Style.NumberFormat.Format);
        Assert.Equal("¥#,##0.00", workbook.Worksheet("Vintages").Cell(2, 3).Style.NumberFormat.Format);

        var cover = workbook.Worksheet("Cover");
        Assert.Equal(Period, cover.Cell(3, 2).GetString());
        Assert.Equal("analyst", cover.Cell(4, 2).GetString().Split('@')[0]);
        Assert.Equal(_portal.Clock.GetUtcNow().UtcDateTime, cover.Cell(5, 2).GetDateTime());
        Assert.True(item.DataVersions >= 100, $"only {item.DataVersions} data versions");
        Assert.Equal(("Month status", $"Closed: filing deadline 2026-11-15 passed; 10 of 10 platforms filed"), (cover.Cell(11, 1).GetString(), cover.Cell(11, 2).GetString()));
        Assert.Equal("As of (UTC)", cover.Cell(12, 1).GetString());
        Assert.Equal(_portal.Clock.GetUtcNow().UtcDateTime, cover.Cell(12, 2).GetDateTime());
        var versionRows = cover.RowsUsed().Where(r => r.RowNumber() > 19).ToList();
        Assert.Equal(item.DataVersions, versionRows.Count);
        Assert.All(versionRows, r => Assert.True(r.Cell(3).GetValue<long>() > 0));
    }

    [Fact]
    public async Task Chosen_sections_give_only_those_sheets_in_workbook_order_behind_the_cover()
    {
        var (item, workbook, _) = await GenerateAsync(new ReportRequest(Period, Sections: ["Data quality", "Summary"]));

        Assert.Equal(["Cover", "Summary", "Data quality"], workbook.Worksheets.Select(w => w.Name).ToArray());
        Assert.Equal("Summary, Data quality", item.Sections);
        var cover = workbook.Worksheet("Cover");
        Assert.Equal("Sections", cover.Cell(7, 1).GetString());
        Assert.Equal("Summary, Data quality", cover.Cell(7, 2).GetString());
        Assert.True(item.DataVersions > 0);

        // The chosen sheets hold exactly what the full report holds.
        var (_, full, _) = await GenerateAsync(new ReportRequest(Period));
        foreach (var name in new[] { "Summary", "Data quality" })
        {
            var expected = full.Worksheet(name).CellsUsed().Select(c => (c.Address.ToString(), c.Value.ToString())).ToList();
            var actual = workbook.Worksheet(name).CellsUsed().Select(c => (c.Address.ToString(), c.Value.ToString())).ToList();
            Assert.Equal(expected, actual);
        }

        Assert.Equal(ReportService.AllSections, full.Worksheet("Cover").Cell(7, 2).GetString());
    }

    [Fact]
    public async Task Every_section_chosen_is_the_full_report_and_an_unknown_section_is_refused()
    {
        var (item, workbook, _) = await GenerateAsync(new ReportRequest(Period, Sections: [.. ReportService.Sections.Reverse()]));
        Assert.Equal(ReportService.SheetNames, workbook.Worksheets.Select(w => w.Name).ToArray());
        Assert.Equal(ReportService.AllSections, item.Sections);

        await using var analyst = await _portal.AsAsync(DemoUsers.Analyst);
        var error = await Assert.ThrowsAsync<ValidationFailedException>(
            () => analyst.Get<ReportService>().GenerateAsync(new ReportRequest(Period, Sections: ["Summary", "Salaries"])));
        Assert.Contains("Unknown report section: Salaries", error.Message);
        Assert.Equal(1, (await analyst.Get<ReportService>().GetHistoryAsync(new PageRequest())).TotalCount);
    }

    [Fact]
    public async Task Data_quality_equals_the_regulators_month_grid_and_vintages_equal_the_dashboards_curves()
    {
        // September 2026: the demo has XMHX's tape missing for it (the grid and the report must both say so).
        const string september = "2026-09";
        var (_, workbook, _) = await GenerateAsync(new ReportRequest(september));

        // Data quality: the same timeliness, versions as the Loan tapes grid of the month.
        IReadOnlyList<PlatformMonths> grid;
        await using (var analyst = await _portal.AsAsync(DemoUsers.Analyst))
        {
            grid = await analyst.Get<SubmissionService>().GetMonthGridAsync(september, september);
        }

        var quality = RowsByCode(workbook.Worksheet("Data quality"));
        Assert.Equal(grid.Select(g => g.PlatformCode).Order(), quality.Keys.Order());
        Assert.Contains(grid, g => g.Months[0].State == MonthState.Missing);
        foreach (var platform in grid)
        {
            var cell = platform.Months.Single();
            var row = quality[platform.PlatformCode];
            var expected = cell.State switch
            {
                MonthState.OnTime => "On time",
                MonthState.Late => "Late",
                MonthState.Missing => "Missing",
                MonthState.NotRequired => "Not required",
                _ => "Not yet due",
            };
            Assert.Equal(expected, row.Cell(3).GetString());
            Assert.Equal(cell.Versions, row.Cell(6).GetValue<int>());
            Assert.Equal(cell.LatestVersion, row.Cell(7).IsEmpty() ? null : row.Cell(7).GetValue<int>());
        }

        // Vintages: per platform and cohort, the originated principal and the cumulative default rate at each month on
        // book, as the dashboard's vintage curves of that platform give them.
        var vintages = workbook.Worksheet("Vintages").RowsUsed().Skip(1).ToList();
        var compared = 0;
        foreach (var code in new[] { "JDBT", "QFEN" })
        {
            DashboardData dashboard;
            await using (var analyst = await _portal.AsAsync(DemoUsers.Analyst))
            {
                var id = (await analyst.Get<MonitoringService>().GetPlatformsAsync()).Single(p => p.Code == code).Id;
                dashboard = await analyst.Get<MonitoringService>().GetDashboardAsync(new DashboardFilter(PlatformId: id, From: "2025-10", To: september));
            }

            foreach (var row in vintages.Where(r => r.Cell(1).GetString() == code))
            {
                var curve = dashboard.Vintages.SingleOrDefault(v => v.Cohort == row.Cell(2).GetString());
                if (curve is null)
                {
                    continue;
                }

                Assert.Equal((double)curve.Originated, row.Cell(3).GetDouble(), 2);
                for (var m = 0; m < curve.Cumulative.Count && m < 12; m++)
                {
                    Assert.Equal((double)curve.Cumulative[m], row.Cell(4 + m).GetDouble(), 9);
                    compared++;
                }
            }
        }

        Assert.True(compared > 20, $"only {compared} vintage points compared");
    }

    [Fact]
    public async Task Summary_and_trends_equal_the_monitoring_service_and_breaches_are_filled()
    {
        var (_, workbook, _) = await GenerateAsync(new ReportRequest(Period));
        await using var analyst = await _portal.AsAsync(DemoUsers.Analyst);
        var dashboard = await analyst.Get<MonitoringService>().GetDashboardAsync(new DashboardFilter(From: "2025-11", To: Period));
        var summary = RowsByCode(workbook.Worksheet("Summary"));
        var trends = RowsByCode(workbook.Worksheet("Trends"));
        Assert.Equal(dashboard.Platforms.Select(p => p.Code).Order(), summary.Keys.Order());

        var breached = new List<string>();
        foreach (var platform in dashboard.Platforms)
        {
            var now = platform.Months.Single(m => m.Period == Period).Metrics;
            var row = summary[platform.Code];
            Assert.Equal(platform.Name, row.Cell(2).GetString());
            Assert.Equal((double)now.Outstanding, row.Cell(3).GetDouble(), 2);
            Assert.Equal(now.Loans, row.Cell(4).GetValue<long>());
            Assert.Equal((double)now.DefaultRate!.Value, row.Cell(6).GetDouble(), 12);
            Assert.Equal((double)now.Par30!.Value, row.Cell(7).GetDouble(), 12);
            if (platform.Months.SingleOrDefault(m => m.Period == "2026-09")?.Metrics.DefaultRate is decimal before)
            {
                Assert.Equal((double)before, row.Cell(8).GetDouble(), 12);
                Assert.Equal((double)(now.DefaultRate.Value - before), row.Cell(9).GetDouble(), 12);
            }
            else
            {
                Assert.True(row.Cell(9).IsEmpty());
            }

            var isBreach = Math.Round(now.DefaultRate.Value * 100m, 2) > dashboard.DefaultRateLimitPct;
            Assert.Equal(isBreach, row.Cell(6).Style.Fill.BackgroundColor == ClosedXmlReportWriter.BreachFill);
            Assert.Equal(Math.Round(now.Par30.Value * 100m, 2) > dashboard.Par30LimitPct, row.Cell(7).Style.Fill.BackgroundColor == ClosedXmlReportWriter.BreachFill);
            if (isBreach)
            {
                breached.Add(platform.Code);
                Assert.Contains("Default rate above", row.Cell(10).GetString());
            }

            var trend = trends[platform.Code];
            for (var i = 0; i < dashboard.Periods.Count; i++)
            {
                var month = platform.Months.SingleOrDefault(m => m.Period == dashboard.Periods[i]);
                var cell = trend.Cell(3 + i);
                if (month?.Metrics.DefaultRate is decimal rate)
                {
                    Assert.Equal((double)rate, cell.GetDouble(), 12);
                    Assert.Equal(Math.Round(rate * 100m, 2) > dashboard.DefaultRateLimitPct, cell.Style.Fill.BackgroundColor == ClosedXmlReportWriter.BreachFill);
                }
                else
                {
                    Assert.True(cell.IsEmpty());
                }
            }
        }

        // The demo's deteriorating platform is above the 5% default-rate limit in 2026-10 (the fill of every other row was checked above).
        Assert.Contains("QFEN", breached);
    }

    [Fact]
    public async Task A_platform_selection_limits_every_sheet_to_those_platforms()
    {
        int[] ids;
        await using (var system = _portal.As(UserContext.System))
        await using (var db = await system.Get<IPortalDbFactory>().CreateAsync())
        {
            ids = await db.Platforms.Where(p => p.Code == "QFEN" || p.Code == "JDBT").Select(p => p.Id).ToArrayAsync();
        }

        var (item, workbook, _) = await GenerateAsync(new ReportRequest(Period, ids));
        Assert.Equal("JDBT, QFEN", item.Platforms);
        foreach (var name in new[] { "Summary", "Trends", "Data quality" })
        {
            Assert.Equal(["JDBT", "QFEN"], RowsByCode(workbook.Worksheet(name)).Keys.Order().ToArray());
        }

        Assert.All(workbook.Worksheet("Vintages").RowsUsed().Skip(1), r => Assert.Contains(r.Cell(1).GetString(), new[] { "JDBT", "QFEN" }));
        Assert.All(workbook.Worksheet("Alerts and actions").RowsUsed().Skip(1), r => Assert.Contains(r.Cell(3).GetString(), new[] { "JDBT", "QFEN" }));
    }

    private static Dictionary<string, string> Values(IXLWorksheet sheet) =>
        sheet.CellsUsed().ToDictionary(c => c.Address.ToString()!, c => $"{c.DataType}:{c.Value}");

    [Fact]
    public async Task Generating_twice_gives_the_same_cells_and_data_versions_and_the_history_keeps_both_files()
    {
        var (first, one, firstBytes) = await GenerateAsync(new ReportRequest(Period));
        _portal.Clock.Advance(TimeSpan.FromMinutes(7));
        var (second, two, secondBytes) = await GenerateAsync(new ReportRequest(Period));

        foreach (var sheet in one.Worksheets)
        {
            var a = Values(sheet);
            var b = Values(two.Worksheet(sheet.Name));
            if (sheet.Name == "Cover")
            {
                // Generated, and (made "now" both times) as of.
                Assert.NotEqual(a["B5"], b["B5"]);
                a.Remove("B5");
                b.Remove("B5");
                a.Remove("B12");
                b.Remove("B12");
            }

            Assert.Equal(a, b);
        }

        await using var analyst = await _portal.AsAsync(DemoUsers.Analyst);
        var service = analyst.Get<ReportService>();
        var versionsOne = (await service.GetAsync(first.Id)).DataVersions;
        var versionsTwo = (await service.GetAsync(second.Id)).DataVersions;
        Assert.NotEmpty(versionsOne);
        Assert.Equal(versionsOne, versionsTwo);

        var history = await service.GetHistoryAsync(new PageRequest());
        Assert.Equal(2, history.TotalCount);
        Assert.Equal([second.Id, first.Id], history.Items.Select(i => i.Id).ToArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(firstBytes)), history.Items[1].Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(secondBytes)), history.Items[0].Sha256);
        Assert.Equal(firstBytes.Length, history.Items[1].SizeBytes);
        Assert.NotEqual(first.Sha256, second.Sha256);

        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        var audits = await db.AuditEntries.Where(e => e.Action == AuditActions.Exported && e.EntityType == nameof(GeneratedReport)).ToListAsync();
        Assert.Equal(2, audits.Count(e => e.Summary.StartsWith("Generated", StringComparison.Ordinal)));
        Assert.All(audits, e => Assert.Equal("analyst", e.Actor.Split('@')[0]));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"open\")")]
    [InlineData("+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1:A2)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public async Task Hostile_text_from_platforms_applications_and_alerts_stays_plain_text(string hostile)
    {
        await using (var system = _portal.As(UserContext.System))
        await using (var db = await system.Get<IPortalDbFactory>().CreateAsync())
        {
            var qfen = await db.Platforms.SingleAsync(p => p.Code == "QFEN");
            qfen.LegalName = hostile;
            var application = await db.AccessApplications.OrderBy(a => a.Id).FirstAsync();
            application.DecisionReasons = hostile;
            db.ApplicationTransitions.Add(new ApplicationTransition
            {
                ApplicationId = application.Id,
                PlatformId = application.PlatformId,
                FromState = ApplicationState.Recommended,
                ToState = ApplicationState.Approved,
                Actor = "approver",
                ActorRole = Roles.Approver,
                TimeUtc = new DateTime(2026, 10, 15, 8, 0, 0, DateTimeKind.Utc),
                Comment = hostile,
            });
            var alert = await db.Alerts.Where(a => a.Period == Period).OrderBy(a => a.Id).FirstAsync();
            alert.Message = hostile;
            await db.SaveChangesAsync();
        }

        var (_, workbook, _) = await GenerateAsync(new ReportRequest(Period));

        // XML turns a bare CR into a line feed when the file is read; the cell must still be that text, not a formula.
        var expected = hostile.Replace('\r', '\n');
        var hostileCells = workbook.Worksheets.SelectMany(w => w.CellsUsed()).Where(c => c.GetString().Replace('\r', '\n') == expected).ToList();
        Assert.All(workbook.Worksheets.SelectMany(w => w.CellsUsed()), c => Assert.False(c.HasFormula, $"{c.Worksheet.Name}!{c.Address} is a formula"));
        Assert.All(hostileCells, c => Assert.Equal(XLDataType.Text, c.DataType));
        var sheets = hostileCells.Select(c => c.Worksheet.Name).Distinct().ToList();
        Assert.Contains("Summary", sheets);
        Assert.Contains("Trends", sheets);
        Assert.Contains("Data quality", sheets);
        Assert.Contains("Access decisions", sheets);
        Assert.Contains("Alerts and actions", sheets);
        Assert.Equal(expected, RowsByCode(workbook.Worksheet("Summary"))["QFEN"].Cell(2).GetString().Replace('\r', '\n'));
    }

    [Fact]
    public async Task The_writer_refuses_a_report_beyond_the_cell_limit()
    {
        var columns = Enumerable.Range(0, 100).Select(i => new ReportColumn($"C{i}", ReportColumnKind.Integer, 8)).ToList();
        var rows = Enumerable.Range(0, 2_000).Select(r => new ReportRow(columns.Select(_ => (object?)r).ToList(), [])).ToList();
        var document = new ReportDocument(new ReportCover("t", Period, "a", DateTime.UnixEpoch, "all", 0, 5, 8, []), [new ReportTable("Big", columns, rows)]);
        var error = Assert.Throws<ReportTooLargeException>(() => new ClosedXmlReportWriter().Write(document, new MemoryStream()));
        Assert.Contains("200,000", error.Message);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(DemoUsers.Operator)]
    [InlineData(DemoUsers.Reviewer)]
    [InlineData(DemoUsers.Approver)]
    public async Task Other_roles_may_not_build_or_list_reports(string user)
    {
        await using var scope = await _portal.AsAsync(user);
        var service = scope.Get<ReportService>();
        await Assert.ThrowsAsync<ForbiddenException>(() => service.GenerateAsync(new ReportRequest(Period)));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.GetHistoryAsync(new PageRequest()));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.OpenFileAsync(1));
    }

    [Fact]
    public async Task A_risk_officer_may_generate_and_download_and_an_unknown_report_is_not_found()
    {
        var (item, workbook, _) = await GenerateAsync(new ReportRequest(Period), DemoUsers.RiskOfficer);
        Assert.Equal(7, workbook.Worksheets.Count);
        await using var analyst = await _portal.AsAsync(DemoUsers.Analyst);
        var history = await analyst.Get<ReportService>().GetHistoryAsync(new PageRequest());
        Assert.Contains(history.Items, i => i.Id == item.Id);
        await Assert.ThrowsAsync<NotFoundException>(() => analyst.Get<ReportService>().OpenFileAsync(item.Id + 100));
        await Assert.ThrowsAsync<ValidationFailedException>(() => analyst.Get<ReportService>().GenerateAsync(new ReportRequest("2026-13")));
    }
}
