using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Rectifications;

public sealed record RectificationListItem(
    long Id,
    int PlatformId,
    string PlatformCode,
    long? AlertId,
    string Text,
    DateOnly DueDate,
    RectificationState State,
    bool Overdue,
    string RequestedByName,
    DateTime CreatedUtc,
    DateTime UpdatedUtc);

public sealed record RectificationQuery : PageRequest
{
    /// <summary>Only requests still waiting for the platform or the regulator (not accepted).</summary>
    public bool OpenOnly { get; init; }

    public RectificationState? State { get; init; }

    public int? PlatformId { get; init; }

    public long? AlertId { get; init; }
}

public sealed record RectificationAttachmentItem(long Id, string FileName, string ContentType, long SizeBytes);

public sealed record RectificationMessageItem(
    long Id,
    RectificationStepKind Kind,
    string Text,
    string ActorName,
    bool FromPlatform,
    DateTime TimeUtc,
    IReadOnlyList<RectificationAttachmentItem> Attachments);

public sealed record RectificationDetail(
    RectificationListItem Request,
    Guid ConcurrencyStamp,
    IReadOnlyList<RectificationMessageItem> Thread);

/// <summary>A file attached to a reply: its name as uploaded and its content.</summary>
public sealed record RectificationFile(string FileName, Stream Content);

public sealed record RectificationFileDownload(string FileName, string ContentType, Stream Content);

public static class RectificationAuditActions
{
    public const string Requested = "RectificationRequested";
    public const string Answered = "RectificationAnswered";
    public const string Accepted = "RectificationAccepted";
    public const string Reopened = "RectificationReopened";
    public const string AttachmentDownloaded = "RectificationAttachmentDownloaded";
}
