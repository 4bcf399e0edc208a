using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.Application.Features.Users;

/// <summary>User administration (Admin only): create, roles, platform binding, jurisdiction, lock and unlock.</summary>
public sealed class UserAdminService(IPortalDbFactory dbFactory, IServiceScopeFactory scopeFactory)
{
    public async Task<PagedResult<UserListItem>> GetPageAsync(UserQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Admin, ct);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToUpperInvariant();
            users = users.Where(u => u.NormalizedEmail!.Contains(term) || u.DisplayName.ToUpper().Contains(term));
        }

        if (!string.IsNullOrWhiteSpace(query.Role))
        {
            var roleName = query.Role;
            users = users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == roleName)));
        }

        var total = await users.CountAsync(ct);
        var sorted = (query.SortBy, query.Descending) switch
        {
            ("DisplayName", false) => users.OrderBy(u => u.DisplayName),
            ("DisplayName", true) => users.OrderByDescending(u => u.DisplayName),
            (_, true) => users.OrderByDescending(u => u.Email),
            _ => users.OrderBy(u => u.Email),
        };
        var now = new DateTimeOffset(db.UtcNow, TimeSpan.Zero);
        var rows = await sorted.Skip(query.Skip).Take(query.SafePageSize)
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.DisplayName,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!)
                    .ToList(),
                u.PlatformId,
                PlatformCode = db.Platforms.IgnoreQueryFilters().Where(p => p.Id == u.PlatformId).Select(p => p.Code).FirstOrDefault(),
                u.Provinces,
                u.LockoutEnd,
            })
            .ToListAsync(ct);
        var items = rows.Select(r => new UserListItem(
                r.Id, r.Email ?? "", r.DisplayName, r.Roles.Order().ToList(), r.PlatformId, r.PlatformCode, r.Provinces,
                r.LockoutEnd is { } end && end > now))
            .ToList();
        return new PagedResult<UserListItem>(items, total);
    }

    public async Task<UserInput?> GetForEditAsync(string id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Admin, ct);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return null;
        }

        var roles = await db.UserRoles.Where(ur => ur.UserId == id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!)
            .ToListAsync(ct);
        return new UserInput
        {
            Email = user.Email ?? "",
            DisplayName = user.DisplayName,
            JobTitle = user.JobTitle,
            Roles = [.. roles],
            PlatformId = user.PlatformId,
            Provinces = [.. Provinces.Parse(user.Provinces)],
        };
    }

    private async Task<(UserContext User, DateTime UtcNow)> DemandAdminAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Admin, ct);
        return (db.User, db.UtcNow);
    }

    private async Task CheckPlatformAsync(UserInput input, Dictionary<string, string> errors, CancellationToken ct)
    {
        if (input.PlatformId is not { } platformId || errors.ContainsKey(nameof(UserInput.PlatformId)))
        {
            return;
        }

        await using var db = await dbFactory.CreateAsync(ct);
        if (!await db.Platforms.AnyAsync(p => p.Id == platformId, ct))
        {
            errors[nameof(UserInput.PlatformId)] = "That platform does not exist.";
        }
    }

    private static void ThrowIfAny(Dictionary<string, string> errors)
    {
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }

    public async Task<string> CreateAsync(UserInput input, CancellationToken ct = default)
    {
        var actor = await DemandAdminAsync(ct);
        var errors = UserValidator.Validate(input, creating: true);
        await CheckPlatformAsync(input, errors, ct);
        ThrowIfAny(errors);

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var email = input.Email.Trim();
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new ValidationFailedException(nameof(UserInput.Email), $"A user with the e-mail {email} already exists.");
        }

        var user = new PortalUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = input.DisplayName.Trim(),
            JobTitle = (input.JobTitle ?? "").Trim(),
            PlatformId = input.PlatformId,
            Provinces = Provinces.Format(input.Provinces),
            LockoutEnabled = true,
            CreatedUtc = actor.UtcNow,
        };
        Check(await users.CreateAsync(user, input.Password!), nameof(UserInput.Password));
        Check(await users.AddToRolesAsync(user, input.Roles), nameof(UserInput.Roles));
        await RecordAsync(AuditActions.UserCreated, user.Id, input.PlatformId,
            $"Created {email} with roles {string.Join(",", input.Roles.Order())}{Describe(input)}.", ct);
        return user.Id;
    }

    public async Task UpdateAsync(string id, UserInput input, CancellationToken ct = default)
    {
        await DemandAdminAsync(ct);
        var errors = UserValidator.Validate(input, creating: false);
        await CheckPlatformAsync(input, errors, ct);
        ThrowIfAny(errors);

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(id) ?? throw new NotFoundException("User not found.");
        var email = input.Email.Trim();
        if (!string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase) && await users.FindByEmailAsync(email) is not null)
        {
            throw new ValidationFailedException(nameof(UserInput.Email), $"A user with the e-mail {email} already exists.");
        }

        user.Email = email;
        user.UserName = email;
        user.DisplayName = input.DisplayName.Trim();
        user.JobTitle = (input.JobTitle ?? "").Trim();
        user.PlatformId = input.PlatformId;
        user.Provinces = Provinces.Format(input.Provinces);
        Check(await users.UpdateAsync(user), nameof(UserInput.Email));

        var current = await users.GetRolesAsync(user);
        Check(await users.RemoveFromRolesAsync(user, current.Except(input.Roles)), nameof(UserInput.Roles));
        Check(await users.AddToRolesAsync(user, input.Roles.Except(current)), nameof(UserInput.Roles));

        // Sessions of this user re-validate and pick up the new roles and scope.
        await users.UpdateSecurityStampAsync(user);
        await RecordAsync(AuditActions.UserUpdated, id, input.PlatformId,
            $"{email}: roles {string.Join(",", current.Order())} -> {string.Join(",", input.Roles.Order())}{Describe(input)}.", ct);
    }

    public async Task SetLockedAsync(string id, bool locked, CancellationToken ct = default)
    {
        var actor = await DemandAdminAsync(ct);
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(id) ?? throw new NotFoundException("User not found.");
        if (locked && user.Id == actor.User.UserId)
        {
            throw new ValidationFailedException("Lock", "You cannot lock your own account.");
        }

        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (!locked)
        {
            await users.ResetAccessFailedCountAsync(user);
        }

        await users.UpdateSecurityStampAsync(user);
        await RecordAsync(locked ? AuditActions.UserLocked : AuditActions.UserUnlocked, id, user.PlatformId,
            $"{user.Email} {(locked ? "locked" : "unlocked")}.", ct);
    }

    /// <summary>
    /// Sets a new password for the user (Admin). Identity renews the security stamp, so every existing session of the
    /// user ends within the session validation interval (security.md).
    /// </summary>
    public async Task ResetPasswordAsync(string id, string newPassword, CancellationToken ct = default)
    {
        await DemandAdminAsync(ct);
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(id) ?? throw new NotFoundException("User not found.");
        newPassword ??= "";
        // Check the policy first, so that a refused password leaves the old one in place.
        foreach (var validator in users.PasswordValidators)
        {
            Check(await validator.ValidateAsync(users, user, newPassword), nameof(UserInput.Password));
        }

        Check(await users.RemovePasswordAsync(user), nameof(UserInput.Password));
        Check(await users.AddPasswordAsync(user, newPassword), nameof(UserInput.Password));
        await users.UpdateSecurityStampAsync(user);
        await RecordAsync(AuditActions.UserPasswordReset, id, user.PlatformId, $"{user.Email}: password reset; sessions ended.", ct);
    }

    /// <summary>Ends every session of the user (Admin): renews the security stamp; cookies and circuits re-validate and sign out.</summary>
    public async Task SignOutEverywhereAsync(string id, CancellationToken ct = default)
    {
        await DemandAdminAsync(ct);
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(id) ?? throw new NotFoundException("User not found.");
        await users.UpdateSecurityStampAsync(user);
        await RecordAsync(AuditActions.UserSignedOutEverywhere, id, user.PlatformId, $"{user.Email}: signed out everywhere by an administrator.", ct);
    }

    private static string Describe(UserInput input) =>
        (input.PlatformId is { } p ? $", platform #{p}" : "") +
        (input.Provinces.Count > 0 ? $", provinces {Provinces.Format(input.Provinces)}" : "");

    private async Task RecordAsync(string action, string userId, int? platformId, string summary, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.Audit(action, nameof(PortalUser), userId, platformId, summary);
        await db.SaveChangesAsync(ct);
    }

    private static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
        {
            throw new ValidationFailedException(field, string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
