using FinancePortal.Application;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace FinancePortal.Infrastructure.Data;

/// <summary>
/// Wraps the provider's execution strategy (SQL Server: retrying; SQLite: non-retrying unless asked) and, at the
/// outermost call only, turns a lost database into <see cref="DatabaseUnavailableException"/> — so every query, save
/// and transactional unit surfaces the same clear error while the inner strategy still sees (and retries) the raw
/// provider exception.
/// </summary>
public sealed class PortalExecutionStrategy(IExecutionStrategy inner) : IExecutionStrategy
{
    private static readonly AsyncLocal<int> Depth = new();

    /// <summary>The provider's own strategy (tests check it is SQL Server's retrying one).</summary>
    public IExecutionStrategy Inner { get; } = inner;

    /// <summary>False inside <see cref="StreamingReads"/>: EF Core then streams query results instead of buffering them.</summary>
    public bool RetriesOnFailure => !StreamingReads.Active && Inner.RetriesOnFailure;

    public TResult Execute<TState, TResult>(TState state, Func<DbContext, TState, TResult> operation, Func<DbContext, TState, ExecutionResult<TResult>>? verifySucceeded)
    {
        var outermost = Depth.Value == 0;
        Depth.Value++;
        try
        {
            return Inner.Execute(state, operation, verifySucceeded);
        }
        catch (Exception ex) when (outermost && ex is not DatabaseUnavailableException && DatabaseFailures.IsUnavailable(ex))
        {
            throw new DatabaseUnavailableException(ex);
        }
        finally
        {
            Depth.Value--;
        }
    }

    public async Task<TResult> ExecuteAsync<TState, TResult>(
        TState state,
        Func<DbContext, TState, CancellationToken, Task<TResult>> operation,
        Func<DbContext, TState, CancellationToken, Task<ExecutionResult<TResult>>>? verifySucceeded,
        CancellationToken cancellationToken = default)
    {
        var outermost = Depth.Value == 0;
        Depth.Value++;
        try
        {
            return await Inner.ExecuteAsync(state, operation, verifySucceeded, cancellationToken);
        }
        catch (Exception ex) when (outermost && ex is not DatabaseUnavailableException && DatabaseFailures.IsUnavailable(ex))
        {
            throw new DatabaseUnavailableException(ex);
        }
        finally
        {
            Depth.Value--;
        }
    }
}

/// <summary>
/// Optional for SQLite (<c>Database:SqliteRetryOnBusy</c>): retries "database is busy/locked". Off by default because
/// a retrying strategy makes EF Core buffer query results, and SQLite already waits for locks (command timeout).
/// </summary>
public sealed class SqliteRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay)
    : ExecutionStrategy(dependencies, maxRetryCount, maxRetryDelay)
{
    protected override bool ShouldRetryOn(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 } || exception.InnerException is SqliteException { SqliteErrorCode: 5 or 6 };
}
