using Microsoft.Extensions.Logging;
using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinancePortal.Application.Features.Applications;

/// <summary>
/// Market-access applications: operators draft, submit, answer and withdraw; reviewers assign, score, request
/// information and recommend; a different approver decides. Every move is checked here, whatever the UI shows.
/// </summary>
public sealed partial class ApplicationService(IPortalDbFactory dbFactory, IOptions<DecisionLetterOptions> letterOptions, ILogger<ApplicationService> logger)
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

    private static void RequireText(string? text, string field, string message)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Length < 10)
        {
            throw new ValidationFailedException(field, message);
        }
    }
}
