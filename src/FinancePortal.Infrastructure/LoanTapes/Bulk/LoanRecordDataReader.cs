using System.Collections;
using System.Data.Common;
using FinancePortal.Application.Domain;

using FinancePortal.Infrastructure.Data;

namespace FinancePortal.Infrastructure.LoanTapes.Bulk;

/// <summary>A forward-only reader over loan rows for SqlBulkCopy; pulls one row at a time from the async source.</summary>
public sealed class LoanRecordDataReader(LoanRecordColumns columns, IAsyncEnumerable<LoanRecord> rows, CancellationToken ct) : DbDataReader
{
    private readonly IAsyncEnumerator<LoanRecord> _rows = rows.GetAsyncEnumerator(ct);
    private LoanRecord? _current;

    public long RowsRead { get; private set; }

    public override int FieldCount => columns.Columns.Count;

    public override bool Read() => ReadAsync(ct).GetAwaiter().GetResult();

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await _rows.MoveNextAsync())
        {
            _current = null;
            return false;
        }

        _current = _rows.Current;
        RowsRead++;
        return true;
    }

    public override object GetValue(int ordinal) => columns.Columns[ordinal].Value(_current ?? throw new InvalidOperationException("No current row.")) switch
    {
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        var value => value,
    };

    public override string GetName(int ordinal) => columns.Columns[ordinal].Column;

    public override int GetOrdinal(string name) => columns.Columns.ToList().FindIndex(c => c.Column == name);

    public override Type GetFieldType(int ordinal) => GetValue(ordinal).GetType();

    public override bool IsDBNull(int ordinal) => false;

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool HasRows => true;

    public override bool IsClosed => false;

    public override int RecordsAffected => -1;

    public override int Depth => 0;

    public override bool NextResult() => false;

    public override IEnumerator GetEnumerator() => throw new NotSupportedException();

    public override string GetDataTypeName(int ordinal) => GetFieldType(ordinal).Name;

    public override bool GetBoolean(int ordinal) => (bool)GetValue(ordinal);

    public override byte GetByte(int ordinal) => (byte)GetValue(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

    public override char GetChar(int ordinal) => (char)GetValue(ordinal);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

    public override DateTime GetDateTime(int ordinal) => (DateTime)GetValue(ordinal);

    public override decimal GetDecimal(int ordinal) => (decimal)GetValue(ordinal);

    public override double GetDouble(int ordinal) => Convert.ToDouble(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override float GetFloat(int ordinal) => Convert.ToSingle(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override Guid GetGuid(int ordinal) => (Guid)GetValue(ordinal);

    public override short GetInt16(int ordinal) => Convert.ToInt16(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override int GetInt32(int ordinal) => Convert.ToInt32(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override long GetInt64(int ordinal) => Convert.ToInt64(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override string GetString(int ordinal) => (string)GetValue(ordinal);

    public override async ValueTask DisposeAsync()
    {
        await _rows.DisposeAsync();
        await base.DisposeAsync();
    }
}
