namespace FinancePortal.Application.Features.Audit;

public sealed record AuditItem(
    long Id,
    DateTime TimeUtc,
    string Actor,
    string Role,
    string Action,
    string EntityType,
    string? EntityId,
    int? PlatformId,
    string? PlatformCode,
    string Summary,
    string? ActorName = null,
    string? EntityName = null,
    string? ApiToken = null);

public sealed record AuditQuery : PageRequest
{
    public string? Actor { get; init; }

    public string? Action { get; init; }

    public string? EntityType { get; init; }

    public int? PlatformId { get; init; }

    /// <summary>Inclusive lower bound, UTC.</summary>
    public DateTime? FromUtc { get; init; }

    /// <summary>Exclusive upper bound, UTC.</summary>
    public DateTime? ToUtc { get; init; }

    /// <summary>Free text matched against the summary.</summary>
    public string? Text { get; init; }
}
