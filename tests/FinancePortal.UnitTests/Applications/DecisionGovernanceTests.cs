using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Scorecards;

namespace FinancePortal.UnitTests.Applications;

public class DecisionGovernanceTests
{
    private static ScoreResult Result(Band band, bool knockoutsPassed) => new(
        [new KnockoutResult("RegisteredCapital", "Registered capital", "¥800,000,000.00", ">= ¥1,000,000,000.00", knockoutsPassed),
         new KnockoutResult("CreditReporting", "Credit-reporting connection", "yes", "yes", true)],
        [], band == Band.A ? 85m : 65m, band, "");

    [Theory]
    [InlineData(Band.A, Decision.Approve)]
    [InlineData(Band.B, Decision.ApproveWithConditions)]
    [InlineData(Band.C, Decision.Reject)]
    [InlineData(Band.Fail, Decision.Reject)]
    public void The_system_result_follows_the_band(Band band, Decision expected) =>
        Assert.Equal(expected, DecisionGovernance.SystemDecision(band));

    [Theory]
    [InlineData(Band.Fail, false, Decision.Approve, true)]
    [InlineData(Band.Fail, false, Decision.ApproveWithConditions, true)]
    [InlineData(Band.Fail, false, Decision.Reject, false)]
    [InlineData(Band.B, false, Decision.Approve, true)] // a failed knock-out counts even if a band were computed
    [InlineData(Band.B, false, Decision.ApproveWithConditions, true)]
    [InlineData(Band.A, true, Decision.Reject, true)]
    [InlineData(Band.A, true, Decision.ApproveWithConditions, false)]
    [InlineData(Band.B, true, Decision.Reject, false)]
    [InlineData(Band.C, true, Decision.Approve, false)]
    public void Decisions_against_the_scorecard_are_overrides(Band band, bool knockoutsPassed, Decision decision, bool isOverride) =>
        Assert.Equal(isOverride, DecisionGovernance.IsOverride(decision, Result(band, knockoutsPassed)));

    [Fact]
    public void Failed_knockouts_are_listed()
    {
        var failed = DecisionGovernance.FailedKnockouts(Result(Band.Fail, knockoutsPassed: false));
        Assert.Equal(["RegisteredCapital"], failed.Select(k => k.Key));
    }

    [Fact]
    public void An_override_waits_in_OverridePending_and_only_confirmation_or_decline_leave_it()
    {
        Assert.Equal(ApplicationState.OverridePending, ApplicationWorkflow.Next(ApplicationState.Recommended, WorkflowAction.ProposeOverride));
        Assert.Equal(ApplicationState.Rejected, ApplicationWorkflow.Next(ApplicationState.OverridePending, WorkflowAction.Reject));
        Assert.Equal(ApplicationState.Recommended, ApplicationWorkflow.Next(ApplicationState.OverridePending, WorkflowAction.DeclineOverride));
        Assert.True(ApplicationWorkflow.IsOpen(ApplicationState.OverridePending));
        Assert.False(ApplicationWorkflow.IsDecided(ApplicationState.OverridePending));
        Assert.Throws<FinancePortal.Application.ValidationFailedException>(() => ApplicationWorkflow.Next(ApplicationState.UnderReview, WorkflowAction.ProposeOverride));
    }

    [Fact]
    public void Letter_texts_fall_back_from_the_culture_to_its_parent_and_to_English()
    {
        var texts = new Dictionary<string, string> { ["en"] = "Authority", ["zh"] = "机关" };
        Assert.Equal("机关", DecisionLetterOptions.For(texts, System.Globalization.CultureInfo.GetCultureInfo("zh-CN")));
        Assert.Equal("Authority", DecisionLetterOptions.For(texts, System.Globalization.CultureInfo.GetCultureInfo("fr-FR")));
    }
}
