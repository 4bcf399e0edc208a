namespace FinancePortal.Application.Domain;

/// <summary>A platform's market-access application (DOMAIN.md §3) and its four-eyes workflow.</summary>
public sealed class AccessApplication : IPlatformOwned, IConcurrencyAware
{
    public int Id { get; set; }

    public int PlatformId { get; set; }

    public Platform? Platform { get; set; }

    /// <summary>Human reference, e.g. MA-2026-0007.</summary>
    public string Reference { get; set; } = "";

    public ApplicationState State { get; set; } = ApplicationState.Draft;

    /// <summary>The editable draft (or the answer being prepared to an information request).</summary>
    public ApplicationInputs Inputs { get; set; } = new();

    public string CreatedBy { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    public DateTime? SubmittedUtc { get; set; }

    public DateTime UpdatedUtc { get; set; }

    /// <summary>User id of the reviewer who assigned themself.</summary>
    public string? ReviewerId { get; set; }

    public string? ReviewerName { get; set; }

    /// <summary>The band of the latest scoring (denormalised for the queue filter).</summary>
    public Band? LatestBand { get; set; }

    public decimal? LatestScore { get; set; }

    /// <summary>The reviewer's recommendation: the reason given with <see cref="RecommendedDecision"/>.</summary>
    public string? Recommendation { get; set; }

    /// <summary>The reviewer's verdict (approve, approve with conditions, reject).</summary>
    public Decision? RecommendedDecision { get; set; }

    /// <summary>The open information request, while the state is InformationRequested.</summary>
    public string? OpenQuestion { get; set; }

    public string? DeciderId { get; set; }

    public string? DeciderName { get; set; }

    public DateTime? DecidedUtc { get; set; }

    public string? DecisionReasons { get; set; }

    public string? DecisionConditions { get; set; }

    /// <summary>The conditions of a conditional approval, each with its due date (also while an override awaits confirmation).</summary>
    public List<DecisionCondition> Conditions { get; set; } = [];

    /// <summary>The decision an approver proposed against the scorecard, waiting for a second approver (state OverridePending).</summary>
    public Decision? PendingDecision { get; set; }

    /// <summary>True once a decision against the scorecard's result took effect (confirmed by a second approver).</summary>
    public bool IsOverride { get; set; }

    /// <summary>The written justification of a decision against the scorecard.</summary>
    public string? OverrideJustification { get; set; }

    public DateTime? OverrideConfirmedUtc { get; set; }

    /// <summary>The officials of the decision by display name and title, as they were when they acted.</summary>
    public DecisionOfficials Officials { get; set; } = new();

    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();

    public List<ApplicationVersion> Versions { get; set; } = [];

    public List<ApplicationTransition> Transitions { get; set; } = [];

    public List<ApplicationDocument> Documents { get; set; } = [];

    public List<Scoring> Scorings { get; set; } = [];
}

public enum ApplicationState
{
    Draft,
    Submitted,
    UnderReview,
    InformationRequested,
    Recommended,
    Approved,
    ConditionallyApproved,
    Rejected,
    Withdrawn,

    /// <summary>An approver decided against the scorecard; a second approver must confirm or decline it.</summary>
    OverridePending,
}

/// <summary>An approver's decision, and a reviewer's verdict.</summary>
public enum Decision
{
    Approve,
    ApproveWithConditions,
    Reject,
}

/// <summary>One condition of a conditional approval and the date by which it must be met.</summary>
public sealed record DecisionCondition(string Text, DateOnly DueDate);

/// <summary>An official as named on a decision letter.</summary>
public sealed record Official(string UserId, string Name, string Title);

/// <summary>Who recommended, decided and (for an override) confirmed.</summary>
public sealed class DecisionOfficials
{
    public Official? Reviewer { get; set; }

    public Official? Decider { get; set; }

    public Official? Confirmer { get; set; }
}

/// <summary>The inputs as submitted: version 1 at submission, one more per answer to an information request. Never changed.</summary>
public sealed class ApplicationVersion : IPlatformOwned
{
    public long Id { get; set; }

    public int ApplicationId { get; set; }

    public int PlatformId { get; set; }

    public int Number { get; set; }

    public ApplicationInputs Inputs { get; set; } = new();

    public string SubmittedBy { get; set; } = "";

    public DateTime SubmittedUtc { get; set; }

    /// <summary>The operator's note with this version (e.g. the answer to an information request).</summary>
    public string? Note { get; set; }
}

/// <summary>One state change with actor, time and comment. Never changed.</summary>
public sealed class ApplicationTransition : IPlatformOwned
{
    public long Id { get; set; }

    public int ApplicationId { get; set; }

    public int PlatformId { get; set; }

    public ApplicationState? FromState { get; set; }

    public ApplicationState ToState { get; set; }

    public string Actor { get; set; } = "";

    public string ActorRole { get; set; } = "";

    public DateTime TimeUtc { get; set; }

    public string Comment { get; set; } = "";
}

/// <summary>A supporting document (PDF, XLSX, PNG, JPG) attached to an application.</summary>
public sealed class ApplicationDocument : IPlatformOwned
{
    public long Id { get; set; }

    public int ApplicationId { get; set; }

    public int PlatformId { get; set; }

    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "";

    public long SizeBytes { get; set; }

    /// <summary>Hex SHA-256 of the content.</summary>
    public string Sha256 { get; set; } = "";

    public string UploadedBy { get; set; } = "";

    public DateTime UploadedUtc { get; set; }

    public DocumentContent? Content { get; set; }
}

/// <summary>The bytes of a document, in their own table so that listings never load them.</summary>
public sealed class DocumentContent : IPlatformOwned
{
    public long DocumentId { get; set; }

    public int PlatformId { get; set; }

    public byte[] Bytes { get; set; } = [];
}
