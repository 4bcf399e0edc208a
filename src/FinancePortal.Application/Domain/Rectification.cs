namespace FinancePortal.Application.Domain;

/// <summary>
/// Where a rectification request stands. Open → Answered (the platform replied) → Accepted (final), or Answered →
/// Reopened (the regulator wants more) → Answered → …
/// </summary>
public enum RectificationState
{
    Open,
    Answered,
    Reopened,
    Accepted,
}

/// <summary>One step in the thread of a rectification request.</summary>
public enum RectificationStepKind
{
    Requested,
    Replied,
    Accepted,
    Reopened,
}

/// <summary>
/// What the regulator asked a platform to fix, by when, and where the exchange stands. Created with the supervisory
/// action of kind <see cref="SupervisoryActionKind.RectificationRequest"/> that records it (kept append-only); the
/// thread of replies and decisions is in <see cref="RectificationMessage"/>.
/// </summary>
public sealed class RectificationRequest : IPlatformOwned, IConcurrencyAware
{
    public long Id { get; set; }

    public int PlatformId { get; set; }

    public Platform? Platform { get; set; }

    public long? AlertId { get; set; }

    /// <summary>The supervisory action that recorded the request.</summary>
    public long? SupervisoryActionId { get; set; }

    public string Text { get; set; } = "";

    /// <summary>The date by which the platform must answer (a reopening may move it).</summary>
    public DateOnly DueDate { get; set; }

    public RectificationState State { get; set; } = RectificationState.Open;

    public string RequestedById { get; set; } = "";

    public string RequestedByName { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    public DateTime UpdatedUtc { get; set; }

    /// <summary>When the platform last marked it answered.</summary>
    public DateTime? AnsweredUtc { get; set; }

    public DateTime? AcceptedUtc { get; set; }

    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();

    /// <summary>Overdue: still waiting for the platform (open or reopened) after its due date.</summary>
    public static bool IsOverdue(RectificationState state, DateOnly due, DateOnly today) =>
        state is RectificationState.Open or RectificationState.Reopened && due < today;
}

/// <summary>One step of a request's thread: the request, a reply from the platform, an acceptance or a reopening. Append-only.</summary>
public sealed class RectificationMessage : IPlatformOwned
{
    public long Id { get; set; }

    public long RequestId { get; set; }

    public RectificationRequest? Request { get; set; }

    public int PlatformId { get; set; }

    public RectificationStepKind Kind { get; set; }

    public string Text { get; set; } = "";

    public string ActorId { get; set; } = "";

    public string ActorName { get; set; } = "";

    /// <summary>True when the platform wrote it (an operator), false for the regulator.</summary>
    public bool FromPlatform { get; set; }

    public DateTime TimeUtc { get; set; }

    public List<RectificationAttachment> Attachments { get; set; } = [];
}

/// <summary>A file attached to a reply, kept in the content-addressed file store by its SHA-256. Append-only.</summary>
public sealed class RectificationAttachment : IPlatformOwned
{
    public long Id { get; set; }

    public long MessageId { get; set; }

    public long RequestId { get; set; }

    public int PlatformId { get; set; }

    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "";

    public long SizeBytes { get; set; }

    public string Sha256 { get; set; } = "";
}
