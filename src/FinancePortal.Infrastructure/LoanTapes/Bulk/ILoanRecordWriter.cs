using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

using FinancePortal.Infrastructure.Data;

namespace FinancePortal.Infrastructure.LoanTapes.Bulk;

/// <summary>
/// The provider's bulk writer (SQLite: prepared, batched INSERTs; SQL Server: SqlBulkCopy), registered once at DI time
/// for the configured provider. Rows are written inside the unit of work's current transaction.
/// </summary>
public abstract class LoanRecordWriter : ILoanRecordWriter
{
    /// <summary>The writer for the unit of work's provider, for the seeder and tools built without the DI container's choice.</summary>
    public static LoanRecordWriter For(IPortalDb db) => db.Database.IsSqlServer() ? new SqlServerLoanRecordWriter() : new SqliteLoanRecordWriter();

    /// <summary>Writes the rows inside <paramref name="db"/>'s current transaction; returns how many were written.</summary>
    public abstract Task<long> WriteAsync(IPortalDb db, IAsyncEnumerable<LoanRecord> rows, CancellationToken ct);

    /// <summary>
    /// Writes the loan rows of one version and records on the submission the key range they occupy
    /// (<see cref="LoanSubmission.FirstLoanRecordId"/>; the caller saves the submission). The bounds are the highest
    /// key given before and after the write: a key given now is above every key given before (SQLite's AUTOINCREMENT,
    /// SQL Server's IDENTITY), so no row of the version lies outside them.
    /// </summary>
    public async Task<long> WriteVersionAsync(IPortalDb db, LoanSubmission submission, IAsyncEnumerable<LoanRecord> rows, CancellationToken ct)
    {
        var before = Math.Max(await db.LoanRecords.MaxAsync(r => (long?)r.Id, ct) ?? 0, await LastKeyGivenAsync(db, ct));
        var written = await WriteAsync(db, rows, ct);
        var after = await db.LoanRecords.MaxAsync(r => (long?)r.Id, ct) ?? 0;
        (submission.FirstLoanRecordId, submission.LastLoanRecordId) = written > 0 ? (before + 1, after) : ((long?)null, (long?)null);
        return written;
    }

    /// <summary>
    /// The highest key the database has given, counting rows since deleted or rolled back where the provider tracks
    /// it (SQLite's sequence), so the range starts at the version's first row; 0 when it does not (SQL Server: the
    /// range starts after the highest key in the table, a rolled-back key may lie in between).
    /// </summary>
    protected virtual Task<long> LastKeyGivenAsync(IPortalDb db, CancellationToken ct) => Task.FromResult(0L);
}
