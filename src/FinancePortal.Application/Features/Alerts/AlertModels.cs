using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Alerts;

public sealed record AlertListItem(
    long Id,
    int PlatformId,
    string PlatformCode,
    string PlatformName,
    AlertRule Rule,
    string Period,
    AlertSeverity Severity,
    AlertState State,
    decimal Value,
    decimal Limit,
    string Message,
    string? OwnerName,
    DateTime RaisedUtc,
    DateTime UpdatedUtc,
    bool Provisional = false);

public sealed record AlertQuery : PageRequest
{
    public AlertState? State { get; init; }

    /// <summary>When true (and <see cref="State"/> is null), only alerts that are not closed.</summary>
    public bool OpenOnly { get; init; }

    public AlertRule? Rule { get; init; }

    public AlertSeverity? Severity { get; init; }

    public int? PlatformId { get; init; }

    public bool AssignedToMe { get; init; }
}

public sealed record SupervisoryActionItem(
    long Id,
    int PlatformId,
    string PlatformCode,
    long? AlertId,
    SupervisoryActionKind Kind,
    string Text,
    DateOnly? DueDate,
    string ActorName,
    DateTime CreatedUtc);

public sealed record AlertHistoryItem(DateTime TimeUtc, string Actor, string Action, string Summary);

public sealed record AlertDetail(
    AlertListItem Alert,
    long? SubmissionId,
    int ThresholdsVersion,
    string? OwnerId,
    Guid ConcurrencyStamp,
    IReadOnlyList<SupervisoryActionItem> Actions,
    IReadOnlyList<AlertHistoryItem> History);

public sealed record WatchListItem(int PlatformId, string PlatformCode, string PlatformName, string Reason, string AddedBy, DateTime AddedUtc);

public sealed record OfficerOption(string UserId, string Name);

public sealed record ThresholdValues(decimal DefaultRateLimitPct, decimal Par30LimitPct, decimal DefaultRateJumpPp, int MissingAfterDays, decimal MinOwnShareCoLentPct);

public sealed record ThresholdVersionItem(int Version, ThresholdValues Values, string Reason, string CreatedBy, DateTime CreatedUtc);

public sealed record NewSupervisoryAction(int PlatformId, long? AlertId, SupervisoryActionKind Kind, string Text, DateOnly? DueDate);
