using FinancePortal.Application;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FinancePortal.Application.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

using FinancePortal.Infrastructure.Data;

namespace FinancePortal.Infrastructure.LoanTapes.Bulk;

/// <summary>
/// Prepared, batched INSERTs on the context's own connection, in the caller's transaction (SQLite's fastest safe
/// path). Values are bound straight through SQLite's C API on the raw statement (no boxing, no per-row parameter
/// objects, no SafeHandle per call): each statement's text, dates and decimals are encoded as UTF-8 (the database's
/// encoding; decimals and dates exactly as EF Core's SQLite provider stores them) into one pinned buffer and bound
/// without a copy (<c>SQLITE_STATIC</c>), so SQLite neither allocates nor converts per value.
/// </summary>
public sealed class SqliteLoanRecordWriter : LoanRecordWriter
{
    /// <summary>Rows per multi-row INSERT (18 columns x 128 rows = 2,304 parameters, under SQLite's 32,766 limit).</summary>
    public const int RowsPerStatement = 128;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override async Task<long> WriteAsync(IPortalDb db, IAsyncEnumerable<LoanRecord> rows, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside the caller's transaction.");
        var connection = (SqliteConnection)transaction.Connection!;
        var columns = LoanRecordColumns.From(db.LoanRecords.EntityType);
        var bound = columns.Columns.Select(c => ColumnOf(c.Property)).ToArray();
        var values = new ValueBuffer();
        using var single = new Statement(connection.Handle!, InsertSql(columns, 1), values);
        using var batch = new Statement(connection.Handle!, InsertSql(columns, RowsPerStatement), values);
        var pending = new LoanRecord[RowsPerStatement];
        var count = 0;
        long written = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            pending[count++] = row;
            if (count == RowsPerStatement)
            {
                ct.ThrowIfCancellationRequested();
                batch.Execute(bound, pending, count);
                written += count;
                count = 0;
            }
        }

        for (var i = 0; i < count; i++)
        {
            single.Execute(bound, pending.AsSpan(i, 1), 1);
        }

        return written + count;
    }

    /// <summary>SQLite's sequence counts keys of rows since deleted or rolled back too.</summary>
    protected override async Task<long> LastKeyGivenAsync(IPortalDb db, CancellationToken ct)
    {
        var table = db.LoanRecords.EntityType.GetTableName()!;
        return await db.Database.SqlQuery<long?>($"SELECT seq AS Value FROM sqlite_sequence WHERE name = {table}").SingleOrDefaultAsync(ct) ?? 0;
    }

    public static string InsertSql(LoanRecordColumns columns, int rowsPerStatement = 1) =>
        $"INSERT INTO \"{columns.Table}\" ({string.Join(", ", columns.Columns.Select(c => $"\"{c.Column}\""))}) VALUES " +
        string.Join(", ", Enumerable.Range(0, rowsPerStatement).Select(_ => $"({string.Join(", ", columns.Columns.Select(_ => "?"))})"));

    /// <summary>The properties of a loan row the writer binds; the column order and names come from the EF model (<see cref="LoanRecordColumns"/>).</summary>
    private enum Column
    {
        SubmissionId,
        PlatformId,
        Period,
        LoanId,
        BorrowerRef,
        ProductType,
        Scenario,
        OriginationDate,
        Principal,
        CreditLimit,
        TermMonths,
        AnnualRatePct,
        OutstandingPrincipal,
        DaysPastDue,
        Status,
        ChargeOffAmount,
        RecoveryAmount,
        FundingSource,
    }

    private static Column ColumnOf(string property) => Enum.TryParse<Column>(property, out var column) && Enum.IsDefined(column)
        ? column
        : throw new InvalidOperationException($"The SQLite bulk writer does not know how to bind LoanRecord.{property}.");

    /// <summary>Binds one value of <paramref name="row"/> (compiled fully optimised at once: a million rows run through it in one call of the writer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Bind(nint s, int i, Column column, LoanRecord row, ValueBuffer values) => column switch
    {
        Column.SubmissionId => SqliteNative.BindInt64(s, i, row.SubmissionId),
        Column.PlatformId => SqliteNative.BindInt64(s, i, row.PlatformId),
        Column.Period => values.Text(s, i, row.Period),
        Column.LoanId => values.Text(s, i, row.LoanId),
        Column.BorrowerRef => values.Text(s, i, row.BorrowerRef),
        Column.ProductType => values.Text(s, i, row.ProductType),
        Column.Scenario => values.Text(s, i, row.Scenario),
        Column.OriginationDate => values.Date(s, i, row.OriginationDate),
        Column.Principal => values.Decimal(s, i, row.Principal),
        Column.CreditLimit => values.Decimal(s, i, row.CreditLimit),
        Column.TermMonths => SqliteNative.BindInt64(s, i, row.TermMonths),
        Column.AnnualRatePct => values.Decimal(s, i, row.AnnualRatePct),
        Column.OutstandingPrincipal => values.Decimal(s, i, row.OutstandingPrincipal),
        Column.DaysPastDue => SqliteNative.BindInt64(s, i, row.DaysPastDue),
        Column.Status => values.Text(s, i, row.Status),
        Column.ChargeOffAmount => values.Decimal(s, i, row.ChargeOffAmount),
        Column.RecoveryAmount => values.Decimal(s, i, row.RecoveryAmount),
        Column.FundingSource => values.Text(s, i, row.FundingSource),
        _ => throw new InvalidOperationException($"Unknown column {column}."),
    };

    /// <summary>
    /// The UTF-8 bytes of one statement's values, in a pinned buffer that SQLite reads in place until the statement
    /// is stepped (bound as <c>SQLITE_STATIC</c>); emptied after each step. A value that does not fit (only a very
    /// long text could) is bound as a copy instead.
    /// </summary>
    private sealed unsafe class ValueBuffer
    {
        private readonly byte[] _bytes = GC.AllocateArray<byte>(256 * 1024, pinned: true);
        private int _used;

        public void Clear() => _used = 0;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Text(nint statement, int index, string value)
        {
            if (value.Length * 3 > _bytes.Length - _used)
            {
                var copy = System.Text.Encoding.UTF8.GetBytes(value);
                return SqliteNative.BindTextCopy(statement, index, copy);
            }

            var length = System.Text.Encoding.UTF8.GetBytes(value, _bytes.AsSpan(_used));
            return Bound(statement, index, length);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Date(nint statement, int index, DateOnly value)
        {
            Ensure(16);
            value.TryFormat(_bytes.AsSpan(_used), out var length, "yyyy-MM-dd", Inv);
            return Bound(statement, index, length);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Decimal(nint statement, int index, decimal value)
        {
            Ensure(64);
            if (!SqliteDecimalText.TryFormat(value, _bytes.AsSpan(_used), out var length))
            {
                throw new InvalidOperationException($"Cannot format {value}.");
            }

            return Bound(statement, index, length);
        }

        private void Ensure(int bytes)
        {
            if (_bytes.Length - _used < bytes)
            {
                // Cannot happen with RowsPerStatement rows of this table (a row needs < 1 kB besides long texts).
                throw new InvalidOperationException("The bulk writer's value buffer is full.");
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Bound(nint statement, int index, int length)
        {
            var rc = SqliteNative.BindTextStatic(statement, index, (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_bytes), _used)), length);
            _used += length;
            return rc;
        }
    }

    /// <summary>One prepared statement of <c>n</c> rows, stepped and reset per use.</summary>
    private sealed class Statement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private readonly ValueBuffer _values;

        public Statement(sqlite3 db, string sql, ValueBuffer values)
        {
            _db = db;
            _values = values;
            var rc = raw.sqlite3_prepare_v2(db, sql, out _statement);
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Execute(Column[] columns, ReadOnlySpan<LoanRecord> rows, int count)
        {
            var handle = _statement.DangerousGetHandle();
            var index = 1;
            _values.Clear();
            for (var r = 0; r < count; r++)
            {
                var row = rows[r];
                foreach (var column in columns)
                {
                    var bound = Bind(handle, index++, column, row, _values);
                    if (bound != raw.SQLITE_OK)
                    {
                        SqliteException.ThrowExceptionForRC(bound, _db);
                    }
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
