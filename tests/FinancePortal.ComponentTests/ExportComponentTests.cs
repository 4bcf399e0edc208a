using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Exports;
using FinancePortal.Web.Components.Pages.Monitoring;
using FinancePortal.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.ComponentTests;

/// <summary>The loan-extract panel (count first, download links with the filters, progress and cancel) and the grids' Export menu.</summary>
public class ExportComponentTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Counting_shows_the_services_estimate_and_links_carrying_the_filters()
    {
        await SignInAsAsync(DemoUsers.Operator);
        var panel = RenderWithProviders<LoanExtractPanel>();
        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-testid=extract-count]")), Timeout);
        Assert.Empty(panel.FindAll("[data-testid=extract-xlsx]"));

        Choose(panel.Find("[data-testid=extract-status]").Closest("div.mud-input-control")!, "DEFAULTED");
        await panel.Find("[data-testid=extract-count]").ClickAsync(new());

        long expected;
        await using (var op = await ActAsAsync(DemoUsers.Operator))
        {
            expected = (await op.Get<LoanExtractService>().PlanAsync(new LoanExtractFilter(Status: "DEFAULTED"))).EstimatedRows;
        }

        Assert.True(expected > 0);
        panel.WaitForAssertion(() => Assert.StartsWith($"{expected:N0} loans in ", panel.Find("[data-testid=extract-estimate]").TextContent.Trim()), Timeout);
        var xlsx = panel.Find("[data-testid=extract-xlsx]").GetAttribute("href")!;
        Assert.StartsWith("exports/loans?format=xlsx&status=DEFAULTED&progress=", xlsx);
        Assert.StartsWith("exports/loans?format=csv&status=DEFAULTED&progress=", panel.Find("[data-testid=extract-csv]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_running_download_shows_rows_written_and_can_be_cancelled()
    {
        await SignInAsAsync(DemoUsers.Analyst);
        var panel = RenderWithProviders<LoanExtractPanel>();
        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-testid=extract-count]")), Timeout);
        await panel.Find("[data-testid=extract-count]").ClickAsync(new());
        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-testid=extract-csv]")), Timeout);
        var href = panel.Find("[data-testid=extract-csv]").GetAttribute("href")!;
        var key = href[(href.IndexOf("progress=", StringComparison.Ordinal) + "progress=".Length)..];

        // What the download endpoint does when the browser follows the link: a tracker under the page's key.
        await panel.Find("[data-testid=extract-csv]").ClickAsync(new());
        var tracker = Services.GetRequiredService<ExportTrackers>().Start(key, DemoUsers.Analyst)!;
        tracker.Report(12_000);

        panel.WaitForAssertion(() => Assert.Contains("12,000 of about", panel.Find("[data-testid=extract-progress]").TextContent), Timeout);
        Assert.Contains("Running", panel.Find("[data-testid=extract-progress]").TextContent);
        await panel.Find("[data-testid=extract-cancel]").ClickAsync(new());
        Assert.True(tracker.Token.IsCancellationRequested);

        tracker.Cancelled(13_000);
        panel.WaitForAssertion(() => Assert.Contains("13,000 of about", panel.Find("[data-testid=extract-progress]").TextContent), Timeout);
        Assert.Contains("Cancelled", panel.Find("[data-testid=extract-progress]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=extract-cancel]"));
    }

    [Fact]
    public async Task A_tracker_of_another_user_is_not_shown()
    {
        var trackers = new ExportTrackers();
        Assert.NotNull(trackers.Start("abc123", DemoUsers.Analyst));
        Assert.Null(trackers.Find("abc123", DemoUsers.Operator));
        Assert.Null(trackers.Start("abc123", DemoUsers.Operator));
        Assert.Null(trackers.Start("../x", DemoUsers.Operator));
        await Task.CompletedTask;
    }

    [Fact]
    public void Export_menu_links_keep_the_grids_filters_and_drop_empty_ones()
    {
        var url = ExportMenu.Url("audit", "csv", new Dictionary<string, string?> { ["action"] = "Exported", ["actor"] = null, ["text"] = "a&b c" });
        Assert.Equal("exports/audit?format=csv&action=Exported&text=a%26b%20c", url);

        var menu = RenderWithProviders<ExportMenu>(("Grid", "alerts"));
        Assert.Contains("Export", menu.Find("[data-testid=export-alerts]").TextContent);
        menu.Find("[data-testid=export-alerts] button").Click();
        Popovers.WaitForAssertion(() => Assert.Equal("exports/alerts?format=xlsx", Popovers.Find("[data-testid=export-alerts-xlsx]").GetAttribute("href")), Timeout);
    }

    [Fact]
    public void The_dashboards_peer_table_and_roll_rate_matrix_export_with_the_dashboards_filter()
    {
        var filters = new Dictionary<string, string?> { ["platformId"] = null, ["product"] = "CREDIT_LINE", ["from"] = "2026-01", ["to"] = "2026-10" };
        var peers = RenderWithProviders<PeerTable>(("Peers", (IReadOnlyList<PeerRow>)[new PeerRow(1, "JDBT", 0.01m, 40, 0.02m, 45, 0.03m, 50)]), ("ExportFilters", (IReadOnlyDictionary<string, string?>)filters));
        peers.Find("[data-testid=export-peers] button").Click();
        Popovers.WaitForAssertion(() => Assert.Equal("exports/peers?format=csv&product=CREDIT_LINE&from=2026-01&to=2026-10",
            Popovers.Find("[data-testid=export-peers-csv]").GetAttribute("href")), Timeout);

    }

    [Fact]
    public void The_roll_rate_matrix_exports_with_the_dashboards_filter_and_offers_nothing_without_a_matrix()
    {
        var filters = new Dictionary<string, string?> { ["platformId"] = "3", ["to"] = "2026-10" };
        var matrix = new RollMatrix("2026-10", [new RollRow(DelinquencyBucket.Current, 1000m, new Dictionary<DelinquencyBucket, decimal> { [DelinquencyBucket.Current] = 1m })], 0.5m);
        var roll = RenderWithProviders<RollRateMatrixView>(("Matrix", matrix), ("ExportFilters", (IReadOnlyDictionary<string, string?>)filters));
        roll.Find("[data-testid=export-roll-rates] button").Click();
        Popovers.WaitForAssertion(() => Assert.Equal("exports/roll-rates?format=xlsx&platformId=3&to=2026-10",
            Popovers.Find("[data-testid=export-roll-rates-xlsx]").GetAttribute("href")), Timeout);

        // Without two consecutive months there is no matrix, and nothing to export.
        roll.Render(p => p.Add(v => v.Matrix, null));
        Assert.Empty(roll.FindAll("[data-testid=export-roll-rates]"));
    }
}
