using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;

namespace FinancePortal.UnitTests.Applications;

public class ApplicationWorkflowTests
{
    private static readonly (ApplicationState From, WorkflowAction Action, ApplicationState To)[] Allowed =
    [
        (ApplicationState.Draft, WorkflowAction.Submit, ApplicationState.Submitted),
        (ApplicationState.Submitted, WorkflowAction.Assign, ApplicationState.UnderReview),
        (ApplicationState.UnderReview, WorkflowAction.RequestInformation, ApplicationState.InformationRequested),
        (ApplicationState.InformationRequested, WorkflowAction.Answer, ApplicationState.UnderReview),
        (ApplicationState.UnderReview, WorkflowAction.Recommend, ApplicationState.Recommended),
        (ApplicationState.Recommended, WorkflowAction.Approve, ApplicationState.Approved),
        (ApplicationState.Recommended, WorkflowAction.ApproveWithConditions, ApplicationState.ConditionallyApproved),
        (ApplicationState.Recommended, WorkflowAction.Reject, ApplicationState.Rejected),
        (ApplicationState.Draft, WorkflowAction.Withdraw, ApplicationState.Withdrawn),
        (ApplicationState.Submitted, WorkflowAction.Withdraw, ApplicationState.Withdrawn),
        (ApplicationState.UnderReview, WorkflowAction.Withdraw, ApplicationState.Withdrawn),
        (ApplicationState.InformationRequested, WorkflowAction.Withdraw, ApplicationState.Withdrawn),
        (ApplicationState.Recommended, WorkflowAction.Withdraw, ApplicationState.Withdrawn),
        (ApplicationState.Recommended, WorkflowAction.ProposeOverride, ApplicationState.OverridePending),
        (ApplicationState.OverridePending, WorkflowAction.Approve, ApplicationState.Approved),
        (ApplicationState.OverridePending, WorkflowAction.ApproveWithConditions, ApplicationState.ConditionallyApproved),
        (ApplicationState.OverridePending, WorkflowAction.Reject, ApplicationState.Rejected),
        (ApplicationState.OverridePending, WorkflowAction.DeclineOverride, ApplicationState.Recommended),
        (ApplicationState.OverridePending, WorkflowAction.Withdraw, ApplicationState.Withdrawn),
    ];

    public static TheoryData<ApplicationState, WorkflowAction> AllPairs()
    {
        var data = new TheoryData<ApplicationState, WorkflowAction>();
        foreach (var state in Enum.GetValues<ApplicationState>())
        {
            foreach (var action in Enum.GetValues<WorkflowAction>())
            {
                data.Add(state, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_state_and_action_is_either_an_allowed_move_or_refused(ApplicationState from, WorkflowAction action)
    {
        var expected = Allowed.Where(a => a.From == from && a.Action == action).Select(a => (ApplicationState?)a.To).SingleOrDefault();
        if (expected is { } to)
        {
            Assert.True(ApplicationWorkflow.IsAllowed(from, action));
            Assert.Equal(to, ApplicationWorkflow.Next(from, action));
        }
        else
        {
            Assert.False(ApplicationWorkflow.IsAllowed(from, action));
            var ex = Assert.Throws<ValidationFailedException>(() => ApplicationWorkflow.Next(from, action));
            Assert.StartsWith($"An application that is {from} cannot be", ex.Message);
        }
    }

    [Fact]
    public void Decided_and_withdrawn_applications_allow_no_further_move()
    {
        foreach (var state in new[] { ApplicationState.Approved, ApplicationState.ConditionallyApproved, ApplicationState.Rejected, ApplicationState.Withdrawn })
        {
            Assert.Empty(ApplicationWorkflow.ActionsFrom(state));
            Assert.False(ApplicationWorkflow.IsOpen(state));
        }
    }

    [Theory]
    [InlineData(WorkflowAction.Submit, Roles.Operator)]
    [InlineData(WorkflowAction.Answer, Roles.Operator)]
    [InlineData(WorkflowAction.Withdraw, Roles.Operator)]
    [InlineData(WorkflowAction.Assign, Roles.Reviewer)]
    [InlineData(WorkflowAction.RequestInformation, Roles.Reviewer)]
    [InlineData(WorkflowAction.Recommend, Roles.Reviewer)]
    [InlineData(WorkflowAction.Approve, Roles.Approver)]
    [InlineData(WorkflowAction.ApproveWithConditions, Roles.Approver)]
    [InlineData(WorkflowAction.Reject, Roles.Approver)]
    public void Each_action_belongs_to_one_role(WorkflowAction action, string role) => Assert.Equal(role, ApplicationWorkflow.RoleFor(action));

    [Theory]
    [InlineData(ApplicationState.Approved, LicenceStatus.Applicant, LicenceStatus.Licensed)]
    [InlineData(ApplicationState.ConditionallyApproved, LicenceStatus.Applicant, LicenceStatus.ConditionallyLicensed)]
    [InlineData(ApplicationState.Rejected, LicenceStatus.Applicant, LicenceStatus.Applicant)]
    [InlineData(ApplicationState.Approved, LicenceStatus.ConditionallyLicensed, LicenceStatus.Licensed)]
    public void A_decision_sets_the_licence(ApplicationState decision, LicenceStatus before, LicenceStatus after) =>
        Assert.Equal(after, ApplicationWorkflow.LicenceAfter(decision, before));

    [Fact]
    public void Submission_needs_a_complete_funding_mix_and_business_plan()
    {
        var inputs = FinancePortal.UnitTests.Scorecards.ScorecardEngineTests.Passing();
        inputs.FundingAbsPct = 20;
        inputs.BusinessPlan = "short";
        var errors = ApplicationValidator.ValidateForSubmission(inputs);
        Assert.Equal("The funding shares must total 100 %; they total 90 %.", errors["FundingMix"]);
        Assert.Contains("business plan", errors[nameof(ApplicationInputs.BusinessPlan)]);
    }

    [Fact]
    public void Negative_capital_gets_a_specific_message()
    {
        var inputs = FinancePortal.UnitTests.Scorecards.ScorecardEngineTests.Passing();
        inputs.RegisteredCapital = -5m;
        Assert.Equal("Registered capital cannot be negative.", ApplicationValidator.Validate(inputs)[nameof(ApplicationInputs.RegisteredCapital)]);
    }
}
