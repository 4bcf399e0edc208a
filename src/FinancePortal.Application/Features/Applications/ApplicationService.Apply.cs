using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Applications;

public sealed partial class ApplicationService
{
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

    private static void ThrowIfInvalidForSubmission(ApplicationInputs inputs)
    {
        var errors = ApplicationValidator.ValidateForSubmission(inputs);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }
}
