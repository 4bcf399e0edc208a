using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Scorecards;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Applications;

public sealed partial class ApplicationService
{
    public async Task AssignToSelfAsync(int id, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Reviewer, ct);
        var app = await LoadAsync(db, id, stamp, ct);
        Move(db, app, WorkflowAction.Assign, $"Assigned to {db.User.UserName}.");
        app.ReviewerId = db.User.UserId;
        app.ReviewerName = db.User.UserName;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Scores the latest submitted version with the active scorecard and stores every input, point and explanation.</summary>
    public async Task<ScoreResult> ScoreAsync(int id, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Reviewer, ct);
        var app = await LoadAsync(db, id, stamp, ct);
        RequireAssignedReviewer(db, app);
        if (app.State != ApplicationState.UnderReview)
        {
            throw new ValidationFailedException("State", $"Only an application under review can be scored; this one is {app.State}.");
        }

        var scorecard = await db.ScorecardVersions.AsNoTracking().SingleOrDefaultAsync(s => s.Status == ScorecardStatus.Active, ct)
            ?? throw new ValidationFailedException("Scorecard", "No scorecard version is active; an Admin must activate one.");
        var version = await db.ApplicationVersions.Where(v => v.ApplicationId == id).OrderByDescending(v => v.Number).FirstAsync(ct);
        var scoring = ScorecardEngine.Score(app, version, scorecard, db.User.UserName, db.UtcNow);
        var result = scoring.Result;
        db.Scorings.Add(scoring);
        app.UpdatedUtc = db.UtcNow;
        db.Audit("ApplicationScored", nameof(AccessApplication), app.Id.ToString(), app.PlatformId,
            $"{app.Reference} v{version.Number} scored with scorecard v{scorecard.Number}: {result.TotalScore:0.00} points, band {result.Band}.");
        await db.SaveChangesAsync(ct);
        return result;
    }

    public async Task RequestInformationAsync(int id, string question, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Reviewer, ct);
        var app = await LoadAsync(db, id, stamp, ct);
        RequireAssignedReviewer(db, app);
        RequireText(question, "Question", "Write the question for the operator (at least 10 characters).");
        Move(db, app, WorkflowAction.RequestInformation, question.Trim());
        app.OpenQuestion = question.Trim();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The reviewer recommends a verdict with a reason (the latest version must be scored).</summary>
    public async Task RecommendAsync(int id, Decision verdict, string reason, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Reviewer, ct);
        var app = await LoadAsync(db, id, stamp, ct);
        RequireAssignedReviewer(db, app);
        RequireText(reason, "Reason", "Give the reason for your recommendation (at least 10 characters).");
        var latestVersion = await db.ApplicationVersions.Where(v => v.ApplicationId == id).MaxAsync(v => v.Number, ct);
        var scored = await db.Scorings.AnyAsync(s => s.ApplicationId == id && s.ApplicationVersionNumber == latestVersion, ct);
        if (!scored)
        {
            throw new ValidationFailedException("Scoring", $"Score version {latestVersion} of the application before recommending.");
        }

        Move(db, app, WorkflowAction.Recommend, $"Recommends to {DecisionGovernance.Describe(verdict)}: {reason.Trim()}");
        app.RecommendedDecision = verdict;
        app.Recommendation = reason.Trim();
        app.Officials.Reviewer = await OfficialAsync(db, ct);
        await db.SaveChangesAsync(ct);
    }

    private static void RequireAssignedReviewer(IPortalDb db, AccessApplication app)
    {
        if (app.ReviewerId != db.User.UserId)
        {
            throw new ForbiddenException(app.ReviewerId is null
                ? "Assign the application to yourself first."
                : $"Only the assigned reviewer ({app.ReviewerName}) can do this.");
        }
    }

    /// <summary>The signed-in official by display name and job title.</summary>
    private static async Task<Official> OfficialAsync(IPortalDb db, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == db.User.UserId).Select(u => new Official(u.Id, u.DisplayName, u.JobTitle)).SingleOrDefaultAsync(ct)
        ?? new Official(db.User.UserId ?? "", db.User.UserName, "");
}
