using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application;

/// <summary>
/// Explicit transactions that work with a retrying execution strategy (SQL Server's <c>EnableRetryOnFailure</c>):
/// the whole unit runs inside <c>CreateExecutionStrategy().ExecuteAsync</c>, so a transient failure rolls back and
/// runs it again from the start. Before a retry the change tracker is cleared, so <paramref name="work"/> must load
/// (or create) everything it changes itself — never modify entities tracked before the call.
/// </summary>
public static class Transactions
{
    public static Task<T> InTransactionAsync<T>(this IPortalDb db, Func<CancellationToken, Task<T>> work, CancellationToken ct) =>
        InTransactionAsync(db.Database, db.ChangeTracker, work, ct);

    public static Task InTransactionAsync(this IPortalDb db, Func<CancellationToken, Task> work, CancellationToken ct) =>
        InTransactionAsync(db.Database, db.ChangeTracker, async token =>
        {
            await work(token);
            return true;
        }, ct);

    private static Task<T> InTransactionAsync<T>(
        Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database,
        Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker tracker,
        Func<CancellationToken, Task<T>> work,
        CancellationToken ct)
    {
        var attempt = 0;
        return database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            if (attempt++ > 0)
            {
                tracker.Clear();
            }

            await using var tx = await database.BeginTransactionAsync(token);
            var result = await work(token);
            await tx.CommitAsync(token);
            return result;
        }, ct);
    }
}
