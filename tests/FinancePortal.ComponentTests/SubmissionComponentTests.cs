using Bunit;
using FinancePortal.Application;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.LoanTapes;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.ComponentTests;

/// <summary>The loan-tape pages' parts over the seeded demo database: the regulator's month grid and the upload panel.</summary>
public class SubmissionComponentTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_month_grid_shows_each_months_state_the_signed_version_and_newer_uploads_pending()
    {
        // JDBT re-uploads October 2026 (signed as version 1 in the demo) with a warning to confirm.
        await using (var op = await ActAsAsync(DemoUsers.Operator))
        {
            var service = op.Get<SubmissionService>();
            var id = (await service.SubmitAsync("2026-10", "resubmission.csv", TapeFiles.Csv("JDBT", "2026-10", 5, i => i == 2 ? [("principal", "250000.00")] : []))).Id;
        }

        await SignInAsAsync(DemoUsers.RiskOfficer);
        var grid = RenderWithProviders<MonthGrid>();
        grid.WaitForAssertion(() => Assert.NotEmpty(grid.FindAll("tr[data-platform]")), Timeout);

        var jdbt = grid.Find("tr[data-platform=JDBT]").QuerySelectorAll("td")[^1];
        Assert.Equal(nameof(MonthState.OnTime), jdbt.GetAttribute("data-state"));
        Assert.Contains("v1", jdbt.TextContent);
        Assert.Equal("+1", jdbt.QuerySelector("[data-testid=pending]")!.TextContent.Trim());
        Assert.Contains("1 newer upload(s) not signed yet (1 with warnings to confirm)", jdbt.GetAttribute("title"));

        var xmhx = grid.Find("tr[data-platform=XMHX]").QuerySelectorAll("td");
        Assert.Equal(nameof(MonthState.Missing), xmhx[^2].GetAttribute("data-state")); // September 2026, never filed
        Assert.Null(grid.Find("tr[data-platform=HBXY]").QuerySelectorAll("td")[^1].QuerySelector("[data-testid=pending]"));
    }

    [Fact]
    public async Task The_upload_panel_refuses_a_file_over_the_size_limit_before_sending_it()
    {
        Services.Configure<UploadOptions>(o => o.MaxLoanTapeBytes = 1_000);
        await SignInAsAsync(DemoUsers.Operator);
        int before;
        await using (var op = await ActAsAsync(DemoUsers.Operator))
        {
            before = (await op.Get<SubmissionService>().GetPageAsync(new SubmissionQuery())).TotalCount;
        }

        var panel = RenderWithProviders<UploadPanel>();
        var tape = TapeFiles.Csv("JDBT", "2026-10", 40).ToArray();
        Assert.True(tape.Length > 1_000);
        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(tape, "big.csv"));

        panel.WaitForAssertion(() => Assert.Equal("\"big.csv\" is larger than the 1 KB limit for loan tapes.", panel.Find("[data-testid=upload-error]").TextContent.Trim()), Timeout);
        await using (var op = await ActAsAsync(DemoUsers.Operator))
        {
            Assert.Equal(before, (await op.Get<SubmissionService>().GetPageAsync(new SubmissionQuery())).TotalCount);
        }

    }
}
