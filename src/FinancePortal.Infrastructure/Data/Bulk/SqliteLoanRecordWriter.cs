using System.Globalization;
using FinancePortal.Application.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace FinancePortal.Infrastructure.Data.Bulk;

/// <summary>
/// Prepared, batched INSERTs on the context's own connection, in the caller's transaction (SQLite's fastest safe
/// path). Values are bound straight through SQLite's C API (no boxing, no per-row parameter objects); decimals and
/// dates are formatted into a stack buffer exactly as EF Core's SQLite provider stores them.
/// </summary>
public sealed class SqliteLoanRecordWriter : ILoanRecordWriter
{
    /// <summary>Rows per multi-row INSERT (18 columns x 32 rows = 576 parameters, under SQLite's 32,766 limit).</summary>
    public const int RowsPerStatement = 32;

    /// <summary>How EF Core's SQLite provider writes a decimal (as TEXT).</summary>
    public const string DecimalFormat = "0.0###########################";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<long> WriteAsync(DbContext db, IAsyncEnumerable<LoanRecord> rows, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside the caller's transaction.");
        var connection = (SqliteConnection)transaction.Connection!;
        var columns = LoanRecordColumns.From(db);
        var binders = columns.Columns.Select(c => Binder(c.Property)).ToArray();
        using var single = new Statement(connection.Handle!, InsertSql(columns, 1));
        using var batch = new Statement(connection.Handle!, InsertSql(columns, RowsPerStatement));
        var pending = new LoanRecord[RowsPerStatement];
        var count = 0;
        long written = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            pending[count++] = row;
            if (count == RowsPerStatement)
            {
                ct.ThrowIfCancellationRequested();
                batch.Execute(binders, pending, count);
                written += count;
                count = 0;
            }
        }

        for (var i = 0; i < count; i++)
        {
            single.Execute(binders, pending.AsSpan(i, 1), 1);
        }

        return written + count;
    }

    public static string InsertSql(LoanRecordColumns columns, int rowsPerStatement = 1) =>
        $"INSERT INTO \"{columns.Table}\" ({string.Join(", ", columns.Columns.Select(c => $"\"{c.Column}\""))}) VALUES " +
        string.Join(", ", Enumerable.Range(0, rowsPerStatement).Select(_ => $"({string.Join(", ", columns.Columns.Select(_ => "?"))})"));

    private delegate void Bind(sqlite3_stmt statement, int index, LoanRecord row);

    /// <summary>How one property is bound; the column order and names come from the EF model (<see cref="LoanRecordColumns"/>).</summary>
    private static Bind Binder(string property) => property switch
    {
        nameof(LoanRecord.SubmissionId) => (s, i, r) => Check(s, raw.sqlite3_bind_int64(s, i, r.SubmissionId)),
        nameof(LoanRecord.PlatformId) => (s, i, r) => Check(s, raw.sqlite3_bind_int(s, i, r.PlatformId)),
        nameof(LoanRecord.Period) => (s, i, r) => Text(s, i, r.Period),
        nameof(LoanRecord.LoanId) => (s, i, r) => Text(s, i, r.LoanId),
        nameof(LoanRecord.BorrowerRef) => (s, i, r) => Text(s, i, r.BorrowerRef),
        nameof(LoanRecord.ProductType) => (s, i, r) => Text(s, i, r.ProductType),
        nameof(LoanRecord.Scenario) => (s, i, r) => Text(s, i, r.Scenario),
        nameof(LoanRecord.OriginationDate) => (s, i, r) => Date(s, i, r.OriginationDate),
        nameof(LoanRecord.Principal) => (s, i, r) => Decimal(s, i, r.Principal),
        nameof(LoanRecord.CreditLimit) => (s, i, r) => Decimal(s, i, r.CreditLimit),
        nameof(LoanRecord.TermMonths) => (s, i, r) => Check(s, raw.sqlite3_bind_int(s, i, r.TermMonths)),
        nameof(LoanRecord.AnnualRatePct) => (s, i, r) => Decimal(s, i, r.AnnualRatePct),
        nameof(LoanRecord.OutstandingPrincipal) => (s, i, r) => Decimal(s, i, r.OutstandingPrincipal),
        nameof(LoanRecord.DaysPastDue) => (s, i, r) => Check(s, raw.sqlite3_bind_int(s, i, r.DaysPastDue)),
        nameof(LoanRecord.Status) => (s, i, r) => Text(s, i, r.Status),
        nameof(LoanRecord.ChargeOffAmount) => (s, i, r) => Decimal(s, i, r.ChargeOffAmount),
        nameof(LoanRecord.RecoveryAmount) => (s, i, r) => Decimal(s, i, r.RecoveryAmount),
        nameof(LoanRecord.FundingSource) => (s, i, r) => Text(s, i, r.FundingSource),
        _ => throw new InvalidOperationException($"The SQLite bulk writer does not know how to bind LoanRecord.{property}."),
    };

    /// <summary>
    /// Text is bound as UTF-8 (the database's encoding): bound as UTF-16, SQLite would convert every value again
    /// while building the record.
    /// </summary>
    private static void Text(sqlite3_stmt statement, int index, string value)
    {
        if (value.Length <= 256)
        {
            Span<byte> utf8 = stackalloc byte[value.Length * 3];
            var length = System.Text.Encoding.UTF8.GetBytes(value, utf8);
            Check(statement, raw.sqlite3_bind_text(statement, index, utf8[..length]));
        }
        else
        {
            Check(statement, raw.sqlite3_bind_text(statement, index, System.Text.Encoding.UTF8.GetBytes(value).AsSpan()));
        }
    }

    private static void Date(sqlite3_stmt statement, int index, DateOnly value)
    {
        Span<byte> text = stackalloc byte[10];
        value.TryFormat(text, out var length, "yyyy-MM-dd", Inv);
        Check(statement, raw.sqlite3_bind_text(statement, index, text[..length]));
    }

    private static void Decimal(sqlite3_stmt statement, int index, decimal value)
    {
        Span<byte> text = stackalloc byte[64];
        if (!value.TryFormat(text, out var length, DecimalFormat, Inv))
        {
            throw new InvalidOperationException($"Cannot format {value}.");
        }

        Check(statement, raw.sqlite3_bind_text(statement, index, text[..length]));
    }

    private static void Check(sqlite3_stmt statement, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, raw.sqlite3_db_handle(statement));
        }
    }

    /// <summary>One prepared statement of <c>n</c> rows, stepped and reset per use.</summary>
    private sealed class Statement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;

        public Statement(sqlite3 db, string sql)
        {
            _db = db;
            var rc = raw.sqlite3_prepare_v2(db, sql, out _statement);
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }

        public void Execute(Bind[] binders, ReadOnlySpan<LoanRecord> rows, int count)
        {
            var index = 1;
            for (var r = 0; r < count; r++)
            {
                var row = rows[r];
                foreach (var bind in binders)
                {
                    bind(_statement, index++, row);
                }
            }

            var rc = raw.sqlite3_step(_statement);
            raw.sqlite3_reset(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }

        public void Dispose() => _statement.Dispose();
    }
}
