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

    /// <summary>The reviewer's recommendation note.</summary>
    public string? Recommendation { get; set; }

    /// <summary>The open information request, while the state is InformationRequested.</summary>
    public string? OpenQuestion { get; set; }

    public string? DeciderId { get; set; }

    public string? DeciderName { get; set; }

    public DateTime? DecidedUtc { get; set; }

    public string? DecisionReasons { get; set; }

    public string? DecisionConditions { get; set; }

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
