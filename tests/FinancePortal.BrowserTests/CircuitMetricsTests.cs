using System.Text.RegularExpressions;
using FinancePortal.TestSupport;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.BrowserTests;

/// <summary>A real browser opens a Blazor Server circuit: the FinancePortal meter counts it, and the gauge falls when the page closes.</summary>
public class CircuitMetricsTests(CircuitMetricsTests.ShortRetentionBrowser browser) : IClassFixture<CircuitMetricsTests.ShortRetentionBrowser>
{
    /// <summary>
    /// The portal with disconnected circuits kept 3 s instead of Blazor's 3 minutes. A page that leaves normally sends
    /// Blazor's disconnect beacon and the server ends the circuit at once; when the beacon is lost (the browser context
    /// is torn down before the request leaves, which happens on a busy machine) the server ends the circuit when its
    /// retention runs out. Either way the circuit closes within the test's wait.
    /// </summary>
    public sealed class ShortRetentionBrowser() : BrowserFixture(new PortalAppFactory
    {
        ConfigureServices = services => services.Configure<CircuitOptions>(o => o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(3)),
    });

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Opening_an_interactive_page_counts_a_circuit_and_closing_the_page_ends_it_with_its_duration()
    {
        using var metrics = new MetricCapture(browser.App.Services);
        double Active() => metrics.Of("financeportal.circuits.active").Sum(m => m.Value);

        var page = await browser.NewPageAsync();
        await page.SignInAsync(DemoUsers.Analyst);
        // The redirect only (not the load event): the interactive marker below is what the test needs, and on a busy
        // machine the first page of the run can take longer than a minute to fire its load event.
        await page.WaitForURLAsync(new Regex("/$"), new() { Timeout = 60_000, WaitUntil = Microsoft.Playwright.WaitUntilState.Commit });
        await page.Locator("[data-interactive=yes]").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Attached, Timeout = 60_000 });

        await WaitUntilAsync(() => metrics.Of("financeportal.circuits.opened").Count == 1, "the circuit to be counted");
        Assert.Equal(1, metrics.Of("financeportal.circuits.opened").Sum(m => m.Value));
        Assert.Equal(1, Active());
        Assert.Empty(metrics.Of("financeportal.circuits.duration"));

        // Leaving the page sends Blazor's disconnect beacon (on unload): the server ends the circuit. A normal navigation
        // always runs the page's unload handlers; should the beacon still be lost, the short retention above ends it.
        await page.GotoAsync("about:blank");
        await page.Context.CloseAsync();
        await WaitUntilAsync(() => metrics.Of("financeportal.circuits.duration").Count == 1, "the circuit to close");
        Assert.Equal(0, Active());
        Assert.True(metrics.Of("financeportal.circuits.duration").Single().Value > 0);
    }
}
