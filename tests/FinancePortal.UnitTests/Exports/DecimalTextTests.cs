using System.Globalization;
using System.Text;
using FinancePortal.Infrastructure.Exports;

namespace FinancePortal.UnitTests.Exports;

/// <summary>
/// The extract's reader parses SQLite's decimal text without the general parser when it is plain; it must give exactly
/// what <see cref="decimal.Parse(string, IFormatProvider)"/> gives: the same value and the same scale (decimal bits).
/// </summary>
public class DecimalTextTests
{
    private static decimal General(string text) => decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("0")]
    [InlineData("0.0")]
    [InlineData("-0.0")]
    [InlineData("1000.0")]
    [InlineData("1000.25")]
    [InlineData("-12.5")]
    [InlineData(".5")]
    [InlineData("18.2500")]
    [InlineData("999999999999999999")]
    [InlineData("0.00000000000000001")]
    [InlineData("123456789.123456789")]
    public void Plain_text_parses_to_the_same_bits_as_the_general_parser(string text)
    {
        Assert.True(LoanExtractReader.TryPlainDecimal(Encoding.ASCII.GetBytes(text), out var fast));
        Assert.Equal(decimal.GetBits(General(text)), decimal.GetBits(fast));
    }

    [Theory]
    [InlineData("1e5")]
    [InlineData("1234567890123456789")]
    [InlineData("0.000000000000000001")]
    [InlineData("5.")]
    [InlineData("+5")]
    [InlineData("1,000.00")]
    [InlineData(" 5")]
    [InlineData("-")]
    [InlineData("")]
    [InlineData("1.2.3")]
    public void Anything_else_is_left_to_the_general_parser(string text) =>
        Assert.False(LoanExtractReader.TryPlainDecimal(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void Random_amounts_in_EF_Cores_format_parse_exactly()
    {
        var random = new Random(20261202);
        for (var i = 0; i < 20_000; i++)
        {
            var value = new decimal(random.NextInt64(0, 1_000_000_000_000)) / (decimal)Math.Pow(10, random.Next(0, 9)) * (random.Next(2) == 0 ? 1 : -1);
            var text = value.ToString("0.0###########################", CultureInfo.InvariantCulture);
            Assert.Equal(decimal.GetBits(General(text)), decimal.GetBits(LoanExtractReader.Decimal(Encoding.ASCII.GetBytes(text))));
        }
    }

    [Fact]
    public void Exponents_and_long_numbers_still_parse_through_the_general_parser()
    {
        Assert.Equal(100000m, LoanExtractReader.Decimal("1e5"u8));
        Assert.Equal(General("12345678901234567890.5"), LoanExtractReader.Decimal("12345678901234567890.5"u8));
    }
}
