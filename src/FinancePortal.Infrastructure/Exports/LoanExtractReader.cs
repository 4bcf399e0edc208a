using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SQLitePCL;

namespace FinancePortal.Infrastructure.Exports;

/// <summary>
/// The loan-level extract's rows. On SQLite they are read straight from a prepared statement on the context's own
/// connection (no EF Core materialiser, no ADO.NET value boxing, no string per decimal): SQLite stores decimals and
/// dates as text, and parsing that text from the statement's UTF-8 bytes is what keeps the read of a million rows
/// within the time the writer needs for them. Same query as <see cref="LoanExtractService.RowsOf"/> (key range, the
/// optional status and product filters, key order; column names from the EF model), same values (integration test).
/// Like that query it filters on the key range only and drops rows of another submission as it reads them: with the
/// submission id in the WHERE clause SQLite's planner takes the (submission, loan id) index instead, looks every row
/// up by key and sorts them, which doubles the read. Other providers run the EF Core query.
/// </summary>
public sealed class LoanExtractReader : ILoanExtractReader
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public IAsyncEnumerable<(long SubmissionId, LoanExtractRow Row)> ReadAsync(IPortalDb db, LoanExtractPart part, long firstId, long lastId, LoanExtractFilter filter, CancellationToken ct) =>
        db is DbContext context && context.Database.IsSqlite()
            ? ReadSqliteAsync(context, part, firstId, lastId, filter, ct)
            : LoanExtractService.RowsOf(db, part, firstId, lastId, filter).AsAsyncEnumerable();

    /// <summary>The statement the SQLite path runs (public for the test that compares it with the EF query's rows).</summary>
    public static string Sql(DbContext context, LoanExtractFilter filter)
    {
        var entity = context.Model.FindEntityType(typeof(LoanRecord))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string C(string property) => $"\"{entity.FindProperty(property)!.GetColumnName(table)}\"";
        var sql = new StringBuilder()
            .Append("SELECT ").AppendJoin(", ", new[]
            {
                C(nameof(LoanRecord.LoanId)), C(nameof(LoanRecord.ProductType)), C(nameof(LoanRecord.Status)),
                C(nameof(LoanRecord.Principal)), C(nameof(LoanRecord.OutstandingPrincipal)), C(nameof(LoanRecord.DaysPastDue)),
                C(nameof(LoanRecord.AnnualRatePct)), C(nameof(LoanRecord.OriginationDate)), C(nameof(LoanRecord.FundingSource)),
                C(nameof(LoanRecord.SubmissionId)),
            })
            .Append(" FROM \"").Append(entity.GetTableName()).Append('"')
            .Append(" WHERE ").Append(C(nameof(LoanRecord.Id))).Append(" >= $first AND ").Append(C(nameof(LoanRecord.Id))).Append(" <= $last");
        if (filter.Status is not null)
        {
            sql.Append(" AND ").Append(C(nameof(LoanRecord.Status))).Append(" = $status");
        }

        if (filter.Product is not null)
        {
            sql.Append(" AND ").Append(C(nameof(LoanRecord.ProductType))).Append(" = $product");
        }

        return sql.Append(" ORDER BY ").Append(C(nameof(LoanRecord.Id))).ToString();
    }

    private static async IAsyncEnumerable<(long SubmissionId, LoanExtractRow Row)> ReadSqliteAsync(
        DbContext context, LoanExtractPart part, long firstId, long lastId, LoanExtractFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        await context.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (SqliteConnection)context.Database.GetDbConnection();
            var rc = raw.sqlite3_prepare_v2(connection.Handle, Sql(context, filter), out var statement);
            Check(rc, connection.Handle!);
            using (statement)
            {
                Check(raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "$first"), firstId), connection.Handle!);
                Check(raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "$last"), lastId), connection.Handle!);
                if (filter.Status is { } status)
                {
                    Check(raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "$status"), status), connection.Handle!);
                }

                if (filter.Product is { } product)
                {
                    Check(raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "$product"), product), connection.Handle!);
                }

                var products = new Codes(LoanTapeFormat.ProductTypes.Codes);
                var statuses = new Codes(LoanTapeFormat.Statuses.Codes);
                var funding = new Codes(LoanTapeFormat.FundingSources.Codes);
                var count = 0;
                var added = false;
                statement.DangerousAddRef(ref added);
                try
                {
                    var handle = statement.DangerousGetHandle();
                    while (true)
                    {
                        rc = SqliteNative.Step(handle);
                        if (rc == SqliteNative.Done)
                        {
                            break;
                        }

                        if (rc != SqliteNative.Row)
                        {
                            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
                        }

                        if (++count % 4096 == 0)
                        {
                            ct.ThrowIfCancellationRequested();
                        }

                        // A row of another submission inside the range (only if two signings interleaved) is skipped undecoded.
                        var submission = SqliteNative.ColumnInt64(handle, 9);
                        if (submission == part.SubmissionId)
                        {
                            yield return (submission, Read(handle, part, products, statuses, funding));
                        }
                    }
                }
                finally
                {
                    if (added)
                    {
                        statement.DangerousRelease();
                    }
                }
            }
        }

        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The current row of the statement (columns in the order of <see cref="Sql"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static LoanExtractRow Read(nint row, LoanExtractPart part, Codes products, Codes statuses, Codes funding) => new(
        part.PlatformCode,
        part.Period,
        Encoding.UTF8.GetString(SqliteNative.Text(row, 0)),
        products.Get(SqliteNative.Text(row, 1)),
        statuses.Get(SqliteNative.Text(row, 2)),
        Decimal(SqliteNative.Text(row, 3)),
        Decimal(SqliteNative.Text(row, 4)),
        SqliteNative.ColumnInt32(row, 5),
        Decimal(SqliteNative.Text(row, 6)),
        Date(SqliteNative.Text(row, 7)),
        funding.Get(SqliteNative.Text(row, 8)));

    /// <summary>
    /// A decimal as EF Core's SQLite provider stores it (text); SQLite renders a number a hand-written row may hold as
    /// text too (an integer, or a real with an exponent).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static decimal Decimal(ReadOnlySpan<byte> text) =>
        TryPlainDecimal(text, out var value) ? value : decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowExponent, Inv);

    /// <summary>
    /// <c>[-]digits[.digits]</c> with at most 18 digits (what EF Core writes for money and rates) without the general
    /// parser: the digits as one integer and the count of decimals as the scale, exactly what <see cref="decimal.Parse(string)"/>
    /// gives (same value, same scale). Anything else is left to the general parser.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryPlainDecimal(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0m;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        var i = negative ? 1 : 0;
        ulong digits = 0;
        var count = 0;
        var scale = -1;
        for (; i < text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)'.' && scale < 0)
            {
                scale = 0;
                continue;
            }

            if (b is < (byte)'0' or > (byte)'9' || ++count > 18)
            {
                return false;
            }

            digits = (digits * 10) + (ulong)(b - '0');
            if (scale >= 0)
            {
                scale++;
            }
        }

        if (count == 0 || scale == 0)
        {
            return false;
        }

        value = new decimal((int)(uint)digits, (int)(uint)(digits >> 32), 0, negative, (byte)Math.Max(scale, 0));
        return true;
    }

    /// <summary><c>yyyy-MM-dd</c> as EF Core stores a <see cref="DateOnly"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DateOnly Date(ReadOnlySpan<byte> text)
    {
        if (text.Length == 10 && text[4] == (byte)'-' && text[7] == (byte)'-'
            && TryDigits(text[..4], out var year) && TryDigits(text.Slice(5, 2), out var month) && TryDigits(text.Slice(8, 2), out var day)
            && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) && year >= 1)
        {
            return new DateOnly(year, month, day);
        }

        return DateOnly.Parse(Encoding.UTF8.GetString(text), Inv);
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    /// <summary>The few codes of an enum column as shared strings (no string per row); anything else is decoded.</summary>
    private sealed class Codes(IEnumerable<string> codes)
    {
        private readonly (byte[] Utf8, string Text)[] _codes = codes.Select(c => (Encoding.UTF8.GetBytes(c), c)).ToArray();

        public string Get(ReadOnlySpan<byte> utf8)
        {
            foreach (var (bytes, text) in _codes)
            {
                if (utf8.SequenceEqual(bytes))
                {
                    return text;
                }
            }

            return Encoding.UTF8.GetString(utf8);
        }
    }
}
