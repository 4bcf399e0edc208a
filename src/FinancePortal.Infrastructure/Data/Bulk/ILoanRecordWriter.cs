using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Infrastructure.Data.Bulk;

/// <summary>
/// Writes many loan rows inside the context's current transaction: SQLite through a prepared, batched INSERT;
/// SQL Server through SqlBulkCopy. Both behind this one interface.
/// </summary>
public interface ILoanRecordWriter
{
    Task<long> WriteAsync(DbContext db, IAsyncEnumerable<LoanRecord> rows, CancellationToken ct);
}

public static class LoanRecordWriters
{
    /// <summary>The writer for the context's provider.</summary>
    public static ILoanRecordWriter For(DbContext db) =>
        db.Database.IsSqlServer() ? new SqlServerLoanRecordWriter() : new SqliteLoanRecordWriter();

    /// <summary>
    /// Writes the loan rows of one version (inside the context's current transaction) and records on the submission the
    /// key range they occupy (<see cref="LoanSubmission.FirstLoanRecordId"/>; the caller saves the submission). The
    /// bounds are the highest key given before and after the write: a key given now is above every key given before
    /// (SQLite's AUTOINCREMENT, SQL Server's IDENTITY), so no row of the version lies outside them. Before the write,
    /// SQLite's sequence counts keys of rows since deleted or rolled back too, so the range starts at the version's
    /// first row; on SQL Server it starts after the highest key in the table (a rolled-back key may lie in between).
    /// </summary>
    public static async Task<long> WriteVersionAsync(DbContext db, LoanSubmission submission, IAsyncEnumerable<LoanRecord> rows, CancellationToken ct)
    {
        var records = db.Set<LoanRecord>();
        var before = await records.MaxAsync(r => (long?)r.Id, ct) ?? 0;
        if (db.Database.IsSqlite())
        {
            var table = db.Model.FindEntityType(typeof(LoanRecord))!.GetTableName()!;
            var sequence = await db.Database.SqlQuery<long?>($"SELECT seq AS Value FROM sqlite_sequence WHERE name = {table}").SingleOrDefaultAsync(ct);
            before = Math.Max(before, sequence ?? 0);
        }

        var written = await For(db).WriteAsync(db, rows, ct);
        var after = await records.MaxAsync(r => (long?)r.Id, ct) ?? 0;
        (submission.FirstLoanRecordId, submission.LastLoanRecordId) = written > 0 ? (before + 1, after) : ((long?)null, (long?)null);
        return written;
    }
}
