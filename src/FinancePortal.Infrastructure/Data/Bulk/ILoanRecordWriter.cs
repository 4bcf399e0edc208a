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
}
