namespace FinancePortal.Application.Domain;

/// <summary>
/// A bearer token for the filing API (docs/api.md). The secret is shown once at creation and stored only as its SHA-256.
/// The token acts as its creator, in the role it was created for and within the creator's data scope; it stops working
/// when it expires, is revoked, or its creator is locked out, loses that role or moves to another platform.
/// </summary>
public sealed class ApiToken
{
    public long Id { get; set; }

    /// <summary>The creator's own label, e.g. "monthly batch job".</summary>
    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the secret (32 bytes); the secret itself is never stored.</summary>
    public byte[] SecretHash { get; set; } = [];

    /// <summary>The first characters of the secret, to tell tokens apart in lists (e.g. <c>fpt_3KQ9</c>).</summary>
    public string Prefix { get; set; } = "";

    public string CreatedByUserId { get; set; } = "";

    public string CreatedByName { get; set; } = "";

    /// <summary>The role the token acts in: Operator (filing) or Analyst (regulator-side reads).</summary>
    public string Role { get; set; } = "";

    /// <summary>The operator's platform when the token was made; null for regulator-side tokens.</summary>
    public int? PlatformId { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime ExpiresUtc { get; set; }

    public DateTime? LastUsedUtc { get; set; }

    public DateTime? RevokedUtc { get; set; }

    public string? RevokedByName { get; set; }

    public bool IsActive(DateTime utcNow) => RevokedUtc is null && ExpiresUtc > utcNow;
}
