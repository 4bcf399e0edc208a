namespace FinancePortal.Application.Domain;

/// <summary>
/// One <c>Idempotency-Key</c> of the filing API (docs/api.md): the first answer to a create or sign call, replayed when
/// the same caller sends the same key again within <see cref="Lifetime"/>. A row without <see cref="StatusCode"/> is a
/// call still running; a call that fails leaves no row, so it can be retried with the same key.
/// </summary>
public sealed class ApiIdempotencyKey
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public long Id { get; set; }

    /// <summary>Who sent it: <c>token:</c> and the token's SHA-256 (hex), or <c>user:</c> and the user name (the sign-in cookie).</summary>
    public string Caller { get; set; } = "";

    /// <summary>The client's key, as sent.</summary>
    public string Key { get; set; } = "";

    /// <summary>The call it was sent with (method and path): the same key on another call is refused.</summary>
    public string Operation { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    /// <summary>The first answer's status; null while the first call runs.</summary>
    public int? StatusCode { get; set; }

    public string? Location { get; set; }

    /// <summary>The first answer's JSON body.</summary>
    public string? Body { get; set; }
}
