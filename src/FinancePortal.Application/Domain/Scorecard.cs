using FinancePortal.Application.Features.Scorecards;

namespace FinancePortal.Application.Domain;

/// <summary>A versioned scorecard. Drafts can be edited; an active or retired version never changes again.</summary>
public sealed class ScorecardVersion : IConcurrencyAware
{
    public int Id { get; set; }

    public int Number { get; set; }

    public string Name { get; set; } = "";

    public ScorecardStatus Status { get; set; }

    public ScorecardDefinition Definition { get; set; } = new();

    public string CreatedBy { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    public DateTime? ActivatedUtc { get; set; }

    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();
}

public enum ScorecardStatus
{
    Draft,
    Active,
    Retired,
}

/// <summary>One scoring of one application version with one scorecard version: inputs, points and explanations.</summary>
public sealed class Scoring : IPlatformOwned
{
    public long Id { get; set; }

    public int ApplicationId { get; set; }

    public int PlatformId { get; set; }

    public long ApplicationVersionId { get; set; }

    public int ApplicationVersionNumber { get; set; }

    public int ScorecardVersionId { get; set; }

    public int ScorecardVersionNumber { get; set; }

    public decimal TotalScore { get; set; }

    public Band Band { get; set; }

    public ScoreResult Result { get; set; } = new([], [], 0, Band.Fail, "");

    public string ScoredBy { get; set; } = "";

    public DateTime ScoredUtc { get; set; }
}
