using System.Security.Cryptography;
using System.Text;
using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.ApiTokens;

/// <summary>
/// API tokens for the filing API (docs/api.md). Operators make tokens for their own platform, Analysts read-only tokens
/// for the regulator side; each sees and revokes their own, an Admin lists and revokes everyone's. A secret is
/// <c>fpt_</c> and 43 base64url characters (256 random bits), shown once; only its SHA-256 is stored. Every step is
/// audited.
/// </summary>
public sealed class ApiTokenService(IPortalDbFactory dbFactory)
{
    public const string SecretPrefix = "fpt_";
    public const int MaxLifetimeDays = 365;
    public static readonly string[] Creators = [Roles.Operator, Roles.Analyst];

    /// <summary>How often the last-used time is written, at most.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<CreatedApiToken> CreateAsync(CreateApiToken request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Creators, ct);
        var name = (request.Name ?? "").Trim();
        if (name.Length is < 3 or > 100)
        {
            throw new ValidationFailedException("Name", "Give the token a name of 3 to 100 characters, e.g. \"monthly batch job\".");
        }

        var today = DateOnly.FromDateTime(db.UtcNow);
        if (request.ExpiresOn <= today || request.ExpiresOn > today.AddDays(MaxLifetimeDays))
        {
            throw new ValidationFailedException("ExpiresOn", $"Choose an expiry date after today and at most {MaxLifetimeDays} days ahead.");
        }

        var user = await db.Users.AsNoTracking().Where(u => u.Id == db.User.UserId)
            .Select(u => new { u.Id, u.UserName, u.DisplayName, u.PlatformId }).SingleAsync(ct);
        var role = db.User.IsInRole(Roles.Operator) ? Roles.Operator : Roles.Analyst;
        if (role == Roles.Operator && user.PlatformId is null)
        {
            throw new ForbiddenException("Your account is not linked to a platform.");
        }

        var secret = NewSecret();
        var expiresUtc = request.ExpiresOn.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var id = await db.InTransactionAsync(async token => await AddAsync(token), ct);
        return new CreatedApiToken(id, name, secret, expiresUtc);

        async Task<long> AddAsync(CancellationToken token)
        {
            var row = new ApiToken
            {
                Name = name,
                SecretHash = Hash(secret),
                Prefix = secret[..8],
                CreatedByUserId = user.Id,
                CreatedByName = string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName ?? user.Id : user.DisplayName,
                Role = role,
                PlatformId = role == Roles.Operator ? user.PlatformId : null,
                CreatedUtc = db.UtcNow,
                ExpiresUtc = expiresUtc,
            };
            db.ApiTokens.Add(row);
            await db.SaveChangesAsync(token);
            db.Audit(AuditActions.ApiTokenCreated, nameof(ApiToken), row.Id.ToString(), row.PlatformId,
                $"API token \"{name}\" ({row.Prefix}…) created for the {role} role, valid until {request.ExpiresOn:yyyy-MM-dd}.");
            await db.SaveChangesAsync(token);
            return row.Id;
        }
    }

    /// <summary>The caller's own tokens; an Admin's list holds every token. Newest first.</summary>
    public async Task<PagedResult<ApiTokenItem>> GetPageAsync(int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync([.. Creators, Roles.Admin], ct);
        var tokens = Visible(db);
        var total = await tokens.CountAsync(ct);
        var items = await tokens.OrderByDescending(t => t.CreatedUtc).ThenByDescending(t => t.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 100))
            .Select(t => new ApiTokenItem(t.Id, t.Name, t.Prefix, t.Role,
                db.Platforms.IgnoreQueryFilters().Where(p => p.Id == t.PlatformId).Select(p => p.Code).FirstOrDefault(),
                t.CreatedByName, t.CreatedUtc, t.ExpiresUtc, t.LastUsedUtc, t.RevokedUtc, t.RevokedByName))
            .ToListAsync(ct);
        return new PagedResult<ApiTokenItem>(items, total);
    }

    /// <summary>Revokes one of the caller's tokens (an Admin: anyone's). Revoking twice is harmless.</summary>
    public async Task RevokeAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync([.. Creators, Roles.Admin], ct);
        var token = await Visible(db).AsTracking().SingleOrDefaultAsync(t => t.Id == id, ct)
            ?? throw new NotFoundException("API token not found.");
        if (token.RevokedUtc is not null)
        {
            return;
        }

        token.RevokedUtc = db.UtcNow;
        token.RevokedByName = db.User.UserName;
        db.Audit(AuditActions.ApiTokenRevoked, nameof(ApiToken), token.Id.ToString(), token.PlatformId,
            $"API token \"{token.Name}\" ({token.Prefix}…) of {token.CreatedByName} revoked.");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The token behind <paramref name="secret"/> when it is known, unexpired and not revoked (whether its creator may
    /// still act is the caller's check); notes the time it was used.
    /// </summary>
    public async Task<ActiveApiToken?> FindActiveAsync(string secret, CancellationToken ct = default)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length != SecretPrefix.Length + 43)
        {
            return null;
        }

        var hash = Hash(secret);
        await using var db = await dbFactory.CreateForAsync(Security.UserContext.System, ct);
        var now = db.UtcNow;
        var token = await db.ApiTokens.AsNoTracking()
            .Where(t => t.SecretHash == hash && t.RevokedUtc == null && t.ExpiresUtc > now)
            .Select(t => new { t.Id, t.Name, t.CreatedByUserId, t.Role, t.PlatformId, t.LastUsedUtc })
            .SingleOrDefaultAsync(ct);
        if (token is null)
        {
            return null;
        }

        if (token.LastUsedUtc is not DateTime last || now - last >= LastUsedResolution)
        {
            await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedUtc, now), ct);
        }

        return new ActiveApiToken(token.Id, token.Name, token.CreatedByUserId, token.Role, token.PlatformId);
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string NewSecret() => SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static IQueryable<ApiToken> Visible(IPortalDb db) =>
        db.User.IsInRole(Roles.Admin) || db.User.IsSystem
            ? db.ApiTokens.AsNoTracking()
            : db.ApiTokens.AsNoTracking().Where(t => t.CreatedByUserId == db.User.UserId);
}
