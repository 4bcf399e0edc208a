using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>The <c>Filing</c> section of the settings: the filing deadline and which licence states owe a tape.</summary>
public sealed class FilingOptions
{
    public const string Section = "Filing";

    /// <summary>
    /// A month's tape is due by the end (23:59:59 UTC) of this day of the following month; default 15. A day past the
    /// end of a short month means its last day.
    /// </summary>
    public int DeadlineDay { get; set; } = 15;

    /// <summary>Whether a suspended platform still owes its monthly tape (its book runs off and is supervised); default true.</summary>
    public bool RequireWhileSuspended { get; set; } = true;
}

/// <summary>
/// The ONE filing calendar (DOMAIN.md §5 "Filing calendar"): when a month's tape is due, whether a month is closed
/// (its deadline has passed) or still provisional, and which platforms owe which months according to their licence
/// history. The month grid, the missing-tape alerts, the dashboards' late/missing counts, every default period and the
/// report's Data quality sheet ask it; nothing else computes a deadline.
/// </summary>
public sealed class FilingCalendar(IOptions<FilingOptions> options)
{
    public FilingOptions Options => options.Value;

    /// <summary>
    /// The instant the deadline of <paramref name="period"/> passes: the end of <see cref="FilingOptions.DeadlineDay"/>
    /// of the next month (00:00:00 UTC of the day after). Until then the month is provisional; from then on it is closed.
    /// </summary>
    public DateTime DeadlineUtc(string period)
    {
        var next = Periods.LastDay(period).AddDays(1);
        var day = Math.Clamp(options.Value.DeadlineDay, 1, DateTime.DaysInMonth(next.Year, next.Month));
        return new DateOnly(next.Year, next.Month, day).AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
    }

    /// <summary>The last day a tape of <paramref name="period"/> is on time (for display).</summary>
    public DateOnly DeadlineDay(string period) => DateOnly.FromDateTime(DeadlineUtc(period)).AddDays(-1);

    /// <summary>Closed: the deadline has passed, so the month's figures are final (up to resubmissions).</summary>
    public bool IsClosed(string period, DateTime utcNow) => utcNow >= DeadlineUtc(period);

    /// <summary>A tape signed before the deadline passed is on time.</summary>
    public bool IsOnTime(DateTime signedUtc, string period) => signedUtc < DeadlineUtc(period);

    /// <summary>The latest closed month at <paramref name="utcNow"/>.</summary>
    public string LatestClosed(DateTime utcNow)
    {
        var period = Periods.Of(utcNow);
        while (!IsClosed(period, utcNow))
        {
            period = Periods.Previous(period);
        }

        return period;
    }

    /// <summary>Loads the licence history of the platforms in the unit of work's scope (a few rows per platform).</summary>
    public async Task<FilingObligations> LoadAsync(IPortalDb db, CancellationToken ct)
    {
        var platforms = await db.Platforms.AsNoTracking().Select(p => new { p.Id, p.LicenceStatus, p.CreatedUtc }).ToListAsync(ct);
        var changes = (await db.LicenceChanges.AsNoTracking().Select(c => new { c.Id, c.PlatformId, c.ToStatus, c.ChangedUtc }).ToListAsync(ct))
            .ToLookup(c => c.PlatformId);
        var spans = platforms.ToDictionary(
            p => p.Id,
            p =>
            {
                var history = changes[p.Id].OrderBy(c => c.ChangedUtc).ThenBy(c => c.Id).Select(c => (c.ToStatus, c.ChangedUtc)).ToList();
                // Without any history (rows written before histories existed), the current status counts from registration.
                return RequiredSpans(history.Count > 0 ? history : [(p.LicenceStatus, p.CreatedUtc)], options.Value.RequireWhileSuspended);
            });
        return new FilingObligations(spans);
    }

    /// <summary>
    /// Whether <paramref name="period"/> is closed and how many of the platforms that owe it (in scope; one when
    /// <paramref name="platformId"/> is given) have signed a tape for it: "N of M platforms filed".
    /// </summary>
    /// <param name="asOfUtc">The time to judge at (a report's as-of time); default now.</param>
    public async Task<MonthFiling> MonthFilingAsync(IPortalDb db, FilingObligations obligations, string period, int? platformId, CancellationToken ct, DateTime? asOfUtc = null)
    {
        var asOf = asOfUtc ?? db.UtcNow;
        var required = obligations.RequiredIn(period).Where(id => platformId is null || id == platformId).ToList();
        var filed = await db.LoanSubmissions.AsNoTracking()
            .Where(s => s.Period == period && s.Status == SubmissionStatus.Signed && s.SignedUtc <= asOf && required.Contains(s.PlatformId))
            .Select(s => s.PlatformId).Distinct().CountAsync(ct);
        return new MonthFiling(period, IsClosed(period, asOf), filed, required.Count, DeadlineDay(period));
    }

    /// <summary>
    /// The months a platform owes, from its licence history (status changes oldest first). A platform owes from the month
    /// after the one its licence took effect in, to the month it stopped holding one (revocation, or suspension when
    /// suspended platforms do not report) inclusive; owing again from the month after it was licensed (or reinstated) again.
    /// </summary>
    public static IReadOnlyList<RequiredSpan> RequiredSpans(IEnumerable<(LicenceStatus Status, DateTime ChangedUtc)> history, bool requireWhileSuspended)
    {
        var spans = new List<RequiredSpan>();
        string? first = null;
        foreach (var (status, changed) in history)
        {
            var owes = status is LicenceStatus.Licensed or LicenceStatus.ConditionallyLicensed || (status == LicenceStatus.Suspended && requireWhileSuspended);
            var month = Periods.Of(changed);
            if (owes && first is null)
            {
                first = Periods.Of(Periods.LastDay(month).AddDays(1));
            }
            else if (!owes && first is not null)
            {
                if (string.CompareOrdinal(first, month) <= 0)
                {
                    spans.Add(new RequiredSpan(first, month));
                }

                first = null;
            }
        }

        if (first is not null)
        {
            spans.Add(new RequiredSpan(first, null));
        }

        return spans;
    }
}

/// <summary>A month's filing state: closed or provisional, and "<see cref="Filed"/> of <see cref="Required"/> platforms filed".</summary>
public sealed record MonthFiling(string Period, bool Closed, int Filed, int Required, DateOnly Deadline)
{
    public bool Provisional => !Closed;
}

/// <summary>Months a platform owes, inclusive; <see cref="Last"/> null while it still owes.</summary>
public readonly record struct RequiredSpan(string First, string? Last)
{
    public bool Contains(string period) => string.CompareOrdinal(First, period) <= 0 && (Last is null || string.CompareOrdinal(period, Last) <= 0);
}

/// <summary>Which platforms (of one scope) owe which months.</summary>
public sealed class FilingObligations(IReadOnlyDictionary<int, IReadOnlyList<RequiredSpan>> spans)
{
    public bool IsRequired(int platformId, string period) => spans.TryGetValue(platformId, out var s) && s.Any(x => x.Contains(period));

    /// <summary>The platforms that owe <paramref name="period"/>.</summary>
    public IReadOnlyList<int> RequiredIn(string period) => spans.Where(kv => kv.Value.Any(x => x.Contains(period))).Select(kv => kv.Key).ToList();

    /// <summary>Whether the platform owes any month of the range.</summary>
    public bool OwesAnyOf(int platformId, IReadOnlyList<string> months) => months.Any(m => IsRequired(platformId, m));

    public IReadOnlyList<RequiredSpan> SpansOf(int platformId) => spans.TryGetValue(platformId, out var s) ? s : [];
}
