using Bunit;
using FinancePortal.Application.Features.Exports;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Exports;
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
}
