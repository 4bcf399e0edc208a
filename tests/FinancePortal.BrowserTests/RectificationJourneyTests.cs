using System.Text.RegularExpressions;
using FinancePortal.TestSupport;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

/// <summary>
/// Issue 17 item 5: a risk officer requests rectification on an alert; the platform's operator finds it on their home page
/// (beside the next deadline and their filing calendar), replies with a document; the risk officer accepts the answer.
/// </summary>
public class RectificationJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    [Fact]
    public async Task Risk_officer_requests_operator_replies_with_a_document_and_risk_officer_accepts()
    {
        var request = $"Restate the default rate of the cash-loan book with a recovery plan ({Guid.NewGuid():N})";

        // 1. The risk officer records the request on QFEN's default-rate alert.
        var risk = await browser.NewPageAsync();
        await risk.SignInAsync(DemoUsers.RiskOfficer);
        await risk.WaitForURLAsync(new Regex("/$"));
        await risk.GotoAsync("/monitoring");
        await risk.WaitForInteractiveAsync();
        await risk.Locator("[data-testid=platform-month-table] tr[data-platform=QFEN] [data-testid=drill-platform]").ClickAsync();
        await risk.WaitForURLAsync(new Regex(@"/monitoring/platforms/\d+$"));
        await risk.Locator("[data-testid=platform-alerts] tr", new() { HasText = "Default rate above limit" }).Locator("[data-testid=platform-alert-link]").First.ClickAsync();
        await risk.WaitForURLAsync(new Regex(@"/alerts/\d+$"));
        await risk.WaitForInteractiveAsync();
        await risk.ClickAsync("[data-testid=record-action]");
        await risk.Locator("[data-testid=action-kind]").ClickAsync();
        await risk.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Rectification request" }).ClickAsync();
        await risk.Locator("textarea[data-testid=action-text]").FillAsync(request);
        await risk.ClickAsync("[data-testid=action-save]");
        var link = risk.Locator("[data-testid=alert-rectifications] [data-testid=rectification-link]", new() { HasText = request });
        await link.ClickAsync();
        await risk.WaitForURLAsync(new Regex(@"/rectifications/\d+$"));
        var requestUrl = risk.Url;
        await Assertions.Expect(risk.Locator("[data-testid=rectification-header] [data-testid=rectification-state]")).ToHaveTextAsync("Open");
        await risk.Context.CloseAsync();

        // 2. The operator sees it on their home page and answers with a document.
        var op = await browser.NewPageAsync();
        await op.SignInAsync(DemoUsers.OperatorQfen);
        await op.WaitForURLAsync(new Regex("/$"));
        await op.WaitForInteractiveAsync();
        await Assertions.Expect(op.Locator("[data-testid=operator-deadlines] [data-testid=deadline]").First).ToContainTextAsync("days");
        await Assertions.Expect(op.Locator("[data-testid=operator-calendar] [data-testid=calendar-month]")).ToHaveCountAsync(12);
        await op.Locator("[data-testid=operator-requests] [data-testid=rectification-link]", new() { HasText = request }).ClickAsync();
        await op.WaitForURLAsync(new Regex(@"/rectifications/\d+$"));
        Assert.Equal(requestUrl, op.Url);
        await op.WaitForInteractiveAsync();
        await op.ClickAsync("[data-testid=rectification-reply]");
        await op.Locator("textarea[data-testid=reply-text]").FillAsync("Recovery plan approved by the board; default rate restated in the attached file.");
        // InputFile wires its change handler in JS after the dialog renders; give it that moment.
        await op.WaitForTimeoutAsync(500);
        await op.Locator(".mud-dialog input[type=file]").SetInputFilesAsync(new FilePayload { Name = "recovery-plan.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await Assertions.Expect(op.Locator("[data-testid=reply-file-list]")).ToContainTextAsync("recovery-plan.pdf");
        await op.ClickAsync("[data-testid=reply-send]");
        await Assertions.Expect(op.Locator("[data-testid=rectification-header] [data-testid=rectification-state]")).ToHaveTextAsync("Answered");
        await Assertions.Expect(op.Locator("[data-testid=rectification-attachment]")).ToContainTextAsync("recovery-plan.pdf");
        await op.Context.CloseAsync();

        // 3. The risk officer reads the answer, downloads the file and accepts.
        risk = await browser.NewPageAsync();
        await risk.SignInAsync(DemoUsers.RiskOfficer);
        await risk.WaitForURLAsync(new Regex("/$"));
        await risk.GotoAsync(requestUrl);
        await risk.WaitForInteractiveAsync();
        await Assertions.Expect(risk.Locator("[data-testid=rectification-step][data-kind=Replied]")).ToContainTextAsync("Recovery plan approved");
        var href = await risk.Locator("[data-testid=rectification-attachment]").GetAttributeAsync("href");
        var download = await risk.APIRequest.GetAsync("/" + href);
        Assert.Equal(200, download.Status);
        Assert.Equal(Pdf, await download.BodyAsync());
        await risk.ClickAsync("[data-testid=rectification-accept]");
        await risk.Locator("textarea[data-testid=decision-note]").FillAsync("Plan accepted.");
        await risk.ClickAsync("[data-testid=decision-save]");
        await Assertions.Expect(risk.Locator("[data-testid=rectification-header] [data-testid=rectification-state]")).ToHaveTextAsync("Accepted");
        await Assertions.Expect(risk.Locator("[data-testid=rectification-step]")).ToHaveCountAsync(3);
        await risk.Context.CloseAsync();
    }
}
