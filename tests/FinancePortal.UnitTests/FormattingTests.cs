using System.Globalization;
using FinancePortal.Web.Localization;

namespace FinancePortal.UnitTests;

public class FormattingTests
{
    [Theory]
    [InlineData("en", "¥1,234,567.50")]
    [InlineData("zh-CN", "¥1,234,567.50")]
    public void Money_is_always_RMB_with_two_decimals(string culture, string expected) =>
        Assert.Equal(expected, Fmt.Rmb(1_234_567.5m, CultureInfo.GetCultureInfo(culture)));

    [Fact]
    public void Negative_money_keeps_the_sign_before_the_symbol() =>
        Assert.Equal("-¥12.00", Fmt.Rmb(-12m, CultureInfo.GetCultureInfo("en")));

    [Theory]
    [InlineData("en", "5.12%")]
    [InlineData("zh-CN", "5.12%")]
    public void Ratios_show_as_percentages(string culture, string expected) =>
        Assert.Equal(expected, Fmt.Percent(0.0512m, 2, CultureInfo.GetCultureInfo(culture)));

    [Fact]
    public void Times_are_labelled_UTC() =>
        Assert.Equal("2026-11-25 09:05 UTC", Fmt.Utc(new DateTime(2026, 11, 25, 9, 5, 0, DateTimeKind.Utc)));

    [Theory]
    [InlineData(512L, "512 B")]
    [InlineData(1536L, "1.5 KB")]
    [InlineData(5L * 1024 * 1024 + 1024 * 512, "5.5 MB")]
    public void File_sizes_use_the_largest_sensible_unit(long bytes, string expected) => Assert.Equal(expected, Fmt.Bytes(bytes));

    [Theory]
    [InlineData("/platforms", true)]
    [InlineData("/", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example", false)]
    [InlineData("", false)]
    public void Only_local_redirects_are_followed(string url, bool local) =>
        Assert.Equal(local, CultureEndpoints.IsLocal(url));
}
