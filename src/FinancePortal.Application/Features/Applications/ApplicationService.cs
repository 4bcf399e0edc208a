using FinancePortal.Application.Diagnostics;
using Microsoft.Extensions.Logging;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Scorecards;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinancePortal.Application.Features.Applications;

/// <summary>
/// Market-access applications: operators draft, submit, answer and withdraw; reviewers assign, score, request
/// information and recommend; a different approver decides. Every move is checked here, whatever the UI shows.
/// </summary>
public sealed class ApplicationService(IPortalDbFactory dbFactory, IOptions<DecisionLetterOptions> letterOptions, ILogger<ApplicationService> logger)
{
    public async Task<PagedResult<ApplicationListItem>> GetQueueAsync(ApplicationQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        var apps = FilterQueue(db.AccessApplications.AsNoTracking(), query);
        var total = await apps.CountAsync(ct);
        var items = await ProjectQueue(SortQueue(apps, query).Skip(query.Skip).Take(query.SafePageSize)).ToListAsync(ct);
        return new PagedResult<ApplicationListItem>(items, total);
    }

    /// <summary>Every row of the queue with the page's filters and sort, streamed (the grid's export).</summary>
    public async IAsyncEnumerable<ApplicationListItem> StreamQueueAsync(ApplicationQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        await foreach (var item in ProjectQueue(SortQueue(FilterQueue(db.AccessApplications.AsNoTracking(), query), query)).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return item;
        }
    }

    private static IQueryable<AccessApplication> FilterQueue(IQueryable<AccessApplication> apps, ApplicationQuery query)
    {
        if (query.State is { } state)
        {
            apps = apps.Where(a => a.State == state);
        }

        if (query.PlatformId is { } platformId)
        {
            apps = apps.Where(a => a.PlatformId == platformId);
        }

        if (query.Band is { } band)
        {
            apps = apps.Where(a => a.LatestBand == band);
        }

        if (query.SubmittedFromUtc is { } from)
        {
            apps = apps.Where(a => a.SubmittedUtc >= from);
        }

        if (query.SubmittedToUtc is { } to)
        {
            apps = apps.Where(a => a.SubmittedUtc < to);
        }

        if (query.AssigneeId == ApplicationQuery.Unassigned)
        {
            apps = apps.Where(a => a.ReviewerId == null);
        }
        else if (!string.IsNullOrEmpty(query.AssigneeId))
        {
            apps = apps.Where(a => a.ReviewerId == query.AssigneeId);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToUpperInvariant();
            apps = apps.Where(a => a.Reference.Contains(term) || a.Platform!.Code.StartsWith(term));
        }

        return apps;
    }

    private static IQueryable<AccessApplication> SortQueue(IQueryable<AccessApplication> apps, ApplicationQuery query) => (query.SortBy, query.Descending) switch
    {
        ("Reference", false) => apps.OrderBy(a => a.Reference),
        ("Reference", true) => apps.OrderByDescending(a => a.Reference),
        ("PlatformCode", false) => apps.OrderBy(a => a.Platform!.Code).ThenBy(a => a.Id),
        ("PlatformCode", true) => apps.OrderByDescending(a => a.Platform!.Code).ThenBy(a => a.Id),
        ("State", false) => apps.OrderBy(a => a.State).ThenBy(a => a.Id),
        ("State", true) => apps.OrderByDescending(a => a.State).ThenBy(a => a.Id),
        ("SubmittedUtc", false) => apps.OrderBy(a => a.SubmittedUtc).ThenBy(a => a.Id),
        ("LatestScore", false) => apps.OrderBy(a => a.LatestScore).ThenBy(a => a.Id),
        ("LatestScore", true) => apps.OrderByDescending(a => a.LatestScore).ThenBy(a => a.Id),
        ("ReviewerName", false) => apps.OrderBy(a => a.ReviewerName).ThenBy(a => a.Id),
        ("ReviewerName", true) => apps.OrderByDescending(a => a.ReviewerName).ThenBy(a => a.Id),
        _ => apps.OrderByDescending(a => a.SubmittedUtc).ThenByDescending(a => a.Id),
    };

    private static IQueryable<ApplicationListItem> ProjectQueue(IQueryable<AccessApplication> apps) =>
        apps.Select(a => new ApplicationListItem(a.Id, a.Reference, a.PlatformId, a.Platform!.Code, a.Platform.LegalName, a.State,
            a.SubmittedUtc, a.ReviewerName, a.LatestBand, a.LatestScore, a.UpdatedUtc, a.IsOverride));

    /// <summary>The application, or null when it does not exist or lies outside the caller's scope.</summary>
    public async Task<ApplicationDetail?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        var app = await db.AccessApplications.AsNoTracking().Include(a => a.Platform).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (app is null)
        {
            return null;
        }

        var versions = await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == id).OrderBy(v => v.Number)
            .Select(v => new ApplicationVersionItem(v.Id, v.Number, v.SubmittedBy, v.SubmittedUtc, v.Note)).ToListAsync(ct);
        var transitions = await db.ApplicationTransitions.AsNoTracking().Where(t => t.ApplicationId == id).OrderBy(t => t.Id)
            .Select(t => new ApplicationTransitionItem(t.FromState, t.ToState, t.Actor, t.ActorRole, t.TimeUtc, t.Comment)).ToListAsync(ct);
        var documents = await db.ApplicationDocuments.AsNoTracking().Where(d => d.ApplicationId == id).OrderBy(d => d.Id)
            .Select(d => new DocumentItem(d.Id, d.FileName, d.ContentType, d.SizeBytes, d.Sha256, d.UploadedBy, d.UploadedUtc)).ToListAsync(ct);
        var scoring = await db.Scorings.AsNoTracking().Where(s => s.ApplicationId == id).OrderByDescending(s => s.Id)
            .Select(s => new ScoringItem(s.Id, s.ApplicationVersionNumber, s.ScorecardVersionNumber, s.TotalScore, s.Band, s.Result, s.ScoredBy, s.ScoredUtc))
            .FirstOrDefaultAsync(ct);
        return new ApplicationDetail(app.Id, app.Reference, app.PlatformId, app.Platform!.Code, app.Platform.LegalName, app.Platform.LicenceStatus,
            app.State, app.Inputs, app.CreatedBy, app.CreatedUtc, app.SubmittedUtc, app.ReviewerId, app.ReviewerName, app.Recommendation,
            app.OpenQuestion, app.DeciderName, app.DecidedUtc, app.DecisionReasons, app.DecisionConditions,
            app.RecommendedDecision, app.PendingDecision, app.IsOverride, app.OverrideJustification, app.Conditions, app.Officials, app.ConcurrencyStamp,
            versions, transitions, documents, scoring);
    }

    /// <summary>Starts a draft for the operator's own platform (one open application per platform).</summary>
    public async Task<int> CreateDraftAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Operator, ct);
        var platform = await db.Platforms.SingleOrDefaultAsync(ct)
            ?? throw new ForbiddenException("Your account is not bound to a platform.");
        var open = await db.AccessApplications.Where(a => a.PlatformId == platform.Id)
            .Where(a => a.State != ApplicationState.Approved && a.State != ApplicationState.ConditionallyApproved && a.State != ApplicationState.Rejected && a.State != ApplicationState.Withdrawn)
            .Select(a => a.Reference).FirstOrDefaultAsync(ct);
        if (open is not null)
        {
            throw new ValidationFailedException("Application", $"{platform.Code} already has an open application ({open}); finish or withdraw it first.");
        }

        AccessApplication NewAccessApplication() => new()
        {
            PlatformId = platform.Id,
            Reference = "",
            State = ApplicationState.Draft,
            Inputs = new ApplicationInputs { RegisteredCapital = platform.RegisteredCapital, LendsOutsideHomeProvince = platform.LendsAcrossProvinces },
            CreatedBy = db.User.UserName,
            CreatedUtc = db.UtcNow,
            UpdatedUtc = db.UtcNow,
        };
        var app = await db.InTransactionAsync(async ct =>
        {
            var app = NewAccessApplication();
            db.AccessApplications.Add(app);
            await db.SaveChangesAsync(ct);
            app.Reference = $"MA-{app.CreatedUtc.Year}-{app.Id:D4}";
            db.ApplicationTransitions.Add(Transition(db, app, null, ApplicationState.Draft, "Draft started."));
            db.Audit("ApplicationCreated", nameof(AccessApplication), app.Id.ToString(), app.PlatformId, $"{app.Reference} drafted for {platform.Code}.");
            await db.SaveChangesAsync(ct);
            return app;
        }, ct);
        return app.Id;
    }

    /// <summary>Saves the draft (or the answer being prepared to an information request).</summary>
    public async Task SaveDraftAsync(int id, ApplicationInputs inputs, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Operator, ct);
        var app = await LoadAsync(db, id, stamp, ct);
        if (app.State is not (ApplicationState.Draft or ApplicationState.InformationRequested))
        {
            throw new ValidationFailedException("State", $"An application that is {app.State} cannot be edited.");
        }

        var errors = ApplicationValidator.Validate(inputs);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        app.Inputs = inputs.Clone();
        app.UpdatedUtc = db.UtcNow;
        await db.SaveChangesAsync(ct);
    }

    public async Task SubmitAsync(int id, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Operator, ct);
        var app = await LoadAsync(db, id, stamp, ct);
        ThrowIfInvalidForSubmission(app.Inputs);
        Move(db, app, WorkflowAction.Submit, "Submitted for review.");
        app.SubmittedUtc = db.UtcNow;
        await AddVersionAsync(db, app, note: null, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The operator answers an information request: a new version of the inputs goes back to the reviewer.</summary>
    public async Task AnswerAsync(int id, string answer, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Operator, ct);
        var app = await LoadAsync(db, id, stamp, ct);
        RequireText(answer, "Answer", "Answer the reviewer's question (at least 10 characters).");
        ThrowIfInvalidForSubmission(app.Inputs);
        Move(db, app, WorkflowAction.Answer, answer.Trim());
        app.OpenQuestion = null;
        await AddVersionAsync(db, app, answer.Trim(), ct);
        await db.SaveChangesAsync(ct);
    }

    public async Task WithdrawAsync(int id, string reason, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Operator, ct);
        var app = await LoadAsync(db, id, stamp, ct);
        RequireText(reason, "Reason", "Say why the application is withdrawn (at least 10 characters).");
        Move(db, app, WorkflowAction.Withdraw, reason.Trim());
        app.OpenQuestion = null;
        await db.SaveChangesAsync(ct);
    }

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

    /// <summary>The decision letter of a decided application, or null when there is none in the caller's scope.</summary>
    public async Task<DecisionLetterData?> GetLetterAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        var app = await db.AccessApplications.AsNoTracking().Include(a => a.Platform).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (app is null || !ApplicationWorkflow.IsDecided(app.State) || app.DecidedUtc is not { } decided)
        {
            return null;
        }

        var scoring = await db.Scorings.AsNoTracking().Where(s => s.ApplicationId == id).OrderByDescending(s => s.Id)
            .Select(s => new ScoringItem(s.Id, s.ApplicationVersionNumber, s.ScorecardVersionNumber, s.TotalScore, s.Band, s.Result, s.ScoredBy, s.ScoredUtc))
            .FirstOrDefaultAsync(ct);
        var reviewer = app.Officials.Reviewer ?? (app.ReviewerName is null ? null : new Official(app.ReviewerId ?? "", app.ReviewerName, ""));
        var decider = app.Officials.Decider ?? (app.DeciderName is null ? null : new Official(app.DeciderId ?? "", app.DeciderName, ""));
        return new DecisionLetterData(app.Id, app.Reference, app.Platform!.Code, app.Platform.LegalName, app.Platform.Province, app.State,
            decided, app.DecisionReasons ?? "", app.Conditions, scoring, scoring is null ? null : DecisionGovernance.SystemDecision(scoring.Band),
            scoring is null ? [] : DecisionGovernance.FailedKnockouts(scoring.Result), app.IsOverride, app.OverrideJustification, app.OverrideConfirmedUtc,
            reviewer, decider, app.Officials.Confirmer, DateOnly.FromDateTime(decided).AddDays(letterOptions.Value.AppealDays));
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

    /// <summary>The signed-in official by display name and job title.</summary>
    private static async Task<Official> OfficialAsync(IPortalDb db, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == db.User.UserId).Select(u => new Official(u.Id, u.DisplayName, u.JobTitle)).SingleOrDefaultAsync(ct)
        ?? new Official(db.User.UserId ?? "", db.User.UserName, "");

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

    private static async Task<AccessApplication> LoadAsync(IPortalDb db, int id, Guid stamp, CancellationToken ct)
    {
        var app = await db.AccessApplications.SingleOrDefaultAsync(a => a.Id == id, ct)
            ?? throw new NotFoundException("Application not found.");
        db.ExpectConcurrencyStamp(app, stamp);
        return app;
    }

    private static void Move(IPortalDb db, AccessApplication app, WorkflowAction action, string comment)
    {
        var to = ApplicationWorkflow.Next(app.State, action);
        db.ApplicationTransitions.Add(Transition(db, app, app.State, to, comment));
        db.Audit($"Application{action}", nameof(AccessApplication), app.Id.ToString(), app.PlatformId, $"{app.Reference}: {app.State} -> {to}. {comment}");
        app.State = to;
        app.UpdatedUtc = db.UtcNow;
    }

    private static ApplicationTransition Transition(IPortalDb db, AccessApplication app, ApplicationState? from, ApplicationState to, string comment) => new()
    {
        ApplicationId = app.Id,
        PlatformId = app.PlatformId,
        FromState = from,
        ToState = to,
        Actor = db.User.UserName,
        ActorRole = db.User.RoleList,
        TimeUtc = db.UtcNow,
        Comment = comment,
    };

    private static async Task AddVersionAsync(IPortalDb db, AccessApplication app, string? note, CancellationToken ct)
    {
        var last = await db.ApplicationVersions.Where(v => v.ApplicationId == app.Id).Select(v => (int?)v.Number).MaxAsync(ct) ?? 0;
        db.ApplicationVersions.Add(new ApplicationVersion
        {
            ApplicationId = app.Id,
            PlatformId = app.PlatformId,
            Number = last + 1,
            Inputs = app.Inputs.Clone(),
            SubmittedBy = db.User.UserName,
            SubmittedUtc = db.UtcNow,
            Note = note,
        });
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

    private static void ThrowIfInvalidForSubmission(ApplicationInputs inputs)
    {
        var errors = ApplicationValidator.ValidateForSubmission(inputs);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }

    private static void RequireText(string? text, string field, string message)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Length < 10)
        {
            throw new ValidationFailedException(field, message);
        }
    }
}
