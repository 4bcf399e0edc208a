using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Scorecards;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Applications;

namespace FinancePortal.ComponentTests;

/// <summary>The scoring breakdown and the market-access queue, rendered with real MudBlazor components and services.</summary>
public class ApplicationComponentTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static ApplicationInputs Inputs() => new()
    {
        RegisteredCapital = 2_000_000_000m, PaidInCapital = 2_000_000_000m, NetAssets = 3_000_000_000m, NonStandardFinancing = 1_000_000_000m,
        BondsAndAbsOutstanding = 2_000_000_000m, MaxLoanPerBorrower = 450_000m, FundingOwnFundsPct = 40, FundingBankCoLendingPct = 30, FundingAbsPct = 30,
        OwnShareOfCoLentLoansPct = 35, YearsOperating = 5, ActiveBorrowers = 2_000_000, LoanBalance = 12_000_000_000m, LoanBalancePriorYear = 10_000_000_000m,
        DefaultRate90Pct = 2m, RiskControlStaff = 200, CreditReportingConnected = true, SecurityCertified = true, ComplaintsPer10kBorrowers = 5m,
        SystemAvailabilityPct = 99.9m, RiskEducationProgramme = true,
    };

    [Fact]
    public void Scoring_breakdown_shows_every_knockout_and_every_criterion_with_points_weights_and_rules()
    {
        var result = ScorecardEngine.Evaluate(ScorecardDefaults.Definition, Inputs());
        var scoring = new ScoringItem(1, 2, 1, result.TotalScore, result.Band, result, "reviewer@financeportal.demo", new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc));

        var view = Render<ScoringBreakdown>(p => p.Add(x => x.Scoring, scoring));

        var knockouts = view.FindAll("[data-testid=knockouts] [data-knockout]");
        Assert.Equal(8, knockouts.Count);
        var failed = view.Find("[data-knockout=MaxLoanPerBorrower]");
        Assert.Contains("¥450,000.00", failed.TextContent);
        Assert.Contains("<= ¥300,000.00", failed.TextContent);
        Assert.Contains("Fail", failed.TextContent);
        Assert.Contains("Pass", view.Find("[data-knockout=RegisteredCapital]").TextContent);

        var criteria = view.FindAll("[data-testid=criteria] [data-criterion]");
        Assert.Equal(6, criteria.Count);
        var risk = view.Find("[data-criterion=RiskControl]");
        Assert.Contains("Risk-control ability", risk.TextContent);
        Assert.Contains("25%", risk.TextContent);
        Assert.Contains(result.Criteria.Single(c => c.Key == ScorecardDefaults.RiskControl).WeightedPoints.ToString("0.00"), risk.TextContent);
        var defaultRate = view.Find($"[data-factor={ScoringInputs.DefaultRate}]");
        Assert.Contains("80.00", defaultRate.TextContent);
        Assert.Contains("between 0 (100 pts) and 2 (80 pts)", defaultRate.TextContent);

        Assert.Equal("Fail", view.Find("[data-testid=scoring-summary] [data-band]").GetAttribute("data-band"));
        Assert.Contains($"Score {result.TotalScore:0.00} of 100", view.Find("[data-testid=scoring-summary]").TextContent);
        Assert.StartsWith("Reject", view.Find("[data-testid=recommendation]").TextContent.Trim());
    }

    [Fact]
    public async Task Queue_shows_a_server_page_and_filters_by_state_in_the_database()
    {
        await SignInAsAsync(DemoUsers.Reviewer);
        var queue = RenderWithProviders<ApplicationQueue>();
        queue.WaitForAssertion(() => Assert.Equal(25, queue.FindAll("[data-testid=application-link]").Count), Timeout);
        Assert.Contains("of 4", queue.FindAll(".mud-table-pagination-caption").Last().TextContent);

        Choose(queue.Find("[data-testid=queue-filters] div.mud-input-control:has([data-testid=filter-state])"), "Recommended");

        queue.WaitForAssertion(() =>
        {
            var states = queue.FindAll("[data-testid=application-grid] tbody [data-state]").Select(e => e.GetAttribute("data-state")).ToList();
            Assert.Equal(3, states.Count);
            Assert.All(states, s => Assert.Equal(nameof(ApplicationState.Recommended), s));
        }, Timeout);
    }

    [Fact]
    public async Task An_operator_queue_lists_only_their_own_platform_and_offers_a_new_application()
    {
        await SignInAsAsync(DemoUsers.Operator);
        var queue = RenderWithProviders<ApplicationQueue>();

        queue.WaitForAssertion(() => Assert.Equal(3, queue.FindAll("[data-testid=application-link]").Count), Timeout);
        Assert.All(queue.FindAll("[data-testid=application-grid] tbody tr td:nth-child(2)"), td => Assert.Equal("JDBT", td.TextContent.Trim()));
        Assert.NotEmpty(queue.FindAll("[data-testid=new-application]"));
    }
}
