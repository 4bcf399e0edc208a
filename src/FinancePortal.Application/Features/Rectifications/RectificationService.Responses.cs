using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Rectifications;

public sealed partial class RectificationService
{
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
