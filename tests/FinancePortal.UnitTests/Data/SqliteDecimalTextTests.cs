using System.Globalization;
using System.Text;
using FinancePortal.Infrastructure.Data;

namespace FinancePortal.UnitTests.Data;

/// <summary>
/// The bulk writer stores decimals through <see cref="SqliteDecimalText.TryFormat"/>; the text must be byte for byte what
/// EF Core's SQLite provider writes (<c>ToString("0.0###…", InvariantCulture)</c>), or EF's comparisons, sorting and
/// equality on stored amounts would disagree with rows EF wrote itself.
/// </summary>
public class SqliteDecimalTextTests
{
    private static string Expected(decimal value) => value.ToString(SqliteDecimalText.Format, CultureInfo.InvariantCulture);

    private static string Fast(decimal value)
    {
        Span<byte> buffer = stackalloc byte[64];
        Assert.True(SqliteDecimalText.TryFormat(value, buffer, out var written));
        return Encoding.UTF8.GetString(buffer[..written]);
    }

    public static TheoryData<decimal> Edges => new()
    {
        0m, 0.00m, 1m, -1m, 10m, 1000.00m, 1000.25m, 1000.250m, 0.05m, -0.05m, 0.5m, 18.25m, 18.2500m,
        0.0000000000000000000000000001m, 1234567890.1234567890m, 18446744073709551615m, 18446744073709551616m,
        1844674407370955161.5m, decimal.MaxValue, decimal.MinValue, 79228162514264337593543950335m / 3, 100000000000000000m, 200000.00m,
        new decimal(5, 0, 0, false, 28), new decimal(123456789, 0, 0, true, 9),
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void Edge_values_are_written_as_EF_Core_writes_them(decimal value) => Assert.Equal(Expected(value), Fast(value));

    [Fact]
    public void Negative_zeros_are_written_as_EF_Core_writes_them()
    {
        Assert.Equal(Expected(new decimal(0, 0, 0, true, 0)), Fast(new decimal(0, 0, 0, true, 0)));
        Assert.Equal(Expected(new decimal(0, 0, 0, true, 2)), Fast(new decimal(0, 0, 0, true, 2)));
    }

    [Fact]
    public void Random_amounts_rates_and_scales_are_written_as_EF_Core_writes_them()
    {
        var random = new Random(20261202);
        for (var i = 0; i < 50_000; i++)
        {
            var scale = (byte)random.Next(0, 29);
            var value = new decimal(random.Next(), random.Next(0, 4) == 0 ? random.Next() : 0, 0, random.Next(2) == 0, scale);
            Assert.Equal(Expected(value), Fast(value));
        }
    }

    [Fact]
    public void A_destination_too_short_is_refused_not_overrun()
    {
        Span<byte> buffer = stackalloc byte[4];
        Assert.False(SqliteDecimalText.TryFormat(12345.5m, buffer, out _));
    }
}
