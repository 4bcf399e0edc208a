using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Infrastructure.Data;

/// <summary>
/// The one place that turns a user into the platforms they may see (DOMAIN.md §1): an Operator their own platform,
/// a regulator the platforms whose home province is in their jurisdiction (empty = national), anyone else nothing.
/// Reads the binding from the database, so an Admin's change applies to the next unit of work.
/// </summary>
public sealed class DataScopeResolver(IDbContextFactory<PortalDbContext> contexts) : IDataScopeResolver
{
    public async Task<DataScope> ResolveAsync(UserContext user, CancellationToken cancellationToken = default)
    {
        if (user.IsSystem)
        {
            return DataScope.All("System");
        }

        if (!user.IsAuthenticated)
        {
            return DataScope.None;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var binding = await db.Users.AsNoTracking()
            .Where(u => u.Id == user.UserId)
            .Select(u => new { u.PlatformId, u.Provinces })
            .SingleOrDefaultAsync(cancellationToken);
        if (binding is null)
        {
            return DataScope.None;
        }

        if (user.IsInRole(Roles.Operator))
        {
            if (binding.PlatformId is not { } platformId)
            {
                return DataScope.None;
            }

            var code = await db.Platforms.IgnoreQueryFilters().Where(p => p.Id == platformId).Select(p => p.Code).SingleOrDefaultAsync(cancellationToken);
            return code is null ? DataScope.None : DataScope.Platforms([platformId], $"Own platform: {code}");
        }

        if (!user.IsRegulator)
        {
            return DataScope.None;
        }

        var provinces = Provinces.Parse(binding.Provinces);
        if (provinces.Count == 0)
        {
            return DataScope.All();
        }

        var ids = await db.Platforms.IgnoreQueryFilters()
            .Where(p => provinces.Contains(p.Province))
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
        return DataScope.Platforms(ids, $"Provinces: {string.Join(", ", provinces)}");
    }
}
