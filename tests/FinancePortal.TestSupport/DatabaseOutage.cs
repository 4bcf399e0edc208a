using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FinancePortal.TestSupport;

/// <summary>
/// An EF Core interceptor (register it as <c>IInterceptor</c>) that makes the database unreachable on demand: while
/// <see cref="Down"/> every connection open fails as SQLite fails on a missing or unreadable file; <see cref="FailCommits"/>
/// makes the next commits fail with "database is locked" (a transient error the retrying strategy retries).
/// </summary>
public sealed class DatabaseOutage : DbConnectionInterceptor, IDbTransactionInterceptor
{
    private int _failCommits;

    public bool Down { get; set; }

    /// <summary>How many connection opens were refused.</summary>
    public int RefusedOpens { get; private set; }

    /// <summary>How many commits were failed.</summary>
    public int FailedCommits { get; private set; }

    public void FailCommits(int count) => Volatile.Write(ref _failCommits, count);

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        ThrowIfDown();
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        return ValueTask.FromResult(result);
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        ThrowIfCommitFails();
        return result;
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ThrowIfCommitFails();
        return ValueTask.FromResult(result);
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            RefusedOpens++;
            throw new SqliteException("SQLite Error 14: 'unable to open database file'.", 14);
        }
    }

    private void ThrowIfCommitFails()
    {
        if (Interlocked.Decrement(ref _failCommits) >= 0)
        {
            FailedCommits++;
            throw new SqliteException("SQLite Error 5: 'database is locked'.", 5);
        }
    }
}
