using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Applications;

public enum WorkflowAction
{
    Submit,
    Assign,
    RequestInformation,
    Answer,
    Recommend,
    Approve,
    ApproveWithConditions,
    Reject,
    Withdraw,

    /// <summary>An approver decides against the scorecard: the decision waits for a second approver.</summary>
    ProposeOverride,

    /// <summary>The second approver does not confirm the override: back to Recommended for a new decision.</summary>
    DeclineOverride,
}

/// <summary>
/// The market-access state machine (DOMAIN.md §3): Draft -> Submitted -> UnderReview &lt;-> InformationRequested ->
/// Recommended -> Approved | ConditionallyApproved | Rejected; Withdrawn from any state before a decision. A decision
/// against the scorecard goes Recommended -> OverridePending and takes effect only when a second approver confirms it.
/// </summary>
public static class ApplicationWorkflow
{
    private static readonly Dictionary<(ApplicationState From, WorkflowAction Action), ApplicationState> Moves = new()
    {
        [(ApplicationState.Draft, WorkflowAction.Submit)] = ApplicationState.Submitted,
        [(ApplicationState.Submitted, WorkflowAction.Assign)] = ApplicationState.UnderReview,
        [(ApplicationState.UnderReview, WorkflowAction.RequestInformation)] = ApplicationState.InformationRequested,
        [(ApplicationState.InformationRequested, WorkflowAction.Answer)] = ApplicationState.UnderReview,
        [(ApplicationState.UnderReview, WorkflowAction.Recommend)] = ApplicationState.Recommended,
        [(ApplicationState.Recommended, WorkflowAction.Approve)] = ApplicationState.Approved,
        [(ApplicationState.Recommended, WorkflowAction.ApproveWithConditions)] = ApplicationState.ConditionallyApproved,
        [(ApplicationState.Recommended, WorkflowAction.Reject)] = ApplicationState.Rejected,
        [(ApplicationState.Recommended, WorkflowAction.ProposeOverride)] = ApplicationState.OverridePending,
        [(ApplicationState.OverridePending, WorkflowAction.Approve)] = ApplicationState.Approved,
        [(ApplicationState.OverridePending, WorkflowAction.ApproveWithConditions)] = ApplicationState.ConditionallyApproved,
        [(ApplicationState.OverridePending, WorkflowAction.Reject)] = ApplicationState.Rejected,
        [(ApplicationState.OverridePending, WorkflowAction.DeclineOverride)] = ApplicationState.Recommended,
        [(ApplicationState.OverridePending, WorkflowAction.Withdraw)] = ApplicationState.Withdrawn,
        [(ApplicationState.Draft, WorkflowAction.Withdraw)] = ApplicationState.Withdrawn,
        [(ApplicationState.Submitted, WorkflowAction.Withdraw)] = ApplicationState.Withdrawn,
        [(ApplicationState.UnderReview, WorkflowAction.Withdraw)] = ApplicationState.Withdrawn,
        [(ApplicationState.InformationRequested, WorkflowAction.Withdraw)] = ApplicationState.Withdrawn,
        [(ApplicationState.Recommended, WorkflowAction.Withdraw)] = ApplicationState.Withdrawn,
    };

    /// <summary>The role that performs each action.</summary>
    public static string RoleFor(WorkflowAction action) => action switch
    {
        WorkflowAction.Submit or WorkflowAction.Answer or WorkflowAction.Withdraw => Roles.Operator,
        WorkflowAction.Assign or WorkflowAction.RequestInformation or WorkflowAction.Recommend => Roles.Reviewer,
        _ => Roles.Approver,
    };

    public static bool IsAllowed(ApplicationState from, WorkflowAction action) => Moves.ContainsKey((from, action));

    /// <summary>The state after <paramref name="action"/>, or a clear error when the move is not allowed.</summary>
    public static ApplicationState Next(ApplicationState from, WorkflowAction action) =>
        Moves.TryGetValue((from, action), out var to)
            ? to
            : throw new ValidationFailedException("State", $"An application that is {from} cannot be {PastTense(action)}.");

    public static IEnumerable<WorkflowAction> ActionsFrom(ApplicationState state) =>
        Moves.Keys.Where(k => k.From == state).Select(k => k.Action);

    public static bool IsDecided(ApplicationState state) =>
        state is ApplicationState.Approved or ApplicationState.ConditionallyApproved or ApplicationState.Rejected;

    public static bool IsOpen(ApplicationState state) => !IsDecided(state) && state != ApplicationState.Withdrawn;

    /// <summary>The action that records <paramref name="decision"/>.</summary>
    public static WorkflowAction ActionFor(Decision decision) => decision switch
    {
        Decision.Approve => WorkflowAction.Approve,
        Decision.ApproveWithConditions => WorkflowAction.ApproveWithConditions,
        _ => WorkflowAction.Reject,
    };

    /// <summary>The licence status a decision gives the platform (a rejection leaves it as it was).</summary>
    public static LicenceStatus LicenceAfter(ApplicationState decision, LicenceStatus current) => decision switch
    {
        ApplicationState.Approved => LicenceStatus.Licensed,
        ApplicationState.ConditionallyApproved => LicenceStatus.ConditionallyLicensed,
        _ => current,
    };

    private static string PastTense(WorkflowAction action) => action switch
    {
        WorkflowAction.Submit => "submitted",
        WorkflowAction.Assign => "assigned for review",
        WorkflowAction.RequestInformation => "sent back with an information request",
        WorkflowAction.Answer => "answered",
        WorkflowAction.Recommend => "recommended",
        WorkflowAction.Approve => "approved",
        WorkflowAction.ApproveWithConditions => "approved with conditions",
        WorkflowAction.Reject => "rejected",
        WorkflowAction.ProposeOverride => "decided against the scorecard",
        WorkflowAction.DeclineOverride => "sent back by declining the override",
        _ => "withdrawn",
    };
}
