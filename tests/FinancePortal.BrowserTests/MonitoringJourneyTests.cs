using System.Text.RegularExpressions;
using FinancePortal.TestSupport;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

/// <summary>
/// A risk officer opens the dashboard, drills into a platform with an alert, acknowledges it and records a rectification
/// request; the platform's operator then sees the request on their own dashboard.
/// </summary>
public class MonitoringJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Risk_officer_acknowledges_an_alert_and_requests_rectification_which_the_operator_then_sees()
    {
        var request = $"Reduce the PAR30 of the cash-loan book below 8% ({Guid.NewGuid():N})";
        var risk = await browser.NewPageAsync();
        await risk.SignInAsync(DemoUsers.RiskOfficer);
        await risk.WaitForURLAsync(new Regex("/$"));

        await risk.GotoAsync("/monitoring");
        await risk.WaitForInteractiveAsync();
        await Assertions.Expect(risk.Locator("[data-testid=kpi-default-rate-value]")).ToContainTextAsync("%");
        var qfenRow = risk.Locator("[data-testid=platform-month-table] tr[data-platform=QFEN]");
        await Assertions.Expect(qfenRow.Locator("td.fp-breach").First).ToBeVisibleAsync();

        await qfenRow.Locator("[data-testid=drill-platform]").ClickAsync();
        await risk.WaitForURLAsync(new Regex(@"/monitoring/platforms/\d+$"));
        await Assertions.Expect(risk.Locator("[data-testid=platform-risk-title]")).ToContainTextAsync("QFEN");
        await Assertions.Expect(risk.Locator("[data-testid=watched]")).ToBeVisibleAsync();

        // The PAR30 alert is still open.
        var alertLink = risk.Locator("[data-testid=platform-alerts] tr", new() { HasText = "PAR30 above limit" }).Locator("[data-testid=platform-alert-link]");
        await alertLink.ClickAsync();
        await risk.WaitForURLAsync(new Regex(@"/alerts/\d+$"));
        await risk.WaitForInteractiveAsync();
        var state = risk.Locator("[data-testid=alert-header] [data-testid=alert-state]");
        await Assertions.Expect(state).ToHaveTextAsync("Open");

        await risk.ClickAsync("[data-testid=acknowledge]");
        await Assertions.Expect(state).ToHaveTextAsync("Acknowledged");

        await risk.ClickAsync("[data-testid=record-action]");
        await risk.Locator("[data-testid=action-kind]").ClickAsync();
        await risk.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Rectification request" }).ClickAsync();
        await risk.Locator("textarea[data-testid=action-text]").FillAsync(request);
        await risk.ClickAsync("[data-testid=action-save]");
        await Assertions.Expect(risk.Locator("[data-testid=action-log]")).ToContainTextAsync(request);
        await Assertions.Expect(risk.Locator("[data-testid=alert-history]")).ToContainTextAsync("Open → Acknowledged");
        await risk.Context.CloseAsync();

        var op = await browser.NewPageAsync();
        await op.SignInAsync(DemoUsers.OperatorQfen);
        await op.WaitForURLAsync(new Regex("/$"));
        await op.GotoAsync("/monitoring");
        await op.WaitForInteractiveAsync();
        await Assertions.Expect(op.Locator("[data-testid=rectification-requests]")).ToContainTextAsync(request);
        // The operator's table holds their own platform only.
        await Assertions.Expect(op.Locator("[data-testid=platform-month-table] tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(op.Locator("[data-testid=platform-month-table] tr[data-platform=QFEN]")).ToBeVisibleAsync();
        await op.Context.CloseAsync();
    }
}
