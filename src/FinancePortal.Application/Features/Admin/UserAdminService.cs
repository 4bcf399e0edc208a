using System.Net.Mail;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.Application.Features.Admin;

/// <summary>User administration (Admin only): create, roles, platform binding, jurisdiction, lock and unlock.</summary>
public sealed partial class UserAdminService(IPortalDbFactory dbFactory, IServiceScopeFactory scopeFactory)
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

    /// <summary>Field rules shared by create and update; the password is checked by Identity's policy.</summary>
    public static Dictionary<string, string> Validate(UserInput input, bool creating)
    {
        var errors = new Dictionary<string, string>();
        if (!MailAddress.TryCreate(input.Email?.Trim() ?? "", out _))
        {
            errors[nameof(UserInput.Email)] = "Enter a valid e-mail address; it is the user name.";
        }

        if (string.IsNullOrWhiteSpace(input.DisplayName))
        {
            errors[nameof(UserInput.DisplayName)] = "Display name is required.";
        }

        if (input.JobTitle is { Length: > 200 })
        {
            errors[nameof(UserInput.JobTitle)] = "A job title has at most 200 characters.";
        }

        var unknown = input.Roles.Where(r => !Roles.All.Contains(r)).ToList();
        if (input.Roles.Count == 0)
        {
            errors[nameof(UserInput.Roles)] = "Give the user at least one role.";
        }
        else if (unknown.Count > 0)
        {
            errors[nameof(UserInput.Roles)] = $"Unknown role: {string.Join(", ", unknown)}.";
        }
        else if (input.Roles.Contains(Roles.Operator) && input.Roles.Count > 1)
        {
            errors[nameof(UserInput.Roles)] = "An Operator works for a platform and cannot also hold a regulator role.";
        }

        if (input.Roles.Contains(Roles.Operator) && input.PlatformId is null)
        {
            errors[nameof(UserInput.PlatformId)] = "An Operator must be bound to exactly one platform.";
        }
        else if (!input.Roles.Contains(Roles.Operator) && input.PlatformId is not null)
        {
            errors[nameof(UserInput.PlatformId)] = "Only Operators are bound to a platform.";
        }

        if (input.Roles.Contains(Roles.Operator) && input.Provinces.Count > 0)
        {
            errors[nameof(UserInput.Provinces)] = "Provinces limit regulator-side users; an Operator sees only their platform.";
        }
        else if (input.Provinces.FirstOrDefault(p => !Provinces.IsKnown(p)) is { } bad)
        {
            errors[nameof(UserInput.Provinces)] = $"Unknown province: {bad}.";
        }

        if (creating && string.IsNullOrEmpty(input.Password))
        {
            errors[nameof(UserInput.Password)] = "Set an initial password.";
        }

        return errors;
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
}
