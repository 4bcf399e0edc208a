using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Scorecards;

namespace FinancePortal.Application.Features.Applications;

public sealed record ApplicationListItem(
    int Id,
    string Reference,
    int PlatformId,
    string PlatformCode,
    string PlatformName,
    ApplicationState State,
    DateTime? SubmittedUtc,
    string? ReviewerName,
    Band? LatestBand,
    decimal? LatestScore,
    DateTime UpdatedUtc);

public sealed record ApplicationQuery : PageRequest
{
    public ApplicationState? State { get; init; }

    public int? PlatformId { get; init; }

    public Band? Band { get; init; }

    public DateTime? SubmittedFromUtc { get; init; }

    /// <summary>Exclusive.</summary>
    public DateTime? SubmittedToUtc { get; init; }

    /// <summary>A reviewer's user id; <see cref="Unassigned"/> for applications nobody has taken.</summary>
    public string? AssigneeId { get; init; }

    /// <summary>Matches the reference or the platform code.</summary>
    public string? Search { get; init; }

    public const string Unassigned = "-";
}

public sealed record ApplicationVersionItem(long Id, int Number, string SubmittedBy, DateTime SubmittedUtc, string? Note);

public sealed record ApplicationTransitionItem(ApplicationState? FromState, ApplicationState ToState, string Actor, string ActorRole, DateTime TimeUtc, string Comment);

public sealed record DocumentItem(long Id, string FileName, string ContentType, long SizeBytes, string Sha256, string UploadedBy, DateTime UploadedUtc);

public sealed record ScoringItem(long Id, int ApplicationVersionNumber, int ScorecardVersionNumber, decimal TotalScore, Band Band, ScoreResult Result, string ScoredBy, DateTime ScoredUtc);

public sealed record ApplicationDetail(
    int Id,
    string Reference,
    int PlatformId,
    string PlatformCode,
    string PlatformName,
    LicenceStatus PlatformLicenceStatus,
    ApplicationState State,
    ApplicationInputs Inputs,
    string CreatedBy,
    DateTime CreatedUtc,
    DateTime? SubmittedUtc,
    string? ReviewerId,
    string? ReviewerName,
    string? Recommendation,
    string? OpenQuestion,
    string? DeciderName,
    DateTime? DecidedUtc,
    string? DecisionReasons,
    string? DecisionConditions,
    Guid ConcurrencyStamp,
    IReadOnlyList<ApplicationVersionItem> Versions,
    IReadOnlyList<ApplicationTransitionItem> Transitions,
    IReadOnlyList<DocumentItem> Documents,
    ScoringItem? LatestScoring)
{
    public bool IsOpen => ApplicationWorkflow.IsOpen(State);
}

public enum Decision
{
    Approve,
    ApproveWithConditions,
    Reject,
}
