namespace FinancePortal.Application.Domain;

/// <summary>One version of the alert thresholds (DOMAIN.md §5). Admins add versions; old ones are kept.</summary>
public sealed class AlertThresholds
{
    public int Id { get; set; }

    public int Version { get; set; }

    /// <summary>Default rate above this (percent) raises an alert. Default 5.</summary>
    public decimal DefaultRateLimitPct { get; set; } = 5m;

    /// <summary>PAR30 above this (percent). Default 8.</summary>
    public decimal Par30LimitPct { get; set; } = 8m;

    /// <summary>Default rate up by more than this many percentage points month on month. Default 2.</summary>
    public decimal DefaultRateJumpPp { get; set; } = 2m;

    /// <summary>A submission missing this many days after month end. Default 10.</summary>
    public int MissingAfterDays { get; set; } = 10;

    /// <summary>Own-funds share of the co-lent book below this (percent). Default 30.</summary>
    public decimal MinOwnShareCoLentPct { get; set; } = 30m;

    public string Reason { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public DateTime CreatedUtc { get; set; }
}

public enum AlertRule
{
    DefaultRateAboveLimit,
    Par30AboveLimit,
    DefaultRateJump,
    SubmissionMissing,
    OwnShareBelowMinimum,
}

/// <summary>The unit of an alert's value and limit, which depends on its rule (shown beside them in exports and the report).</summary>
public static class AlertUnits
{
    public const string Percent = "%";
    public const string PercentagePoints = "pp";
    public const string Days = "days";

    public static string Of(AlertRule rule) => rule switch
    {
        AlertRule.DefaultRateJump => PercentagePoints,
        AlertRule.SubmissionMissing => Days,
        _ => Percent,
    };
}

public enum AlertSeverity
{
    Low,
    Medium,
    High,
    Critical,
}

public enum AlertState
{
    Open,
    Acknowledged,
    Escalated,
    Closed,
}

/// <summary>A breach of a threshold by one platform in one month. One per platform, rule and month.</summary>
public sealed class Alert : IPlatformOwned, IConcurrencyAware
{
    public long Id { get; set; }

    public int PlatformId { get; set; }

    public Platform? Platform { get; set; }

    public AlertRule Rule { get; set; }

    public string Period { get; set; } = "";

    public AlertSeverity Severity { get; set; }

    public AlertState State { get; set; } = AlertState.Open;

    /// <summary>The measured value (percent, percentage points or days, by rule).</summary>
    public decimal Value { get; set; }

    /// <summary>The threshold it was compared with, same unit.</summary>
    public decimal Limit { get; set; }

    public int ThresholdsVersion { get; set; }

    /// <summary>The data version the alert was raised on; null for a missing submission.</summary>
    public long? SubmissionId { get; set; }

    public string Message { get; set; } = "";

    public DateTime RaisedUtc { get; set; }

    public DateTime UpdatedUtc { get; set; }

    public string? OwnerId { get; set; }

    public string? OwnerName { get; set; }

    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();
}

public enum SupervisoryActionKind
{
    Note,
    RectificationRequest,
    OnSiteInspection,
    SuspensionProposal,
}

/// <summary>
/// One step of an alert's life: raised (no from-state), every change of state, severity or owner, with time and
/// actor. Written by the data layer whenever an alert is added or its state or severity changes, whoever changes it;
/// append-only. Reports read an alert's state "as of" a time from it.
/// </summary>
public sealed class AlertStateChange : IPlatformOwned
{
    public long Id { get; set; }

    public long AlertId { get; set; }

    public Alert? Alert { get; set; }

    public int PlatformId { get; set; }

    public AlertState? FromState { get; set; }

    public AlertState ToState { get; set; }

    public AlertSeverity Severity { get; set; }

    /// <summary>The alert's owner after this step.</summary>
    public string? OwnerName { get; set; }

    public DateTime TimeUtc { get; set; }

    public string Actor { get; set; } = "";
}

/// <summary>A supervisory action on a platform, usually in answer to an alert. Append-only.</summary>
public sealed class SupervisoryAction : IPlatformOwned
{
    public long Id { get; set; }

    public int PlatformId { get; set; }

    public Platform? Platform { get; set; }

    public long? AlertId { get; set; }

    public SupervisoryActionKind Kind { get; set; }

    public string Text { get; set; } = "";

    /// <summary>For a rectification request: the date by which the platform must answer.</summary>
    public DateOnly? DueDate { get; set; }

    public string ActorId { get; set; } = "";

    public string ActorName { get; set; } = "";

    public DateTime CreatedUtc { get; set; }
}

/// <summary>A platform on the risk officers' watch list. Removing it sets <see cref="RemovedUtc"/>; rows are kept.</summary>
public sealed class WatchListEntry : IPlatformOwned
{
    public long Id { get; set; }

    public int PlatformId { get; set; }

    public string Reason { get; set; } = "";

    public string AddedBy { get; set; } = "";

    public DateTime AddedUtc { get; set; }

    public string? RemovedBy { get; set; }

    public DateTime? RemovedUtc { get; set; }
}
