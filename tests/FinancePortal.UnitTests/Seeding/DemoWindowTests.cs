using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Infrastructure.Seeding;
using Microsoft.Extensions.Options;

namespace FinancePortal.UnitTests.Seeding;

/// <summary>
/// The demo's loan tapes end at the last month that is due when the database is seeded (or where the settings pin
/// them), so a fresh demo never shows every platform missing last month.
/// </summary>
public class DemoWindowTests
{
    private static readonly FilingCalendar Calendar = new(Options.Create(new FilingOptions()));

    private static DateTime Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(2026, 12, 2, 0, "2026-10")]   // November's tapes are due by the end of 15 December
    [InlineData(2026, 12, 15, 23, "2026-10")]
    [InlineData(2026, 12, 16, 1, "2026-11")]  // after the deadline November is closed
    [InlineData(2027, 1, 1, 0, "2026-11")]
    [InlineData(2027, 1, 16, 0, "2026-12")]   // across the year end
    [InlineData(2026, 3, 16, 0, "2026-02")]   // a short month
    public void Without_a_setting_the_last_month_is_the_last_one_due(int year, int month, int day, int hour, string expected) =>
        Assert.Equal(expected, DemoSeeder.LastLoanTapePeriod(new SeedingOptions(), Calendar, Utc(year, month, day, hour)));

    [Fact]
    public void At_the_deadline_itself_the_month_is_not_due_yet()
    {
        var deadline = Calendar.DeadlineUtc("2026-11").AddSeconds(-1); // 23:59:59 on 15 December
        Assert.Equal("2026-10", DemoSeeder.LastLoanTapePeriod(new SeedingOptions(), Calendar, deadline));
        Assert.Equal("2026-11", DemoSeeder.LastLoanTapePeriod(new SeedingOptions(), Calendar, deadline.AddSeconds(1)));
    }

    [Fact]
    public void A_pinned_month_wins_and_a_malformed_one_is_refused()
    {
        Assert.Equal("2025-03", DemoSeeder.LastLoanTapePeriod(new SeedingOptions { LastLoanTapePeriod = "2025-03" }, Calendar, Utc(2026, 12, 20)));
        var error = Assert.Throws<InvalidOperationException>(() => DemoSeeder.LastLoanTapePeriod(new SeedingOptions { LastLoanTapePeriod = "2025/03" }, Calendar, Utc(2026, 12, 20)));
        Assert.Contains("YYYY-MM", error.Message);
    }

    [Fact]
    public void The_window_is_24_months_with_the_missing_and_late_months_near_its_end()
    {
        var window = new DemoLoanTapes.Window("2026-01");
        Assert.Equal(24, window.Months.Count);
        Assert.Equal("2024-02", window.First);
        Assert.Equal("2026-01", window.Months[^1]);
        Assert.Equal("2025-12", window.Missing);
        Assert.Equal("2025-11", window.Late);
        Assert.Equal(window.Months.Order(StringComparer.Ordinal), window.Months);
    }
}
