namespace FinancePortal.Application.Features.ApiTokens;

/// <summary>What the creator asks for: a label and the last day the token works (at most a year ahead).</summary>
public sealed record CreateApiToken(string Name, DateOnly ExpiresOn);

/// <summary>The new token; <see cref="Secret"/> is shown once and never stored.</summary>
public sealed record CreatedApiToken(long Id, string Name, string Secret, DateTime ExpiresUtc);

public sealed record ApiTokenItem(long Id, string Name, string Prefix, string Role, string? PlatformCode, string CreatedByName,
    DateTime CreatedUtc, DateTime ExpiresUtc, DateTime? LastUsedUtc, DateTime? RevokedUtc, string? RevokedByName)
{
    public bool IsActive(DateTime utcNow) => RevokedUtc is null && ExpiresUtc > utcNow;
}

/// <summary>A token that is valid right now, as the API's authentication needs it.</summary>
public sealed record ActiveApiToken(long Id, string Name, string CreatedByUserId, string Role, int? PlatformId);
