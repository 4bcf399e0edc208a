using System.Globalization;
using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Applications;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FinancePortal.ComponentTests;

/// <summary>The decide dialog and the decision letter, rendered over a real application arranged through the services.</summary>
public class DecisionGovernanceComponentTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>HBXY submits an application that fails two knock-outs; the reviewer scores it and recommends rejection.</summary>
    private async Task<int> RecommendedFailAsync()
    {
        int id;
        await using (var op = await ActAsAsync(DemoUsers.OperatorHbxy))
        {
            var service = op.Get<ApplicationService>();
            foreach (var open in (await service.GetQueueAsync(new ApplicationQuery { PageSize = 100 })).Items.Where(a => ApplicationWorkflow.IsOpen(a.State)))
            {
                await service.WithdrawAsync(open.Id, "Superseded by a new application.", (await service.GetAsync(open.Id))!.ConcurrencyStamp);
            }

            id = await service.CreateDraftAsync();
            var inputs = new ApplicationInputs
            {
                RegisteredCapital = 800_000_000m, PaidInCapital = 600_000_000m, NetAssets = 3_000_000_000m, NonStandardFinancing = 1_000_000_000m,
                BondsAndAbsOutstanding = 2_000_000_000m, MaxLoanPerBorrower = 200_000m, FundingOwnFundsPct = 40, FundingBankCoLendingPct = 30, FundingAbsPct = 30,
                OwnShareOfCoLentLoansPct = 35, YearsOperating = 5, ActiveBorrowers = 2_000_000, LoanBalance = 12_000_000_000m, LoanBalancePriorYear = 10_000_000_000m,
                DefaultRate90Pct = 2m, RiskControlStaff = 200, CreditReportingConnected = true, SecurityCertified = true, ComplaintsPer10kBorrowers = 5m,
                SystemAvailabilityPct = 99.9m, RiskEducationProgramme = true, BusinessPlan = "Instalment credit at checkout for verified shoppers, funded by own funds and banks.",
            };
            await service.SaveDraftAsync(id, inputs, (await service.GetAsync(id))!.ConcurrencyStamp);
            await service.SubmitAsync(id, (await service.GetAsync(id))!.ConcurrencyStamp);
        }

        await using var reviewer = await ActAsAsync(DemoUsers.Reviewer);
        var applications = reviewer.Get<ApplicationService>();
        await applications.AssignToSelfAsync(id, (await applications.GetAsync(id))!.ConcurrencyStamp);
        await applications.ScoreAsync(id, (await applications.GetAsync(id))!.ConcurrencyStamp);
        await applications.RecommendAsync(id, Decision.Reject, "Fails the capital knock-outs; reject.", (await applications.GetAsync(id))!.ConcurrencyStamp);
        return id;
    }

    private async Task<IDialogReference> OpenDecideAsync(int id)
    {
        var detail = (await Services.GetRequiredService<ApplicationService>().GetAsync(id))!;
        RenderProviders();
        var parameters = new DialogParameters<DecideDialog> { { d => d.Application, detail } };
        var reference = await Dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<DecideDialog>("Decide", parameters));
        Dialogs.WaitForElement("[data-testid=decision-system-result]", Timeout);
        return reference;
    }

    [Fact]
    public async Task The_decide_dialog_defaults_to_the_system_result_shows_failed_knockouts_and_demands_a_justification_to_override()
    {
        var id = await RecommendedFailAsync();
        await SignInAsAsync(DemoUsers.Approver);
        var reference = await OpenDecideAsync(id);

        Assert.Contains("Reject", Dialogs.Find("[data-testid=decision-system-result]").TextContent);
        Assert.Contains("Fail", Dialogs.Find("[data-testid=decision-system-result]").TextContent);
        var knockouts = Dialogs.FindAll("[data-testid=decision-failed-knockouts] li");
        Assert.Equal(2, knockouts.Count);
        Assert.Contains("Reject", Dialogs.Find("[data-testid=decision-reviewer-verdict]").TextContent);
        // The default is the system result: reject, and nothing asks for a justification.
        Assert.NotNull(Dialogs.Find("input[data-testid=decision-choice-reject][checked]"));
        Assert.Empty(Dialogs.FindAll("[data-testid=decision-justification]"));

        // Choosing Approve turns it into an override: a warning and a justification field; without one the service refuses.
        Dialogs.Find("input[data-testid=decision-choice-approve]").Click();
        Dialogs.WaitForElement("[data-testid=decision-override-warning]", Timeout);
        Assert.Equal("Propose override", Dialogs.Find("[data-testid=decision-ok]").TextContent.Trim());
        Dialogs.Find("textarea[data-testid=decision-reasons], [data-testid=decision-reasons] textarea").Input("Approve: capital increase completed.");
        Dialogs.Find("[data-testid=decision-ok]").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("goes against the scorecard", Dialogs.Find("[data-testid=decision-error]").TextContent), Timeout);
        Assert.False(reference.Result.IsCompleted);

        Dialogs.Find("[data-testid=decision-justification] textarea, textarea[data-testid=decision-justification]")
            .Input("The capital increase was paid in after scoring; bank confirmation on file.");
        Dialogs.Find("[data-testid=decision-ok]").Click();
        await reference.Result.WaitAsync(Timeout);
        var detail = (await Services.GetRequiredService<ApplicationService>().GetAsync(id))!;
        Assert.Equal(ApplicationState.OverridePending, detail.State);
    }

    [Theory]
    [InlineData("en", "Consumer Credit Supervision Office (demo authority)", "Override statement", "Right of appeal")]
    [InlineData("zh-CN", "消费信贷监管办公室（演示机构）", "推翻声明", "救济途径")]
    public async Task The_letter_prints_authority_officials_override_and_appeal_in_the_readers_language(string culture, string authority, string overrideWords, string appealWords)
    {
        var id = await RecommendedFailAsync();
        await using (var approver = await ActAsAsync(DemoUsers.Approver))
        {
            var service = approver.Get<ApplicationService>();
            await service.DecideAsync(id, DecisionInput.Approve("Approve: capital increase completed.", "The capital increase was paid in after scoring; bank confirmation on file."),
                (await service.GetAsync(id))!.ConcurrencyStamp);
        }

        await using (var second = await ActAsAsync(DemoUsers.Approver2))
        {
            var service = second.Get<ApplicationService>();
            await service.ConfirmOverrideAsync(id, "Evidence checked; I confirm the override.", (await service.GetAsync(id))!.ConcurrencyStamp);
        }

        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        await SignInAsAsync(DemoUsers.OperatorHbxy);
        var letter = Render<DecisionLetter>(p => p.Add(x => x.Id, id));
        letter.WaitForElement("[data-testid=letter]", Timeout);

        Assert.Equal(authority, letter.Find("[data-testid=letter-authority]").TextContent.Trim());
        Assert.Contains(overrideWords, letter.Find("[data-testid=letter-override]").TextContent);
        Assert.Contains("Qian Fang", letter.Find("[data-testid=letter-override]").TextContent);
        Assert.Contains(appealWords, letter.Find("[data-testid=letter-appeal]").TextContent);
        var officials = letter.Find("[data-testid=letter-officials]").TextContent;
        Assert.Contains("Li Na", officials);
        Assert.Contains("Deputy Director-General, Consumer Credit Supervision", officials);
        Assert.DoesNotContain("@", letter.Find("[data-testid=letter]").TextContent);
    }
}
