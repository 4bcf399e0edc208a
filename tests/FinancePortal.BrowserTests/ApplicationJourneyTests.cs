using System.Text.RegularExpressions;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Users;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

/// <summary>
/// operator submits -> reviewer requests information -> operator answers -> reviewer scores and recommends ->
/// a different approver approves -> the platform shows as Licensed.
/// </summary>
public class ApplicationJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string YnhtOperator = "operator.ynht@financeportal.demo";

    /// <summary>Arranged through the real services: an operator for YNHT (an Applicant) with a complete draft.</summary>
    private async Task<int> ArrangeDraftAsync()
    {
        await using (var admin = await browser.App.ActAsAsync(DemoUsers.Admin))
        {
            var ynht = (await admin.ServiceProvider.GetRequiredService<PlatformService>().GetOptionsAsync()).Single(p => p.Code == "YNHT");
            await admin.ServiceProvider.GetRequiredService<UserAdminService>().CreateAsync(new UserInput
            {
                Email = YnhtOperator, DisplayName = "Yang Fan", Roles = [Roles.Operator], PlatformId = ynht.Id, Password = DemoUsers.Password,
            });
        }

        await using var op = await browser.App.ActAsAsync(YnhtOperator);
        var applications = op.ServiceProvider.GetRequiredService<ApplicationService>();
        foreach (var open in (await applications.GetQueueAsync(new ApplicationQuery { PageSize = 100 })).Items.Where(a => ApplicationWorkflow.IsOpen(a.State)))
        {
            await applications.WithdrawAsync(open.Id, "Replaced by the 2026 application.", (await applications.GetAsync(open.Id))!.ConcurrencyStamp);
        }

        var id = await applications.CreateDraftAsync();
        var inputs = new ApplicationInputs
        {
            RegisteredCapital = 1_000_000_000m, PaidInCapital = 1_000_000_000m, NetAssets = 1_800_000_000m, NonStandardFinancing = 500_000_000m,
            BondsAndAbsOutstanding = 1_000_000_000m, MaxLoanPerBorrower = 200_000m, FundingOwnFundsPct = 40, FundingBankCoLendingPct = 35, FundingAbsPct = 25,
            OwnShareOfCoLentLoansPct = 30, YearsOperating = 6, ActiveBorrowers = 2_500_000, LoanBalance = 9_000_000_000m, LoanBalancePriorYear = 8_000_000_000m,
            DefaultRate90Pct = 1.8m, RiskControlStaff = 300, CreditReportingConnected = true, SecurityCertified = true, ComplaintsPer10kBorrowers = 2m,
            SystemAvailabilityPct = 99.95m, RiskEducationProgramme = true, BusinessPlan = "",
        };
        await applications.SaveDraftAsync(id, inputs, (await applications.GetAsync(id))!.ConcurrencyStamp);
        return id;
    }

    private async Task<IPage> SignedInAsync(string email, int applicationId)
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(email);
        await page.WaitForURLAsync(new Regex("/$"));
        await page.GotoAsync($"/applications/{applicationId}");
        await page.WaitForInteractiveAsync();
        return page;
    }

    private static async Task PromptAsync(IPage page, string button, string text)
    {
        await page.ClickAsync($"[data-testid={button}]");
        await page.Locator("textarea[data-testid=prompt-text]").FillAsync(text);
        await page.ClickAsync("[data-testid=prompt-ok]");
    }

    private static Task ExpectStateAsync(IPage page, ApplicationState state) =>
        Assertions.Expect(page.Locator($"[data-state={state}]").First).ToBeVisibleAsync();

    [Fact]
    public async Task Operator_submits_reviewer_asks_operator_answers_reviewer_scores_and_recommends_a_different_approver_approves()
    {
        var id = await ArrangeDraftAsync();

        // Operator completes the business plan and submits.
        var op = await SignedInAsync(YnhtOperator, id);
        await op.Locator("textarea[data-testid=in-plan]").FillAsync("Installment loans for travel and education purchases in Yunnan, funded by own funds, bank co-lending and ABS.");
        await op.ClickAsync("[data-testid=submit]");
        await ExpectStateAsync(op, ApplicationState.Submitted);

        // Reviewer takes it and asks for information.
        var reviewer = await SignedInAsync(DemoUsers.Reviewer, id);
        await reviewer.ClickAsync("[data-testid=assign]");
        await ExpectStateAsync(reviewer, ApplicationState.UnderReview);
        await PromptAsync(reviewer, "request-information", "Please attach the audited 2025 default-rate series.");
        await ExpectStateAsync(reviewer, ApplicationState.InformationRequested);

        // Operator answers.
        await op.ReloadAsync();
        await op.WaitForInteractiveAsync();
        await Assertions.Expect(op.Locator("[data-testid=open-question]")).ToContainTextAsync("audited 2025 default-rate series");
        await PromptAsync(op, "answer", "The audited series is attached; 90+ DPD stayed below 2 %.");
        await ExpectStateAsync(op, ApplicationState.UnderReview);

        // Reviewer scores and recommends.
        await reviewer.ReloadAsync();
        await reviewer.WaitForInteractiveAsync();
        await reviewer.ClickAsync("[data-testid=score]");
        await Assertions.Expect(reviewer.Locator("[data-band]").First).ToBeVisibleAsync();
        await reviewer.ClickAsync("text=Scoring");
        await Assertions.Expect(reviewer.Locator("[data-testid=knockouts] [data-knockout]")).ToHaveCountAsync(8);
        await reviewer.ClickAsync("[data-testid=recommend]");
        await Assertions.Expect(reviewer.Locator("[data-testid=recommend-system-result]")).ToContainTextAsync("Approve");
        await reviewer.Locator("textarea[data-testid=recommend-reason]").FillAsync("All knock-outs pass and the score is solid; approve.");
        await reviewer.ClickAsync("[data-testid=recommend-ok]");
        await ExpectStateAsync(reviewer, ApplicationState.Recommended);
        await Assertions.Expect(reviewer.Locator("[data-testid=decide]")).ToHaveCountAsync(0);

        // A different person, the approver, decides.
        var approver = await SignedInAsync(DemoUsers.Approver, id);
        await approver.ClickAsync("[data-testid=decide]");
        await approver.Locator("textarea[data-testid=decision-reasons]").FillAsync("Meets every knock-out; approved under the four-eyes principle.");
        await approver.ClickAsync("[data-testid=decision-ok]");
        await ExpectStateAsync(approver, ApplicationState.Approved);

        // The platform is now licensed, and the decision letter names both people.
        await approver.ClickAsync($"a[href^='platforms/']");
        await Assertions.Expect(approver.Locator("[data-status]").First).ToHaveAttributeAsync("data-status", "Licensed");
        await approver.GotoAsync($"/applications/{id}/letter");
        await Assertions.Expect(approver.Locator("[data-testid=letter-decision]")).ToHaveTextAsync("Approved");
        // Officials by display name and title, never by e-mail.
        await Assertions.Expect(approver.Locator("[data-testid=letter-officials]")).ToContainTextAsync("Li Na");
        await Assertions.Expect(approver.Locator("[data-testid=letter-officials]")).ToContainTextAsync("Director, Market Access Division");
        await Assertions.Expect(approver.Locator("[data-testid=letter]")).Not.ToContainTextAsync("@financeportal.demo");

        foreach (var page in new[] { op, reviewer, approver })
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>HBXY's application that fails two knock-outs, scored and recommended for rejection, arranged through the services.</summary>
    private async Task<int> ArrangeRecommendedFailAsync()
    {
        int id;
        await using (var op = await browser.App.ActAsAsync(DemoUsers.OperatorHbxy))
        {
            var applications = op.ServiceProvider.GetRequiredService<ApplicationService>();
            foreach (var open in (await applications.GetQueueAsync(new ApplicationQuery { PageSize = 100 })).Items.Where(a => ApplicationWorkflow.IsOpen(a.State)))
            {
                await applications.WithdrawAsync(open.Id, "Replaced by the capital-increase application.", (await applications.GetAsync(open.Id))!.ConcurrencyStamp);
            }

            id = await applications.CreateDraftAsync();
            var inputs = new ApplicationInputs
            {
                RegisteredCapital = 800_000_000m, PaidInCapital = 600_000_000m, NetAssets = 1_800_000_000m, NonStandardFinancing = 500_000_000m,
                BondsAndAbsOutstanding = 1_000_000_000m, MaxLoanPerBorrower = 200_000m, FundingOwnFundsPct = 40, FundingBankCoLendingPct = 35, FundingAbsPct = 25,
                OwnShareOfCoLentLoansPct = 30, YearsOperating = 6, ActiveBorrowers = 2_500_000, LoanBalance = 9_000_000_000m, LoanBalancePriorYear = 8_000_000_000m,
                DefaultRate90Pct = 1.8m, RiskControlStaff = 300, CreditReportingConnected = true, SecurityCertified = true, ComplaintsPer10kBorrowers = 2m,
                SystemAvailabilityPct = 99.95m, RiskEducationProgramme = true, BusinessPlan = "Instalment credit at checkout for verified shoppers, funded by own funds and banks.",
            };
            await applications.SaveDraftAsync(id, inputs, (await applications.GetAsync(id))!.ConcurrencyStamp);
            await applications.SubmitAsync(id, (await applications.GetAsync(id))!.ConcurrencyStamp);
        }

        await using var reviewer = await browser.App.ActAsAsync(DemoUsers.Reviewer);
        var service = reviewer.ServiceProvider.GetRequiredService<ApplicationService>();
        await service.AssignToSelfAsync(id, (await service.GetAsync(id))!.ConcurrencyStamp);
        await service.ScoreAsync(id, (await service.GetAsync(id))!.ConcurrencyStamp);
        await service.RecommendAsync(id, Decision.Reject, "Fails the capital knock-outs; reject.", (await service.GetAsync(id))!.ConcurrencyStamp);
        return id;
    }

    [Fact]
    public async Task Approver_overrides_a_Fail_band_with_a_justification_a_second_approver_confirms_and_the_letter_states_the_override()
    {
        var id = await ArrangeRecommendedFailAsync();

        // The approver opens the decision: it starts at the system result and lists every failed knock-out.
        var approver = await SignedInAsync(DemoUsers.Approver, id);
        await approver.ClickAsync("[data-testid=decide]");
        await Assertions.Expect(approver.Locator("[data-testid=decision-system-result]")).ToContainTextAsync("Reject");
        await Assertions.Expect(approver.Locator("[data-testid=decision-failed-knockouts] li")).ToHaveCountAsync(2);
        await Assertions.Expect(approver.Locator("input[data-testid=decision-choice-reject]")).ToBeCheckedAsync();

        // Approving anyway is an override: it asks for a justification and refuses to go on without one.
        await approver.Locator("input[data-testid=decision-choice-approve]").CheckAsync();
        await Assertions.Expect(approver.Locator("[data-testid=decision-override-warning]")).ToBeVisibleAsync();
        await approver.Locator("textarea[data-testid=decision-reasons]").FillAsync("Capital now meets the threshold after the increase.");
        await approver.ClickAsync("[data-testid=decision-ok]");
        await Assertions.Expect(approver.Locator("[data-testid=decision-error]")).ToContainTextAsync("goes against the scorecard");
        await approver.Locator("textarea[data-testid=decision-justification]").FillAsync("The RMB 400 million capital increase was paid in after scoring; the bank confirmation is on file.");
        await approver.ClickAsync("[data-testid=decision-ok]");
        await ExpectStateAsync(approver, ApplicationState.OverridePending);
        await Assertions.Expect(approver.Locator("[data-testid=override-pending]")).ToContainTextAsync("RMB 400 million");

        // The same approver cannot confirm it.
        await approver.ClickAsync("[data-testid=confirm-override]");
        await approver.Locator("textarea[data-testid=prompt-text]").FillAsync("Confirming my own override.");
        await approver.ClickAsync("[data-testid=prompt-ok]");
        await Assertions.Expect(approver.Locator(".mud-snackbar")).ToContainTextAsync("second approver");
        await ExpectStateAsync(approver, ApplicationState.OverridePending);

        // A second approver confirms: the decision takes effect, marked as an override.
        var second = await SignedInAsync(DemoUsers.Approver2, id);
        await PromptAsync(second, "confirm-override", "Bank confirmation checked against the registry; I confirm.");
        await ExpectStateAsync(second, ApplicationState.Approved);
        await Assertions.Expect(second.Locator("[data-testid=override-chip]")).ToBeVisibleAsync();

        await second.GotoAsync($"/applications/{id}/letter");
        await Assertions.Expect(second.Locator("[data-testid=letter-decision]")).ToHaveTextAsync("Approved");
        await Assertions.Expect(second.Locator("[data-testid=letter-override]")).ToContainTextAsync("Qian Fang");
        await Assertions.Expect(second.Locator("[data-testid=letter-override]")).ToContainTextAsync("RMB 400 million");
        await Assertions.Expect(second.Locator("[data-testid=letter-assessment]")).ToContainTextAsync("Fail");
        await Assertions.Expect(second.Locator("[data-testid=letter-appeal]")).ToContainTextAsync("60 days");

        foreach (var page in new[] { approver, second })
        {
            await page.Context.CloseAsync();
        }
    }
}
