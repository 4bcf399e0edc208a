using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinancePortal.Application.Features.Rectifications;

/// <summary>
/// Rectification requests as a two-way workflow (docs/monitoring.md): a risk officer asks a platform to fix something by a
/// due date (through <see cref="Alerts.AlertService.RecordActionAsync"/>); an operator of that platform replies with text
/// and attachments, which marks it answered; a risk officer accepts it or reopens it with a note (and may move the due
/// date). Open → Answered → Accepted | Reopened → Answered → …; Accepted is final. Both sides read the whole thread. The
/// data scope limits everything to the caller's platforms (an operator's own; a regulator's provinces); every step is
/// audited.
/// </summary>
public sealed class RectificationService(IPortalDbFactory dbFactory, IFileStore files, IOptions<UploadOptions> uploads)
{
    public static readonly string[] Readers = [Roles.RiskOfficer, Roles.Analyst, Roles.Approver, Roles.Admin, Roles.Operator];

    /// <summary>Most files one reply may carry.</summary>
    public const int MaxAttachments = 5;

    public long MaxFileBytes => uploads.Value.MaxDocumentBytes;

    /// <summary>Allowed moves of the workflow.</summary>
    public static bool CanMove(RectificationState from, RectificationState to) => (from, to) switch
    {
        (RectificationState.Open or RectificationState.Reopened, RectificationState.Answered) => true,
        (RectificationState.Answered, RectificationState.Accepted or RectificationState.Reopened) => true,
        _ => false,
    };

    public async Task<PagedResult<RectificationListItem>> GetPageAsync(RectificationQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        var requests = db.RectificationRequests.AsNoTracking();
        if (query.State is RectificationState state)
        {
            requests = requests.Where(r => r.State == state);
        }
        else if (query.OpenOnly)
        {
            requests = requests.Where(r => r.State != RectificationState.Accepted);
        }

        if (query.PlatformId is int platformId)
        {
            requests = requests.Where(r => r.PlatformId == platformId);
        }

        if (query.AlertId is long alertId)
        {
            requests = requests.Where(r => r.AlertId == alertId);
        }

        var total = await requests.CountAsync(ct);
        var items = await Project(requests.OrderBy(r => r.State == RectificationState.Accepted ? 1 : 0).ThenBy(r => r.DueDate).ThenByDescending(r => r.Id)
            .Skip(query.Skip).Take(query.SafePageSize), Today(db)).ToListAsync(ct);
        return new PagedResult<RectificationListItem>(items, total);
    }

    /// <summary>The request and its whole thread, oldest step first; "not found" outside the caller's scope.</summary>
    public async Task<RectificationDetail> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        var item = await Project(db.RectificationRequests.AsNoTracking().Where(r => r.Id == id), Today(db)).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("Rectification request not found.");
        var stamp = await db.RectificationRequests.AsNoTracking().Where(r => r.Id == id).Select(r => r.ConcurrencyStamp).SingleAsync(ct);
        var messages = await db.RectificationMessages.AsNoTracking().Where(m => m.RequestId == id)
            .OrderBy(m => m.TimeUtc).ThenBy(m => m.Id)
            .Select(m => new { m.Id, m.Kind, m.Text, m.ActorName, m.FromPlatform, m.TimeUtc })
            .ToListAsync(ct);
        var attachments = (await db.RectificationAttachments.AsNoTracking().Where(a => a.RequestId == id).OrderBy(a => a.Id)
            .Select(a => new { a.MessageId, Item = new RectificationAttachmentItem(a.Id, a.FileName, a.ContentType, a.SizeBytes) })
            .ToListAsync(ct)).ToLookup(a => a.MessageId, a => a.Item);
        var thread = messages.Select(m => new RectificationMessageItem(m.Id, m.Kind, m.Text, m.ActorName, m.FromPlatform, m.TimeUtc, attachments[m.Id].ToList())).ToList();
        return new RectificationDetail(item, stamp, thread);
    }

    /// <summary>An attachment of a request in the caller's scope, or null; audited.</summary>
    public async Task<RectificationFileDownload?> OpenAttachmentAsync(long attachmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        var a = await db.RectificationAttachments.AsNoTracking().Where(x => x.Id == attachmentId)
            .Select(x => new { x.FileName, x.ContentType, x.Sha256, x.PlatformId, x.RequestId }).SingleOrDefaultAsync(ct);
        if (a is null)
        {
            return null;
        }

        db.Audit(RectificationAuditActions.AttachmentDownloaded, nameof(RectificationRequest), a.RequestId.ToString(), a.PlatformId, $"{a.FileName} downloaded.");
        await db.SaveChangesAsync(ct);
        return new RectificationFileDownload(a.FileName, a.ContentType, files.OpenRead(a.Sha256));
    }

    /// <summary>
    /// Opens a request for a supervisory action of kind <see cref="SupervisoryActionKind.RectificationRequest"/> (in the
    /// unit of work that adds the action, after it has its id), with the first step of its thread and an audit record.
    /// </summary>
    public static RectificationRequest Open(IPortalDb db, SupervisoryAction action)
    {
        var request = new RectificationRequest
        {
            PlatformId = action.PlatformId,
            AlertId = action.AlertId,
            SupervisoryActionId = action.Id,
            Text = action.Text,
            DueDate = action.DueDate ?? DateOnly.FromDateTime(action.CreatedUtc).AddDays(30),
            RequestedById = action.ActorId,
            RequestedByName = action.ActorName,
            CreatedUtc = action.CreatedUtc,
            UpdatedUtc = action.CreatedUtc,
        };
        db.RectificationRequests.Add(request);
        db.RectificationMessages.Add(new RectificationMessage
        {
            Request = request, PlatformId = action.PlatformId, Kind = RectificationStepKind.Requested, Text = action.Text,
            ActorId = action.ActorId, ActorName = action.ActorName, FromPlatform = false, TimeUtc = action.CreatedUtc,
        });
        return request;
    }

    private const int SupervisoryActionLimit = 4000;

    private static async Task<RectificationRequest> LoadAsync(IPortalDb db, long id, Guid stamp, CancellationToken ct)
    {
        var request = await db.RectificationRequests.SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException("Rectification request not found.");
        db.ExpectConcurrencyStamp(request, stamp);
        request.UpdatedUtc = db.UtcNow;
        return request;
    }

    private static DateOnly Today(IPortalDb db) => DateOnly.FromDateTime(db.UtcNow);


    private static IQueryable<RectificationListItem> Project(IQueryable<RectificationRequest> requests, DateOnly today) =>
        requests.Select(r => new RectificationListItem(r.Id, r.PlatformId, r.Platform!.Code, r.AlertId, r.Text, r.DueDate, r.State,
            (r.State == RectificationState.Open || r.State == RectificationState.Reopened) && r.DueDate < today,
            r.RequestedByName, r.CreatedUtc, r.UpdatedUtc));

    /// <summary>
    /// An operator of the request's platform replies, with up to <see cref="MaxAttachments"/> files (PDF, XLSX, PNG, JPG,
    /// each within the document size limit, checked by content), and so marks the request answered.
    /// </summary>
    public async Task ReplyAsync(long id, Guid stamp, string text, IReadOnlyList<RectificationFile> attachments, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Operator, ct);
        var body = CheckText(text, "Text", "Write your answer (at least 5 characters).");
        if (attachments.Count > MaxAttachments)
        {
            throw new ValidationFailedException("Files", $"Attach at most {MaxAttachments} files to one reply.");
        }

        var request = await LoadAsync(db, id, stamp, ct);
        Move(request, RectificationState.Answered);

        // Check every file before storing any; the store keeps each by its SHA-256.
        var checkedFiles = new List<(string Name, string ContentType, byte[] Bytes)>();
        foreach (var file in attachments)
        {
            var name = Path.GetFileName(file.FileName ?? "").Trim();
            var bytes = await UploadedDocument.ReadLimitedAsync(file.Content, name, uploads.Value.MaxDocumentBytes, "Files", ct);
            var (_, contentType) = DocumentService.Check(name, bytes);
            checkedFiles.Add((name.Length > 255 ? name[^255..] : name, contentType, bytes));
        }

        var message = NewMessage(db, request, RectificationStepKind.Replied, body, await db.DisplayNameAsync(ct), fromPlatform: true);
        foreach (var (name, contentType, bytes) in checkedFiles)
        {
            var (sha, size) = await files.SaveAsync(new MemoryStream(bytes, writable: false), ct);
            message.Attachments.Add(new RectificationAttachment
            {
                RequestId = request.Id, PlatformId = request.PlatformId, FileName = name, ContentType = contentType, SizeBytes = size, Sha256 = sha,
            });
        }

        request.AnsweredUtc = db.UtcNow;
        db.RectificationMessages.Add(message);
        db.Audit(RectificationAuditActions.Answered, nameof(RectificationRequest), id.ToString(), request.PlatformId,
            $"Answered{(checkedFiles.Count > 0 ? $" with {checkedFiles.Count} file(s): {string.Join(", ", checkedFiles.Select(f => f.Name))}" : "")}: {UseCase.Shorten(body)}");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A risk officer accepts an answered request (final), with an optional note.</summary>
    public async Task AcceptAsync(long id, Guid stamp, string? note, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.RiskOfficer, ct);
        var body = note?.Trim() ?? "";
        if (body.Length > SupervisoryActionLimit)
        {
            throw new ValidationFailedException("Note", "Keep the text under 4,000 characters.");
        }

        var request = await LoadAsync(db, id, stamp, ct);
        Move(request, RectificationState.Accepted);
        request.AcceptedUtc = db.UtcNow;
        db.RectificationMessages.Add(NewMessage(db, request, RectificationStepKind.Accepted, body, await db.DisplayNameAsync(ct), fromPlatform: false));
        db.Audit(RectificationAuditActions.Accepted, nameof(RectificationRequest), id.ToString(), request.PlatformId,
            body.Length == 0 ? "Accepted." : $"Accepted: {UseCase.Shorten(body)}");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A risk officer reopens an answered request with a note saying what is still missing; a new due date is optional.</summary>
    public async Task ReopenAsync(long id, Guid stamp, string note, DateOnly? newDueDate, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.RiskOfficer, ct);
        var body = CheckText(note, "Note", "Say what is still missing (at least 5 characters).");
        if (newDueDate is DateOnly due && due <= Today(db))
        {
            throw new ValidationFailedException("DueDate", "The due date must be in the future.");
        }

        var request = await LoadAsync(db, id, stamp, ct);
        Move(request, RectificationState.Reopened);
        var dueText = "";
        if (newDueDate is DateOnly moved && moved != request.DueDate)
        {
            dueText = $" Due {request.DueDate:yyyy-MM-dd} → {moved:yyyy-MM-dd}.";
            request.DueDate = moved;
        }

        db.RectificationMessages.Add(NewMessage(db, request, RectificationStepKind.Reopened, body, await db.DisplayNameAsync(ct), fromPlatform: false));
        db.Audit(RectificationAuditActions.Reopened, nameof(RectificationRequest), id.ToString(), request.PlatformId, $"Reopened: {UseCase.Shorten(body)}{dueText}");
        await db.SaveChangesAsync(ct);
    }

    private static string CheckText(string? text, string field, string tooShort)
    {
        var body = text?.Trim() ?? "";
        if (body.Length < 5)
        {
            throw new ValidationFailedException(field, tooShort);
        }

        if (body.Length > SupervisoryActionLimit)
        {
            throw new ValidationFailedException(field, "Keep the text under 4,000 characters.");
        }

        return body;
    }

    private static void Move(RectificationRequest request, RectificationState to)
    {
        if (!CanMove(request.State, to))
        {
            throw new ValidationFailedException("State", $"A request that is {request.State} cannot be moved to {to}.");
        }

        request.State = to;
    }

    private static RectificationMessage NewMessage(IPortalDb db, RectificationRequest request, RectificationStepKind kind, string text, string actorName, bool fromPlatform) => new()
    {
        RequestId = request.Id,
        PlatformId = request.PlatformId,
        Kind = kind,
        Text = text,
        ActorId = db.User.UserId ?? "system",
        ActorName = actorName,
        FromPlatform = fromPlatform,
        TimeUtc = db.UtcNow,
    };
}
