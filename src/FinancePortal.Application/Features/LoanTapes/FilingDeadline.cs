namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// The deadline of one month's tape as a filer sees it while uploading: the last day it is on time (from the
/// <see cref="FilingCalendar"/>), the whole days left until then (0: due today) and whether it has passed.
/// </summary>
public sealed record FilingDeadline(string Period, DateOnly LastDay, int DaysLeft, bool Late)
{
    public static FilingDeadline Of(FilingCalendar calendar, string period, DateTime utcNow)
    {
        var lastDay = calendar.DeadlineDay(period);
        var today = DateOnly.FromDateTime(utcNow);
        return new FilingDeadline(period, lastDay, lastDay.DayNumber - today.DayNumber, calendar.IsClosed(period, utcNow));
    }
}
