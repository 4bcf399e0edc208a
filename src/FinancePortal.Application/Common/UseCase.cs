using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application;

/// <summary>
/// The opening every use case shares: one unit of work for the current user, limited to their data scope, after
/// checking that they hold one of the roles the use case allows. The unit of work carries the user
/// (<see cref="IPortalDb.User"/>), the scope, the clock and the audit writer (<see cref="IPortalDb.Audit"/>), so a
/// use case reads as its own steps:
/// <code>await using var db = await dbFactory.BeginAsync(Roles.Reviewer, ct);</code>
/// </summary>
public static class UseCase
{
    /// <summary>Opens a unit of work for a user who holds <paramref name="role"/>; otherwise <see cref="ForbiddenException"/>.</summary>
    public static Task<IPortalDb> BeginAsync(this IPortalDbFactory factory, string role, CancellationToken ct) =>
        factory.BeginAsync([role], ct);

    /// <summary>Opens a unit of work for a user who holds one of <paramref name="roles"/>; otherwise <see cref="ForbiddenException"/>.</summary>
    public static async Task<IPortalDb> BeginAsync(this IPortalDbFactory factory, IReadOnlyCollection<string> roles, CancellationToken ct)
    {
        var db = await factory.CreateAsync(ct);
        try
        {
            db.User.Demand([.. roles]);
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>The acting official's display name (their user name when the account has none).</summary>
    public static async Task<string> DisplayNameAsync(this IPortalDb db, CancellationToken ct)
    {
        var id = db.User.UserId;
        var name = id is null ? null : await db.Users.Where(u => u.Id == id).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        return string.IsNullOrWhiteSpace(name) ? db.User.UserName : name;
    }

    /// <summary>A long text cut to 300 characters for lists.</summary>
    public static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
