using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Scorecards;

public sealed record ScorecardListItem(int Id, int Number, string Name, ScorecardStatus Status, string CreatedBy, DateTime CreatedUtc, DateTime? ActivatedUtc);

public sealed record ScorecardDetail(int Id, int Number, string Name, ScorecardStatus Status, ScorecardDefinition Definition, string CreatedBy, DateTime CreatedUtc, DateTime? ActivatedUtc, Guid ConcurrencyStamp);

/// <summary>One application whose band would change under a draft scorecard, and why.</summary>
public sealed record WhatIfRow(
    int ApplicationId,
    string Reference,
    string PlatformCode,
    ApplicationState State,
    LicenceStatus PlatformLicenceStatus,
    decimal CurrentScore,
    Band CurrentBand,
    decimal NewScore,
    Band NewBand,
    string Why);

public sealed record WhatIfResult(int DraftNumber, int ActiveNumber, int Evaluated, IReadOnlyList<WhatIfRow> Changes);
