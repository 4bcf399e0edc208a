using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.LoanTapes;

namespace FinancePortal.ComponentTests;

/// <summary>The filing flow's parts: the step indicator, the deadline while uploading, signing to a receipt, the receipt itself.</summary>
public class FilingReceiptComponentTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static string States(IRenderedComponent<FilingSteps> steps) =>
        string.Join(' ', steps.FindAll("[data-step]").Select(li => $"{li.GetAttribute("data-step")}:{li.GetAttribute("data-state")}"));

    [Theory]
    [InlineData(null, 0, "upload:current edits:todo confirm:todo sign:todo")]
    [InlineData(SubmissionStatus.Checking, 0, "upload:done edits:current confirm:todo sign:todo")]
    [InlineData(SubmissionStatus.ErrorsToFix, 0, "upload:done edits:failed confirm:todo sign:todo")]
    [InlineData(SubmissionStatus.Failed, 0, "upload:done edits:failed confirm:todo sign:todo")]
    [InlineData(SubmissionStatus.WarningsToConfirm, 3, "upload:done edits:done confirm:current sign:todo")]
    [InlineData(SubmissionStatus.ReadyToSign, 3, "upload:done edits:done confirm:done sign:current")]
    [InlineData(SubmissionStatus.Signed, 0, "upload:done edits:done confirm:done sign:done")]
    public void The_step_indicator_follows_the_submissions_status(SubmissionStatus? status, int warnings, string expected)
    {
        var steps = Render<FilingSteps>(p => p.Add(s => s.Status, status).Add(s => s.WarningFindings, warnings));
        Assert.Equal(expected, States(steps));
        var current = steps.FindAll("[aria-current=step]");
        Assert.Equal(status == SubmissionStatus.Signed ? 0 : 1, current.Count);
    }

    [Fact]
    public void The_step_indicator_says_why_a_step_stopped_or_was_passed_over()
    {
        var errors = Render<FilingSteps>(p => p.Add(s => s.Status, SubmissionStatus.ErrorsToFix));
        Assert.Contains("Errors to fix", errors.Find("[data-step=edits]").TextContent);
        var clean = Render<FilingSteps>(p => p.Add(s => s.Status, SubmissionStatus.ReadyToSign).Add(s => s.WarningFindings, 0));
        Assert.Contains("No warnings", clean.Find("[data-step=confirm]").TextContent);
    }

    [Fact]
    public async Task The_upload_panel_shows_the_deadline_of_the_month_being_filed_with_days_left_or_late()
    {
        // The test clock is 2026-11-25: the proposed month, October 2026, was due by 2026-11-15.
        await SignInAsAsync(DemoUsers.Operator);
        var panel = RenderWithProviders<UploadPanel>();
        Assert.Equal("upload:current edits:todo confirm:todo sign:todo", States(panel.FindComponent<FilingSteps>()));
        var deadline = panel.Find("[data-testid=upload-deadline]");
        Assert.Equal(("yes", "-10"), (deadline.GetAttribute("data-late"), deadline.GetAttribute("data-days-left")));
        Assert.Equal("Due by 2026-11-15: late by 10 day(s)", deadline.TextContent.Trim());

        Choose(panel.Find("[data-testid=upload-period]").Closest("div.mud-input-control")!, "2026-11");
        panel.WaitForAssertion(() => Assert.Equal("Due by 2026-12-15: 20 day(s) left", panel.Find("[data-testid=upload-deadline]").TextContent.Trim()), Timeout);
        Assert.Equal("no", panel.Find("[data-testid=upload-deadline]").GetAttribute("data-late"));
    }

    [Fact]
    public async Task Signing_on_the_submission_page_shows_the_confirmation_number_and_lists_the_version_with_its_receipt()
    {
        long id;
        await using (var op = await ActAsAsync(DemoUsers.Operator))
        {
            var service = op.Get<SubmissionService>();
            id = (await service.SubmitAsync("2026-10", "resubmission.csv", TapeFiles.Csv("JDBT", "2026-10", 5))).Id;
            var detail = await service.GetAsync(id);
            if (detail!.Submission.Status == SubmissionStatus.WarningsToConfirm)
            {
                await service.AcknowledgeWarningsAsync(id, detail.ConcurrencyStamp);
            }
        }

        await SignInAsAsync(DemoUsers.Operator);
        var page = RenderWithProviders<SubmissionDetailPage>(("Id", id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=sign]")), Timeout);
        Assert.Equal("current", page.Find("[data-step=sign]").GetAttribute("data-state"));
        Assert.Equal(["1"], page.FindAll("[data-testid=month-history] tr[data-version]").Select(r => r.GetAttribute("data-version")));
        Assert.Single(page.FindAll($"[data-testid=month-uploads] tr[data-upload='{id}']"));

        page.Find("[data-testid=sign]").Click();
        Dialogs.WaitForAssertion(() => Assert.NotNull(Dialogs.Find("input[data-testid=attest]")), Timeout);
        Dialogs.Find("input[data-testid=attest]").Change(true);
        Dialogs.Find("input[data-testid=attest-name]").Input("Sun Hao");
        Dialogs.WaitForAssertion(() => Assert.False(Dialogs.Find("button[data-testid=sign-ok]").HasAttribute("disabled")), Timeout);
        Dialogs.Find("button[data-testid=sign-ok]").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=signed-receipt]")), Timeout);
        var number = page.Find("[data-testid=signed-receipt] [data-testid=confirmation-number]").TextContent.Trim();
        Assert.True(ConfirmationNumbers.IsWellFormed(number), number);
        Assert.Equal("done", page.Find("[data-step=sign]").GetAttribute("data-state"));
        Assert.Equal(["2", "1"], page.FindAll("[data-testid=month-history] tr[data-version]").Select(r => r.GetAttribute("data-version")));
        Assert.Empty(page.FindAll("[data-testid=month-uploads]"));
        Assert.Equal($"submissions/{id}/receipt", page.Find("[data-testid=month-history] tr[data-version='2'] [data-testid=version-receipt]").GetAttribute("href"));
        Assert.Equal($"submissions/{id}/receipt", page.Find("[data-testid=open-receipt]").GetAttribute("href"));
    }

    [Fact]
    public void The_receipt_shows_number_platform_month_version_signer_time_hash_rows_and_rules()
    {
        var receipt = new FilingReceipt(42, 2, "JDBT", "Beijing Jingbai Consumer Credit Co., Ltd.", "2026-10", 2, "FP-7K2M-Q9XD-4HTV-0BNR-WC3E", "tape.csv", 2048,
            new string('a', 64), 1_250, 1_249, 3, "operator@financeportal.demo", "2026.3", "Sun Hao", "operator@financeportal.demo", "Sun Hao",
            new DateTime(2026, 11, 10, 8, 30, 0, DateTimeKind.Utc), new DateTime(2026, 11, 10, 8, 0, 0, DateTimeKind.Utc), new DateOnly(2026, 11, 15), true);
        var view = Render<FilingReceiptView>(p => p.Add(v => v.Receipt, receipt));

        Assert.Equal("FP-7K2M-Q9XD-4HTV-0BNR-WC3E", view.Find("[data-testid=confirmation-number]").TextContent);
        Assert.Equal("2026-10", view.Find("[data-testid=receipt-period]").TextContent);
        Assert.Equal("2", view.Find("[data-testid=receipt-version]").TextContent);
        Assert.Equal("Sun Hao", view.Find("[data-testid=receipt-signer]").TextContent);
        Assert.Contains("2026-11-10", view.Find("[data-testid=receipt-signed]").TextContent);
        Assert.Equal("2026-11-15 · filed on time", view.Find("[data-testid=receipt-deadline]").TextContent);
        Assert.Equal(new string('a', 64), view.Find("[data-testid=receipt-hash]").TextContent);
        Assert.Equal(("1,250", "1,249", "2026.3"), (view.Find("[data-testid=receipt-rows]").TextContent, view.Find("[data-testid=receipt-loans]").TextContent, view.Find("[data-testid=receipt-rules]").TextContent));
        Assert.Contains("Beijing Jingbai Consumer Credit Co., Ltd. (JDBT) filed its loan tape for 2026-10: version 2 was signed and accepted.", view.Markup);
        // Headers of the facts are row headers, for screen readers and the printed page alike.
        Assert.Equal(12, view.FindAll("th[scope=row]").Count);
    }

    [Fact]
    public async Task The_receipt_page_shows_a_demo_version_in_scope_with_print_and_download()
    {
        long id;
        await using (var op = await ActAsAsync(DemoUsers.Operator))
        {
            id = (await op.Get<SubmissionService>().GetPageAsync(new SubmissionQuery { Status = SubmissionStatus.Signed })).Items[0].Id;
        }

        await SignInAsAsync(DemoUsers.RiskOfficer);
        var page = RenderWithProviders<ReceiptPage>(("Id", id));
        page.WaitForAssertion(() => Assert.True(ConfirmationNumbers.IsWellFormed(page.Find("[data-testid=confirmation-number]").TextContent)), Timeout);
        Assert.Equal($"submissions/{id}/receipt.html", page.Find("[data-testid=receipt-download]").GetAttribute("href"));
        page.Find("[data-testid=receipt-print]").Click();
        JSInterop.VerifyInvoke("print");
    }
}
