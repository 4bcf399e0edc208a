using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Alerts;

/// <summary>
/// The alert rules of DOMAIN.md §5 against the current threshold version. A breach raises one alert per platform and
/// rule; while that alert is not closed, later breaches update it (latest month and value) instead of piling up.
/// Runs on a system-scoped unit of work (after signing, in the metrics job; and in the missing-submission job).
/// </summary>
public static class AlertEvaluator
{
    public static async Task<AlertThresholds> CurrentThresholdsAsync(IPortalDb db, CancellationToken ct) =>
        await db.AlertThresholds.AsNoTracking().OrderByDescending(t => t.Version).FirstOrDefaultAsync(ct)
        ?? new AlertThresholds { Version = 0, Reason = "The supervisory defaults.", CreatedBy = "system" };

    /// <summary>
    /// Whether a rule compares a platform with its peers or the industry. Such a rule never fires on a provisional month
    /// (a month whose filing deadline has not passed: the industry is whoever filed early). Every rule is classified
    /// here explicitly; today's rules all compare a platform with its own thresholds or its own previous month, so they
    /// may fire on a provisional month and the alert is then shown as provisional.
    /// </summary>
    public static bool ComparesWithIndustry(AlertRule rule) => rule switch
    {
        AlertRule.DefaultRateAboveLimit or AlertRule.Par30AboveLimit or AlertRule.DefaultRateJump or AlertRule.OwnShareBelowMinimum => false,
        AlertRule.SubmissionMissing => false,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Classify the new alert rule: platform-own or industry-relative."),
    };

    /// <summary>
    /// An alert is provisional while its month is: a rule on figures of a month whose filing deadline has not passed.
    /// Derived from the month and the calendar, so the label goes once the month closes.
    /// </summary>
    public static bool IsProvisional(AlertRule rule, string period, FilingCalendar calendar, DateTime utcNow) =>
        rule != AlertRule.SubmissionMissing && !calendar.IsClosed(period, utcNow);

    /// <summary>
    /// Evaluates the metric rules for a signed month from the stored aggregates. Returns the alerts raised or updated.
    /// On a provisional month, industry-relative rules are skipped (<see cref="ComparesWithIndustry"/>).
    /// </summary>
    public static async Task<int> EvaluateMonthAsync(IPortalDb db, FilingCalendar calendar, int platformId, string period, CancellationToken ct, bool audit = true)
    {
        var thresholds = await CurrentThresholdsAsync(db, ct);
        var previousPeriod = Periods.Previous(period);
        var rows = await db.MonthlyAggregates.AsNoTracking()
            .Where(a => a.PlatformId == platformId && (a.Period == period || a.Period == previousPeriod))
            .Select(a => new { a.Period, a.SubmissionId, a.Figures })
            .ToListAsync(ct);
        var current = rows.Where(r => r.Period == period).ToList();
        if (current.Count == 0)
        {
            return 0;
        }

        var figures = Metrics.Sum(current.Select(r => r.Figures));
        var submissionId = current[0].SubmissionId;
        var previous = rows.Where(r => r.Period == previousPeriod).ToList();
        var breaches = new List<Breach>();

        if (Metrics.DefaultRate(figures) is decimal defaultRate)
        {
            var pct = Pct(defaultRate);
            if (pct > thresholds.DefaultRateLimitPct)
            {
                breaches.Add(new(AlertRule.DefaultRateAboveLimit, pct, thresholds.DefaultRateLimitPct, ByRatio(pct, thresholds.DefaultRateLimitPct),
                    $"Default rate {pct:0.00}% is above the {thresholds.DefaultRateLimitPct:0.##}% limit."));
            }

            if (previous.Count > 0 && Metrics.DefaultRate(Metrics.Sum(previous.Select(r => r.Figures))) is decimal before)
            {
                var jump = Math.Round(pct - Pct(before), 2);
                if (jump > thresholds.DefaultRateJumpPp)
                {
                    breaches.Add(new(AlertRule.DefaultRateJump, jump, thresholds.DefaultRateJumpPp, jump >= 2 * thresholds.DefaultRateJumpPp ? AlertSeverity.High : AlertSeverity.Medium,
                        $"Default rate rose {jump:0.00} percentage points month on month (limit {thresholds.DefaultRateJumpPp:0.##} pp)."));
                }
            }
        }

        if (Metrics.Par(figures, 30) is decimal par30 && Pct(par30) > thresholds.Par30LimitPct)
        {
            var pct = Pct(par30);
            breaches.Add(new(AlertRule.Par30AboveLimit, pct, thresholds.Par30LimitPct, ByRatio(pct, thresholds.Par30LimitPct),
                $"PAR30 {pct:0.00}% is above the {thresholds.Par30LimitPct:0.##}% limit."));
        }

        if (Metrics.OwnShareOfCoLending(figures) is decimal ownShare && Pct(ownShare) < thresholds.MinOwnShareCoLentPct)
        {
            var pct = Pct(ownShare);
            breaches.Add(new(AlertRule.OwnShareBelowMinimum, pct, thresholds.MinOwnShareCoLentPct,
                pct < thresholds.MinOwnShareCoLentPct / 2 ? AlertSeverity.High : AlertSeverity.Medium,
                $"Own funds are {pct:0.00}% of the co-lent book, below the {thresholds.MinOwnShareCoLentPct:0.##}% minimum."));
        }

        if (!calendar.IsClosed(period, db.UtcNow))
        {
            breaches.RemoveAll(b => ComparesWithIndustry(b.Rule));
        }

        foreach (var breach in breaches)
        {
            await RaiseAsync(db, platformId, period, submissionId, thresholds.Version, breach, audit, ct);
        }

        await db.SaveChangesAsync(ct);
        return breaches.Count;
    }

    /// <summary>
    /// Raises "submission missing" for every month a platform owes (the filing calendar: licence history) with no signed
    /// tape once the month is closed AND the thresholds' "missing N days after month end" has passed: the later of the
    /// two (with the defaults, 15th of the next month vs. 10 days, the deadline). Months checked: the last 12 closed ones.
    /// </summary>
    public static async Task<int> EvaluateMissingAsync(IPortalDb db, FilingCalendar calendar, CancellationToken ct, bool audit = true)
    {
        var thresholds = await CurrentThresholdsAsync(db, ct);
        var now = db.UtcNow;
        var today = DateOnly.FromDateTime(now);
        var latestClosed = calendar.LatestClosed(now);
        var window = Periods.Of(Periods.LastDay(latestClosed).AddDays(1).AddMonths(-12));
        var due = Periods.Range(window, latestClosed)
            .Where(p => now >= Periods.LastDay(p).AddDays(thresholds.MissingAfterDays + 1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))
            .ToList();
        var obligations = await calendar.LoadAsync(db, ct);
        var signed = (await db.LoanSubmissions.AsNoTracking()
            .Where(s => s.Status == SubmissionStatus.Signed && string.Compare(s.Period, window) >= 0)
            .Select(s => new { s.PlatformId, s.Period })
            .Distinct()
            .ToListAsync(ct)).Select(s => (s.PlatformId, s.Period)).ToHashSet();
        var raised = 0;
        foreach (var period in due)
        {
            foreach (var platformId in obligations.RequiredIn(period).Where(id => !signed.Contains((id, period))).Order())
            {
                var days = today.DayNumber - Periods.LastDay(period).DayNumber;
                var severity = days > 30 ? AlertSeverity.High : AlertSeverity.Medium;
                if (await RaiseMissingAsync(db, platformId, period, thresholds, days, severity, audit, ct))
                {
                    raised++;
                }
            }
        }

        await db.SaveChangesAsync(ct);
        return raised;
    }

    private static async Task<bool> RaiseMissingAsync(IPortalDb db, int platformId, string period, AlertThresholds thresholds, int days, AlertSeverity severity, bool audit, CancellationToken ct)
    {
        var existing = await db.Alerts.FirstOrDefaultAsync(a => a.PlatformId == platformId && a.Rule == AlertRule.SubmissionMissing && a.Period == period, ct);
        if (existing is not null)
        {
            if (existing.State != AlertState.Closed && existing.Severity != severity && severity > existing.Severity)
            {
                existing.Severity = severity;
                existing.Value = days;
                existing.UpdatedUtc = db.UtcNow;
                if (audit)
                {
                    db.Audit(AuditActions.AlertUpdated, nameof(Alert), existing.Id.ToString(), platformId, $"Submission for {period} still missing after {days} days: severity {severity}.");
                }
            }

            return false;
        }

        var alert = new Alert
        {
            PlatformId = platformId,
            Rule = AlertRule.SubmissionMissing,
            Period = period,
            Severity = severity,
            Value = days,
            Limit = thresholds.MissingAfterDays,
            ThresholdsVersion = thresholds.Version,
            Message = $"No signed loan tape for {period}, {days} days after the month ended (its filing deadline has passed).",
            RaisedUtc = db.UtcNow,
            UpdatedUtc = db.UtcNow,
        };
        db.Alerts.Add(alert);
        await db.SaveChangesAsync(ct);
        if (audit)
        {
            db.Audit(AuditActions.AlertRaised, nameof(Alert), alert.Id.ToString(), platformId, alert.Message);
        }
        return true;
    }

    private static async Task RaiseAsync(IPortalDb db, int platformId, string period, long submissionId, int thresholdsVersion, Breach breach, bool audit, CancellationToken ct)
    {
        var open = await db.Alerts.Where(a => a.PlatformId == platformId && a.Rule == breach.Rule && a.State != AlertState.Closed)
            .OrderByDescending(a => a.Period).FirstOrDefaultAsync(ct);
        if (open is not null)
        {
            if (string.CompareOrdinal(period, open.Period) >= 0)
            {
                open.Period = period;
                open.Value = breach.Value;
                open.Limit = breach.Limit;
                open.Severity = breach.Severity;
                open.Message = breach.Message;
                open.SubmissionId = submissionId;
                open.ThresholdsVersion = thresholdsVersion;
                open.UpdatedUtc = db.UtcNow;
                if (audit)
                {
                    db.Audit(AuditActions.AlertUpdated, nameof(Alert), open.Id.ToString(), platformId, $"{period}: {breach.Message}");
                }
            }

            return;
        }

        if (await db.Alerts.AnyAsync(a => a.PlatformId == platformId && a.Rule == breach.Rule && a.Period == period, ct))
        {
            return; // closed for this very month already: a resubmission does not reopen it
        }

        var alert = new Alert
        {
            PlatformId = platformId,
            Rule = breach.Rule,
            Period = period,
            Severity = breach.Severity,
            Value = breach.Value,
            Limit = breach.Limit,
            ThresholdsVersion = thresholdsVersion,
            SubmissionId = submissionId,
            Message = breach.Message,
            RaisedUtc = db.UtcNow,
            UpdatedUtc = db.UtcNow,
        };
        db.Alerts.Add(alert);
        await db.SaveChangesAsync(ct);
        if (audit)
        {
            db.Audit(AuditActions.AlertRaised, nameof(Alert), alert.Id.ToString(), platformId, $"{period}: {breach.Message}");
        }
    }

    private static decimal Pct(decimal fraction) => Math.Round(fraction * 100m, 2, MidpointRounding.AwayFromZero);

    private static AlertSeverity ByRatio(decimal value, decimal limit) =>
        value >= 2 * limit ? AlertSeverity.Critical : value >= 1.5m * limit ? AlertSeverity.High : AlertSeverity.Medium;

    private sealed record Breach(AlertRule Rule, decimal Value, decimal Limit, AlertSeverity Severity, string Message);
}
