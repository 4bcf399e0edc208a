using FinancePortal.Application;
using FinancePortal.Application.Security;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Infrastructure.Data;

/// <summary>Opens a context per operation, limited to the acting user's data scope.</summary>
public sealed class PortalDbFactory(
    IDbContextFactory<PortalDbContext> contexts,
    ICurrentUser currentUser,
    IDataScopeResolver scopes,
    TimeProvider time) : IPortalDbFactory
{
    public async Task<IPortalDb> CreateAsync(CancellationToken cancellationToken = default) =>
        await CreateForAsync(await currentUser.GetAsync(cancellationToken), cancellationToken);

    public async Task<IPortalDb> CreateForAsync(UserContext user, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ResolveAsync(user, cancellationToken);
        var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Initialize(user, scope, time);
        return db;
    }
}
