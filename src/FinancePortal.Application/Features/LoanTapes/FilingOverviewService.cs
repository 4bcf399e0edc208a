using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>An operator's own filing calendar: the months still owed with their deadlines, and the last months' states.</summary>
public sealed record OwnFilingOverview(int PlatformId, string PlatformCode, IReadOnlyList<FilingDeadline> Deadlines, IReadOnlyList<MonthCell> Months);

/// <summary>
/// The filing calendar of an operator's own platform, for the operator's home page. It reads the same month grid as the
/// regulator's (<see cref="SubmissionService.GetMonthGridAsync"/>, driven by <see cref="FilingCalendar"/>), limited by
/// the data scope to the operator's platform.
/// </summary>
public sealed class FilingOverviewService(SubmissionService submissions, FilingCalendar calendar, TimeProvider time)
{
    /// <summary>Months shown: the current month and the eleven before it.</summary>
    public const int MonthsShown = 12;

    /// <summary>The operator's platform, or null when the operator has none in scope.</summary>
    public async Task<OwnFilingOverview?> GetOwnAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var to = Periods.Of(today);
        var from = Periods.Of(today.AddMonths(-(MonthsShown - 1)));
        var grid = await submissions.GetMonthGridAsync(from, to, ct);
        if (grid.Count != 1)
        {
            // Only operators have exactly one platform in scope; regulators see the month grid instead.
            return null;
        }

        var row = grid[0];
        var deadlines = row.Months
            .Where(m => m.State is MonthState.Due or MonthState.Missing or MonthState.Unresolved)
            .Select(m => FilingDeadline.Of(calendar, m.Period, now))
            .OrderBy(d => d.Period, StringComparer.Ordinal)
            .ToList();
        return new OwnFilingOverview(row.PlatformId, row.PlatformCode, deadlines, row.Months.Reverse().ToList());
    }
}
