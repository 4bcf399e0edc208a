using FinancePortal.Application;
using FinancePortal.Application.Domain;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

using FinancePortal.Infrastructure.Data;

namespace FinancePortal.Infrastructure.LoanTapes.Bulk;

/// <summary>SqlBulkCopy in the caller's transaction, streaming rows from an IDataReader (no staging in memory).</summary>
public sealed class SqlServerLoanRecordWriter : LoanRecordWriter
{
    public const int BatchSize = 10_000;

    public override async Task<long> WriteAsync(IPortalDb db, IAsyncEnumerable<LoanRecord> rows, CancellationToken ct)
    {
        var transaction = (SqlTransaction)(db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside the caller's transaction."));
        var columns = LoanRecordColumns.From(db.LoanRecords.EntityType);
        using var bulk = Create(transaction.Connection, transaction, columns);
        await using var reader = new LoanRecordDataReader(columns, rows, ct);
        await bulk.WriteToServerAsync(reader, ct);
        return reader.RowsRead;
    }

    /// <summary>The configured SqlBulkCopy: destination, batch size and one mapping per column (unit-tested without a server).</summary>
    public static SqlBulkCopy Create(SqlConnection connection, SqlTransaction? transaction, LoanRecordColumns columns)
    {
        var bulk = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints, transaction)
        {
            DestinationTableName = $"[{columns.Table}]",
            BatchSize = BatchSize,
            EnableStreaming = true,
            BulkCopyTimeout = 0,
        };
        for (var i = 0; i < columns.Columns.Count; i++)
        {
            bulk.ColumnMappings.Add(i, columns.Columns[i].Column);
        }

        return bulk;
    }
}
