using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Security;

/// <summary>Who is acting: the signed-in user, or the system (seeding, background jobs).</summary>
public sealed record UserContext(string? UserId, string UserName, IReadOnlyList<string> Roles)
{
    public static readonly UserContext Anonymous = new(null, "anonymous", []);

    /// <summary>The portal itself (seeding, hosted jobs). Sees everything; never used for a request.</summary>
    public static readonly UserContext System = new(null, "system", []);

    /// <summary>The name of the API token the request came with (docs/api.md); null for the pages and the system.</summary>
    public string? ApiTokenName { get; init; }

    public bool IsAuthenticated => UserId is not null;

    public bool IsSystem => ReferenceEquals(this, System);

    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public bool IsInAnyRole(params string[] roles) => roles.Any(IsInRole);

    public bool IsRegulator => Roles.Any(r => Domain.Roles.Regulator.Contains(r));

    public string RoleList => string.Join(',', Roles);

    /// <summary>Throws <see cref="ForbiddenException"/> unless the user holds one of <paramref name="roles"/>.</summary>
    public void Demand(params string[] roles)
    {
        if (IsSystem || IsInAnyRole(roles))
        {
            return;
        }

        throw new ForbiddenException($"This action needs one of the roles: {string.Join(", ", roles)}.");
    }
}

/// <summary>Supplies the user of the current request or circuit.</summary>
public interface ICurrentUser
{
    Task<UserContext> GetAsync(CancellationToken cancellationToken = default);
}
