using System.Data.Common;
using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace FinancePortal.Infrastructure.Data.Bulk;

/// <summary>One prepared INSERT reused for every row, in the caller's transaction (SQLite's fastest safe path).</summary>
public sealed class SqliteLoanRecordWriter : ILoanRecordWriter
{
    public async Task<long> WriteAsync(DbContext db, IAsyncEnumerable<LoanRecord> rows, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside the caller's transaction.");
        var columns = LoanRecordColumns.From(db);
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertSql(columns);
        var parameters = columns.Columns.Select((c, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = $"$p{i}";
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        await command.PrepareAsync(ct);

        long written = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = ToDb(columns.Columns[i].Value(row));
            }

            await command.ExecuteNonQueryAsync(ct);
            written++;
        }

        return written;
    }

    public static string InsertSql(LoanRecordColumns columns) =>
        $"INSERT INTO \"{columns.Table}\" ({string.Join(", ", columns.Columns.Select(c => $"\"{c.Column}\""))}) " +
        $"VALUES ({string.Join(", ", columns.Columns.Select((_, i) => $"$p{i}"))})";

    /// <summary>Stores values the way EF Core's SQLite provider does (decimals and dates as invariant text).</summary>
    private static object ToDb(object value) => value switch
    {
        decimal d => d.ToString("0.0###########################", System.Globalization.CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };
}
