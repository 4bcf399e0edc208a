using System.Globalization;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>Reporting months as <c>YYYY-MM</c> strings (they sort and compare as text). Deadlines: <see cref="FilingCalendar"/>.</summary>
public static class Periods
{
    public static bool TryParse(string? text, out DateOnly firstDay) =>
        DateOnly.TryParseExact((text ?? "") + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out firstDay);

    public static string Of(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string Of(DateTime day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateOnly LastDay(string period) => TryParse(period, out var first) ? first.AddMonths(1).AddDays(-1) : throw new FormatException($"'{period}' is not YYYY-MM.");

    public static string Previous(string period) => Of(LastDay(period).AddDays(1).AddMonths(-2));

    /// <summary>The months from <paramref name="from"/> to <paramref name="to"/>, inclusive, oldest first.</summary>
    public static IReadOnlyList<string> Range(string from, string to)
    {
        var months = new List<string>();
        if (!TryParse(from, out var day) || !TryParse(to, out var last))
        {
            return months;
        }

        for (; day <= last && months.Count < 120; day = day.AddMonths(1))
        {
            months.Add(Of(day));
        }

        return months;
    }
}
