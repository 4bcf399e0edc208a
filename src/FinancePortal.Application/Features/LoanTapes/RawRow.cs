using System.Runtime.CompilerServices;
namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// One record of a loan-tape file as text fields, filled by a reader and reused for every row (no allocation per
/// row). Fields are trimmed of surrounding white space. Only the first <see cref="MaxStoredLength"/> characters of a
/// field and the first <see cref="MaxStoredFields"/> fields are kept, so a 100 kB field or a line of a million commas
/// cannot grow memory; <see cref="FullLength"/> and <see cref="Count"/> still tell the real sizes.
/// </summary>
public sealed class RawRow
{
    public const int MaxStoredLength = 256;
    public const int MaxStoredFields = 64;

    private readonly char[] _chars = new char[MaxStoredLength * MaxStoredFields];
    private readonly int[] _lengths = new int[MaxStoredFields];
    private readonly int[] _fullLengths = new int[MaxStoredFields];

    /// <summary>Position of the record in the file (CSV record index, XLSX row number): used to number data rows.</summary>
    public long Index { get; set; }

    /// <summary>Number of fields in the record, including those not stored.</summary>
    public int Count { get; private set; }

    public int StoredCount => Math.Min(Count, MaxStoredFields);

    public void Clear() => Count = 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        if (Count < MaxStoredFields)
        {
            var kept = value[..Math.Min(value.Length, MaxStoredLength)];
            kept.CopyTo(_chars.AsSpan(Count * MaxStoredLength));
            _lengths[Count] = kept.Length;
            _fullLengths[Count] = value.Length;
        }

        Count++;
    }

    /// <summary>The stored text of field <paramref name="index"/>; empty for fields beyond the stored ones.</summary>
    public ReadOnlySpan<char> this[int index] =>
        index < StoredCount ? _chars.AsSpan(index * MaxStoredLength, _lengths[index]) : [];

    /// <summary>The length of the field as written (after trimming), even when only part of it was stored.</summary>
    public int FullLength(int index) => index < StoredCount ? _fullLengths[index] : 0;

    public bool IsBlank
    {
        get
        {
            if (Count > MaxStoredFields)
            {
                return false;
            }

            for (var i = 0; i < StoredCount; i++)
            {
                if (_fullLengths[i] > 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Drops empty fields at the end while more than <paramref name="keep"/> remain (spreadsheet cells that only carry formatting).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void TrimEmptyTail(int keep)
    {
        while (Count > keep && Count <= MaxStoredFields && _fullLengths[Count - 1] == 0)
        {
            Count--;
        }
    }

    /// <summary>The field as a finding value: at most <see cref="Finding.MaxValueLength"/> characters.</summary>
    public string ValueOf(int index) => Finding.Cut(this[index], FullLength(index));

    /// <summary>Fills the row from strings (tests, small callers).</summary>
    public static RawRow Of(long index, params string[] fields)
    {
        var row = new RawRow { Index = index };
        foreach (var field in fields)
        {
            row.Add(field);
        }

        return row;
    }
}
