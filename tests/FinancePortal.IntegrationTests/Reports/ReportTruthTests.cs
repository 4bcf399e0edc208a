using System.Globalization;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using FinancePortal.Web.Localization;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests.Reports;

/// <summary>
/// The report tells the truth: empty sections say so, codes are words in the report's language, alerts open at the
/// report's as-of time are in it whatever month raised them, and regenerating as of the same time gives the same cells.
/// </summary>
public class ReportTruthTests : IAsyncLifetime
{
    private const string Period = "2026-10";
    private static readonly ResourceDomainText Words = new();
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<ReportDocument> BuildAsync(ReportRequest request)
    {
        await using var analyst = await _portal.AsAsync(DemoUsers.Analyst);
        return await analyst.Get<ReportService>().BuildDocumentAsync(request);
    }

    private static ReportTable Sheet(ReportDocument document, string name) => document.Tables.Single(t => t.SheetName == name);

    private async Task<int> PlatformIdAsync(string code)
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await db.Platforms.Where(p => p.Code == code).Select(p => p.Id).SingleAsync();
    }

    [Theory]
    [InlineData("en", "No access decisions in 2026-10.")]
    [InlineData("zh-CN", "2026-10 无准入决定。")]
    public async Task An_empty_section_says_so_in_words(string language, string sentence)
    {
        // JDBT's decisions were all made long before 2026-10.
        var report = await BuildAsync(new ReportRequest(Period, [await PlatformIdAsync("JDBT")], Language: language));
        var decisions = Sheet(report, "Access decisions");
        Assert.Equal(sentence, Assert.Single(decisions.Rows).Values[0]);
        Assert.All(report.Tables, t => Assert.NotEmpty(t.Rows));
    }

    [Fact]
    public async Task Codes_are_written_as_words_in_the_reports_language()
    {
        var zh = CultureInfo.GetCultureInfo("zh-CN");
        var report = await BuildAsync(new ReportRequest(Period, Language: "zh-CN"));
        var alerts = Sheet(report, "Alerts and actions").Rows.Where(r => (string?)r.Values[0] == Words.Get("Alert", zh)).ToList();
        Assert.NotEmpty(alerts);
        var ruleWords = Enum.GetValues<AlertRule>().Select(r => Words.Words(r, zh)).ToHashSet();
        var stateWords = Enum.GetValues<AlertState>().Select(r => Words.Words(r, zh)).ToHashSet();
        var severityWords = Enum.GetValues<AlertSeverity>().Select(r => Words.Words(r, zh)).ToHashSet();
        Assert.All(alerts, r =>
        {
            Assert.Contains((string)r.Values[4]!, ruleWords);
            Assert.Contains((string)r.Values[5]!, severityWords);
            Assert.Contains((string)r.Values[6]!, stateWords);
        });
        // No stored code survives anywhere in the report's text cells.
        var codes = Enum.GetNames<AlertRule>().Concat(Enum.GetNames<ApplicationState>()).Concat(Enum.GetNames<SupervisoryActionKind>()).ToHashSet();
        Assert.DoesNotContain(report.Tables.SelectMany(t => t.Rows).SelectMany(r => r.Values).OfType<string>(), codes.Contains);
        var timeliness = Sheet(report, "Data quality").Rows.Select(r => (string)r.Values[2]!).Distinct().ToList();
        Assert.All(timeliness, t => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", t));
    }

    [Fact]
    public async Task An_open_alert_raised_for_an_earlier_month_is_in_the_report_and_a_closed_one_is_not()
    {
        var qfen = await PlatformIdAsync("QFEN");
        long openId, closedId;
        await using (var system = _portal.As(UserContext.System))
        await using (var db = await system.Get<IPortalDbFactory>().CreateAsync())
        {
            var raised = _portal.Clock.GetUtcNow().UtcDateTime.AddDays(-60);
            Alert Missing(string period) => new()
            {
                PlatformId = qfen, Rule = AlertRule.SubmissionMissing, Period = period, Severity = AlertSeverity.High, Value = 40, Limit = 10,
                Message = $"No signed loan tape for {period}.", RaisedUtc = raised, UpdatedUtc = raised,
            };
            var open = Missing("2024-03");
            var closed = Missing("2024-04");
            db.Alerts.AddRange(open, closed);
            await db.SaveChangesAsync();
            closed.State = AlertState.Closed;
            closed.UpdatedUtc = raised.AddDays(5);
            await db.SaveChangesAsync();
            (openId, closedId) = (open.Id, closed.Id);
        }

        var rows = Sheet(await BuildAsync(new ReportRequest(Period)), "Alerts and actions").Rows;
        var ids = rows.Where(r => (string?)r.Values[0] == "Alert").Select(r => Convert.ToInt64(r.Values[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(openId, ids);
        Assert.DoesNotContain(closedId, ids);
        var openRow = rows.Single(r => (string?)r.Values[0] == "Alert" && Convert.ToInt64(r.Values[1], CultureInfo.InvariantCulture) == openId);
        Assert.Equal("2024-03", openRow.Values[3]);
        Assert.Equal(Words.Words(AlertState.Open, CultureInfo.GetCultureInfo("en")), openRow.Values[6]);
    }

    [Fact]
    public async Task Regenerating_as_of_the_same_time_gives_identical_cells_after_alerts_and_scorings_change()
    {
        var asOf = _portal.Clock.GetUtcNow().UtcDateTime;
        ReportDocument first;
        GeneratedReportItem item;
        await using (var analyst = await _portal.AsAsync(DemoUsers.Analyst))
        {
            var reports = analyst.Get<ReportService>();
            item = await reports.GenerateAsync(new ReportRequest(Period, AsOfUtc: asOf));
            first = await reports.BuildDocumentAsync(new ReportRequest(Period, AsOfUtc: asOf));
        }

        // A day later, risk officers move the period's alerts on, and an application is scored again.
        _portal.Clock.Advance(TimeSpan.FromDays(1));
        var moved = 0;
        await using (var risk = await _portal.AsAsync(DemoUsers.RiskOfficer))
        {
            var alerts = risk.Get<AlertService>();
            foreach (var a in (await alerts.GetPageAsync(new AlertQuery { PageSize = 100, OpenOnly = true })).Items.Take(3))
            {
                var detail = await alerts.GetAsync(a.Id);
                await alerts.CloseAsync(a.Id, detail.ConcurrencyStamp, "Rectified; closed after the on-site visit.");
                moved++;
            }
        }

        Assert.Equal(3, moved);
        await using (var system = _portal.As(UserContext.System))
        await using (var db = await system.Get<IPortalDbFactory>().CreateAsync())
        {
            var decided = await db.Scorings.AsNoTracking().OrderByDescending(s => s.Id).FirstAsync();
            db.Scorings.Add(new Scoring
            {
                ApplicationId = decided.ApplicationId, PlatformId = decided.PlatformId, ApplicationVersionId = decided.ApplicationVersionId,
                ApplicationVersionNumber = decided.ApplicationVersionNumber, ScorecardVersionId = decided.ScorecardVersionId,
                ScorecardVersionNumber = decided.ScorecardVersionNumber, TotalScore = 12.5m, Band = Band.Fail, Result = decided.Result,
                ScoredBy = "reviewer@financeportal.demo", ScoredUtc = db.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var again = await BuildAsync(new ReportRequest(Period, AsOfUtc: asOf));
        Assert.Equal(first.Tables.Count, again.Tables.Count);
        foreach (var (a, b) in first.Tables.Zip(again.Tables))
        {
            Assert.Equal(a.SheetName, b.SheetName);
            var left = a.Rows.Select(r => string.Join("|", r.Values)).ToList();
            var right = b.Rows.Select(r => string.Join("|", r.Values)).ToList();
            Assert.True(left.SequenceEqual(right), $"{a.SheetName}: only before: {string.Join(" / ", left.Except(right))}; only after: {string.Join(" / ", right.Except(left))}");
        }

        Assert.Equal(first.Cover with { GeneratedUtc = default }, again.Cover with { GeneratedUtc = default }, CoverComparer.Instance);

        // The same report made now shows the alerts closed: the as-of time is what kept the first one stable.
        var now = await BuildAsync(new ReportRequest(Period));
        Assert.NotEqual(
            Sheet(first, "Alerts and actions").Rows.Select(r => string.Join("|", r.Values)),
            Sheet(now, "Alerts and actions").Rows.Select(r => string.Join("|", r.Values)));

        // The record keeps the as-of time and the thresholds version.
        await using var check = _portal.As(UserContext.System);
        await using var records = await check.Get<IPortalDbFactory>().CreateAsync();
        var record = await records.GeneratedReports.SingleAsync(r => r.Id == item.Id);
        Assert.Equal(asOf, record.AsOfUtc);
        Assert.Equal(first.Cover.ThresholdsVersion, record.ThresholdsVersion);
        Assert.Equal("en", record.Language);
    }

    [Fact]
    public async Task A_report_cannot_be_made_as_of_the_future_or_in_an_unknown_language()
    {
        await Assert.ThrowsAsync<ValidationFailedException>(() => BuildAsync(new ReportRequest(Period, AsOfUtc: _portal.Clock.GetUtcNow().UtcDateTime.AddHours(1))));
        await Assert.ThrowsAsync<ValidationFailedException>(() => BuildAsync(new ReportRequest(Period, Language: "fr")));
    }

    /// <summary>Covers compare by value, with their list of data versions compared item by item.</summary>
    private sealed class CoverComparer : IEqualityComparer<ReportCover>
    {
        public static readonly CoverComparer Instance = new();

        public bool Equals(ReportCover? x, ReportCover? y) =>
            x is not null && y is not null && x.DataVersions.SequenceEqual(y.DataVersions) && x with { DataVersions = [] } == y with { DataVersions = [] };

        public int GetHashCode(ReportCover obj) => obj.Period.GetHashCode(StringComparison.Ordinal);
    }
}
