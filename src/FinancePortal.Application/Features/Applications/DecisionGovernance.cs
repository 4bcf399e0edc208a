using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Scorecards;

namespace FinancePortal.Application.Features.Applications;

/// <summary>
/// When a decision goes against the scorecard (DOMAIN.md §3 "Overrides"): approving, with or without conditions, an
/// application in band Fail or with any failed knock-out, or rejecting one in band A. Such a decision needs a written
/// justification and takes effect only when a second approver, neither the first nor the reviewer, confirms it.
/// </summary>
public static class DecisionGovernance
{
    /// <summary>Justifications shorter than this are refused: an override must say why.</summary>
    public const int MinJustificationLength = 30;

    /// <summary>The decision the scorecard recommends: A approve, B approve with conditions, C and Fail reject.</summary>
    public static Decision SystemDecision(Band band) => band switch
    {
        Band.A => Decision.Approve,
        Band.B => Decision.ApproveWithConditions,
        _ => Decision.Reject,
    };

    public static bool IsOverride(Decision decision, ScoreResult result) => decision == Decision.Reject
        ? result.Band == Band.A
        : result.Band == Band.Fail || !result.KnockoutsPassed;

    /// <summary>A decision in plain words for comments and messages (never the code).</summary>
    public static string Describe(Decision decision) => decision switch
    {
        Decision.Approve => "approve",
        Decision.ApproveWithConditions => "approve with conditions",
        _ => "reject",
    };

    public static IReadOnlyList<KnockoutResult> FailedKnockouts(ScoreResult result) => result.Knockouts.Where(k => !k.Passed).ToList();
}
