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
    DateTime UpdatedUtc,
    bool IsOverride = false);

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
    Decision? RecommendedDecision,
    Decision? PendingDecision,
    bool IsOverride,
    string? OverrideJustification,
    IReadOnlyList<DecisionCondition> Conditions,
    DecisionOfficials Officials,
    Guid ConcurrencyStamp,
    IReadOnlyList<ApplicationVersionItem> Versions,
    IReadOnlyList<ApplicationTransitionItem> Transitions,
    IReadOnlyList<DocumentItem> Documents,
    ScoringItem? LatestScoring)
{
    public bool IsOpen => ApplicationWorkflow.IsOpen(State);
}


/// <summary>What an approver decides: the decision, its reasons, conditions with due dates, and for a decision against
/// the scorecard the written justification.</summary>
public sealed record DecisionInput(Decision Decision, string Reasons, IReadOnlyList<DecisionCondition> Conditions, string? OverrideJustification = null)
{
    public static DecisionInput Approve(string reasons, string? justification = null) => new(Decision.Approve, reasons, [], justification);

    public static DecisionInput Reject(string reasons, string? justification = null) => new(Decision.Reject, reasons, [], justification);

    /// <summary>The conditions as one line of text (kept on the application for lists and the report).</summary>
    public static string? Summarise(IReadOnlyList<DecisionCondition> conditions) => conditions.Count == 0
        ? null
        : string.Join("; ", conditions.Select((c, i) => $"{i + 1}. {c.Text} (due {c.DueDate:yyyy-MM-dd})"));
}

/// <summary>Everything a decision letter shows, read in one go.</summary>
public sealed record DecisionLetterData(
    int Id,
    string Reference,
    string PlatformCode,
    string PlatformName,
    string PlatformProvince,
    ApplicationState Decision,
    DateTime DecidedUtc,
    string Reasons,
    IReadOnlyList<DecisionCondition> Conditions,
    ScoringItem? Scoring,
    Decision? SystemDecision,
    IReadOnlyList<KnockoutResult> FailedKnockouts,
    bool IsOverride,
    string? OverrideJustification,
    DateTime? OverrideConfirmedUtc,
    Official? Reviewer,
    Official? Decider,
    Official? Confirmer,
    DateOnly AppealDeadline);

/// <summary>
/// The issuing authority and the appeal route printed on decision letters (settings section <c>DecisionLetter</c>).
/// Texts are given per UI culture (<c>en</c>, <c>zh-CN</c>); a missing culture falls back to English.
/// </summary>
public sealed class DecisionLetterOptions
{
    public const string Section = "DecisionLetter";

    public Dictionary<string, string> AuthorityName { get; set; } = new()
    {
        ["en"] = "Consumer Credit Supervision Office (demo authority)",
        ["zh-CN"] = "消费信贷监管办公室（演示机构）",
    };

    public Dictionary<string, string> AuthorityAddress { get; set; } = new()
    {
        ["en"] = "1 Financial Street, Xicheng District, Beijing 100033",
        ["zh-CN"] = "北京市西城区金融大街1号，邮编100033",
    };

    public Dictionary<string, string> AppealRoute { get; set; } = new()
    {
        ["en"] = "If the applicant disagrees with this decision, it may apply for administrative reconsideration to the authority's superior body, or bring an administrative lawsuit before the people's court.",
        ["zh-CN"] = "申请人如对本决定不服，可以向本机关的上一级机关申请行政复议，或者依法向人民法院提起行政诉讼。",
    };

    /// <summary>Days from the decision within which an appeal (administrative reconsideration) may be filed.</summary>
    public int AppealDays { get; set; } = 60;

    /// <summary>The text for <paramref name="culture"/>: exact name, then its parent (zh-CN -> zh), then English.</summary>
    public static string For(IReadOnlyDictionary<string, string> texts, System.Globalization.CultureInfo culture)
    {
        for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
        {
            if (texts.TryGetValue(c.Name, out var text) && !string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        return texts.TryGetValue("en", out var english) ? english : texts.Values.FirstOrDefault() ?? "";
    }
}
