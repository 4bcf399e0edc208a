using System.Globalization;
using System.Runtime.CompilerServices;

namespace FinancePortal.Infrastructure.Data;

/// <summary>
/// A decimal as EF Core's SQLite provider stores it: TEXT in the custom format <see cref="Format"/> (at least one
/// decimal, no trailing zeros beyond it). The custom-format path of <see cref="decimal.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
/// costs ~200 ns a value, more than SQLite's work to store it; <see cref="TryFormat"/> writes the same bytes from the
/// decimal's integer and scale, and leaves anything unusual (negative zero, more than 64 bits of digits) to the general formatter.
/// </summary>
public static class SqliteDecimalText
{
    /// <summary>How EF Core's SQLite provider writes a decimal.</summary>
    public const string Format = "0.0###########################";

    /// <summary>Writes <paramref name="value"/> as UTF-8 exactly as <c>value.ToString(Format, InvariantCulture)</c> would.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryFormat(decimal value, Span<byte> destination, out int written)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var digits = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        if (digits == 0 && bits[2] == 0 && bits[3] >= 0 && destination.Length >= 3)
        {
            // Zero at any scale (most rows carry a few: no credit limit, no charge-off, no recovery).
            destination[0] = (byte)'0';
            destination[1] = (byte)'.';
            destination[2] = (byte)'0';
            written = 3;
            return true;
        }

        if (bits[2] != 0 || digits == 0)
        {
            return value.TryFormat(destination, out written, Format, CultureInfo.InvariantCulture);
        }

        // The digits, lowest first: the first `scale` of them are the fraction.
        Span<byte> reversed = stackalloc byte[20];
        var count = 0;
        while (digits != 0)
        {
            var quotient = digits / 10;
            reversed[count++] = (byte)('0' + (int)(digits - (quotient * 10)));
            digits = quotient;
        }

        // Trailing zeros of the fraction go, but one decimal always stays.
        var skip = 0;
        while (skip < scale - 1 && (skip >= count || reversed[skip] == (byte)'0'))
        {
            skip++;
        }

        var integerDigits = Math.Max(count - scale, 1);
        var fractionDigits = Math.Max(scale - skip, 1);
        var negative = bits[3] < 0;
        var length = (negative ? 1 : 0) + integerDigits + 1 + fractionDigits;
        if (length > destination.Length)
        {
            written = 0;
            return false;
        }

        var at = 0;
        if (negative)
        {
            destination[at++] = (byte)'-';
        }

        for (var i = integerDigits - 1; i >= 0; i--)
        {
            destination[at++] = scale + i < count ? reversed[scale + i] : (byte)'0';
        }

        destination[at++] = (byte)'.';
        if (scale == 0)
        {
            destination[at++] = (byte)'0';
        }
        else
        {
            for (var i = scale - 1; i >= skip; i--)
            {
                destination[at++] = i < count ? reversed[i] : (byte)'0';
            }
        }

        written = at;
        return true;
    }
}
