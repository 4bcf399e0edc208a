using FinancePortal.Application.Diagnostics;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Scorecards;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Applications;

public sealed partial class ApplicationService
{
    /// <summary>
    /// The approver's decision (four eyes: never the application's reviewer). A decision in line with the scorecard
    /// takes effect at once and updates the licence; one against it (<see cref="DecisionGovernance"/>) needs a written
    /// justification and waits, as OverridePending, for a second approver.
    /// </summary>
    public async Task DecideAsync(int id, DecisionInput input, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Approver, ct);
        var app = await LoadAsync(db, id, stamp, ct);
        await RequireNotReviewerAsync(db, app, "Four eyes: you reviewed this application, so another approver must decide it.", ct);
        if (app.State != ApplicationState.Recommended)
        {
            throw new ValidationFailedException("State", $"Only a recommended application can be decided; this one is {app.State}.");
        }

        var conditions = ValidateDecision(db, input);
        var scoring = await LatestScoringAsync(db, id, ct);
        var official = await OfficialAsync(db, ct);
        app.DeciderId = db.User.UserId;
        app.DeciderName = official.Name;
        app.DecisionReasons = input.Reasons.Trim();
        app.Conditions = conditions;
        app.DecisionConditions = DecisionInput.Summarise(conditions);
        app.Officials.Decider = official;
        if (DecisionGovernance.IsOverride(input.Decision, scoring))
        {
            if (string.IsNullOrWhiteSpace(input.OverrideJustification) || input.OverrideJustification.Trim().Length < DecisionGovernance.MinJustificationLength)
            {
                throw new ValidationFailedException(nameof(DecisionInput.OverrideJustification),
                    $"This decision goes against the scorecard ({DescribeSystemResult(scoring)}). Write a justification of at least {DecisionGovernance.MinJustificationLength} characters; a second approver must confirm it.");
            }

            app.PendingDecision = input.Decision;
            app.OverrideJustification = input.OverrideJustification.Trim();
            Move(db, app, WorkflowAction.ProposeOverride, $"Proposes to {DecisionGovernance.Describe(input.Decision)} against the scorecard ({DescribeSystemResult(scoring)}). Justification: {app.OverrideJustification}");
            await db.SaveChangesAsync(ct);
            PortalLog.ApplicationDecided(logger, app.Id, app.Reference, app.State.ToString(), db.User.UserName, "unchanged until confirmed");
            return;
        }

        app.OverrideJustification = null;
        await ApplyDecisionAsync(db, app, input.Decision, app.DecisionReasons, ct);
    }

    /// <summary>A second approver, neither the one who proposed it nor the reviewer, confirms an override: the decision takes effect.</summary>
    public async Task ConfirmOverrideAsync(int id, string comment, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Approver, ct);
        var app = await LoadAsync(db, id, stamp, ct);
        RequireOverridePending(app);
        if (app.DeciderId == db.User.UserId)
        {
            throw new ForbiddenException("Four eyes: you proposed this override, so a second approver must confirm it.");
        }

        await RequireNotReviewerAsync(db, app, "Four eyes: you reviewed this application, so you cannot confirm its override.", ct);
        RequireText(comment, "Comment", "Say why you confirm the override (at least 10 characters).");
        var decision = app.PendingDecision!.Value;
        app.Officials.Confirmer = await OfficialAsync(db, ct);
        app.IsOverride = true;
        app.OverrideConfirmedUtc = db.UtcNow;
        app.PendingDecision = null;
        db.Audit(AuditActions.OverrideConfirmed, nameof(AccessApplication), app.Id.ToString(), app.PlatformId,
            $"{app.Reference}: override (to {DecisionGovernance.Describe(decision)}) proposed by {app.Officials.Decider?.Name} confirmed by {app.Officials.Confirmer.Name}. {comment.Trim()}");
        await ApplyDecisionAsync(db, app, decision, $"Override confirmed: {comment.Trim()}", ct);
    }

    /// <summary>The second approver declines the override (or its proposer retracts it): back to Recommended, nothing changes.</summary>
    public async Task DeclineOverrideAsync(int id, string reason, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Approver, ct);
        var app = await LoadAsync(db, id, stamp, ct);
        RequireOverridePending(app);
        await RequireNotReviewerAsync(db, app, "Four eyes: you reviewed this application, so you cannot act on its override.", ct);
        RequireText(reason, "Reason", "Say why the override is declined (at least 10 characters).");
        Move(db, app, WorkflowAction.DeclineOverride, $"Override (to {DecisionGovernance.Describe(app.PendingDecision!.Value)}) declined: {reason.Trim()}");
        app.PendingDecision = null;
        app.OverrideJustification = null;
        app.DeciderId = null;
        app.DeciderName = null;
        app.DecisionReasons = null;
        app.DecisionConditions = null;
        app.Conditions = [];
        app.Officials.Decider = null;
        await db.SaveChangesAsync(ct);
    }

    private List<DecisionCondition> ValidateDecision(IPortalDb db, DecisionInput input)
    {
        RequireText(input.Reasons, "Reasons", "Give the reasons for the decision (at least 10 characters).");
        if (input.Decision != Decision.ApproveWithConditions)
        {
            return [];
        }

        var today = DateOnly.FromDateTime(db.UtcNow);
        var conditions = input.Conditions.Where(c => !string.IsNullOrWhiteSpace(c.Text)).Select(c => c with { Text = c.Text.Trim() }).ToList();
        if (conditions.Count == 0)
        {
            throw new ValidationFailedException("Conditions", "A conditional approval needs at least one condition with its due date.");
        }

        var errors = new Dictionary<string, string>();
        for (var i = 0; i < conditions.Count; i++)
        {
            if (conditions[i].Text.Length > 1000)
            {
                errors[$"Conditions[{i}]"] = $"Condition {i + 1} is longer than 1,000 characters.";
            }
            else if (conditions[i].DueDate <= today || conditions[i].DueDate > today.AddYears(5))
            {
                errors[$"Conditions[{i}]"] = $"Condition {i + 1} needs a due date after today and within five years.";
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return conditions;
    }

    /// <summary>Records the decision, updates the platform's licence and its history.</summary>
    private async Task ApplyDecisionAsync(IPortalDb db, AccessApplication app, Decision decision, string comment, CancellationToken ct)
    {
        Move(db, app, ApplicationWorkflow.ActionFor(decision), comment);
        app.DecidedUtc = db.UtcNow;
        if (decision != Decision.ApproveWithConditions)
        {
            app.Conditions = [];
            app.DecisionConditions = null;
        }

        var platform = await db.Platforms.SingleAsync(p => p.Id == app.PlatformId, ct);
        var newStatus = ApplicationWorkflow.LicenceAfter(app.State, platform.LicenceStatus);
        db.LicenceChanges.Add(new LicenceChange
        {
            PlatformId = platform.Id,
            FromStatus = platform.LicenceStatus,
            ToStatus = newStatus,
            Reason = $"{app.Reference} {app.State}{(app.IsOverride ? " (override)" : "")}: {app.DecisionReasons}",
            Actor = db.User.UserName,
            ChangedUtc = db.UtcNow,
        });
        if (newStatus != platform.LicenceStatus)
        {
            db.Audit(AuditActions.LicenceStatusChanged, nameof(Platform), platform.Id.ToString(), platform.Id,
                $"{platform.Code}: {platform.LicenceStatus} -> {newStatus} by decision on {app.Reference}{(app.IsOverride ? " (override)" : "")}.");
            platform.LicenceStatus = newStatus;
        }

        await db.SaveChangesAsync(ct);
        PortalLog.ApplicationDecided(logger, app.Id, app.Reference, app.State.ToString(), db.User.UserName, newStatus.ToString());
    }

    private static async Task<ScoreResult> LatestScoringAsync(IPortalDb db, int id, CancellationToken ct) =>
        await db.Scorings.AsNoTracking().Where(s => s.ApplicationId == id).OrderByDescending(s => s.Id).Select(s => s.Result).FirstOrDefaultAsync(ct)
        ?? throw new ValidationFailedException("Scoring", "The application has no scoring; it cannot be decided.");

    private static string DescribeSystemResult(ScoreResult scoring)
    {
        var failed = DecisionGovernance.FailedKnockouts(scoring);
        return $"system result: {DecisionGovernance.Describe(DecisionGovernance.SystemDecision(scoring.Band))}, band {scoring.Band}, score {scoring.TotalScore:0.00}"
            + (failed.Count > 0 ? $", failed knock-outs: {string.Join("; ", failed.Select(k => k.Key))}" : "");
    }

    private static async Task RequireNotReviewerAsync(IPortalDb db, AccessApplication app, string message, CancellationToken ct)
    {
        var scoredBy = await db.Scorings.Where(s => s.ApplicationId == app.Id).Select(s => s.ScoredBy).Distinct().ToListAsync(ct);
        if (app.ReviewerId == db.User.UserId || scoredBy.Contains(db.User.UserName))
        {
            throw new ForbiddenException(message);
        }
    }

    private static void RequireOverridePending(AccessApplication app)
    {
        if (app.State != ApplicationState.OverridePending || app.PendingDecision is null)
        {
            throw new ValidationFailedException("State", $"This application has no override waiting for confirmation; it is {app.State}.");
        }
    }
}
