using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Alerts;

/// <summary>The alert thresholds: every saved version is kept (alerts record the version they were raised under); only an Admin saves.</summary>
public sealed class AlertThresholdService(IPortalDbFactory dbFactory)
{
    public async Task<IReadOnlyList<ThresholdVersionItem>> GetThresholdHistoryAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(AlertService.Readers, ct);
        var versions = await db.AlertThresholds.AsNoTracking().OrderByDescending(t => t.Version).ToListAsync(ct);
        if (versions.Count == 0)
        {
            versions.Add(await AlertEvaluator.CurrentThresholdsAsync(db, ct));
        }

        return versions.Select(t => new ThresholdVersionItem(t.Version, Values(t), t.Reason, t.CreatedBy, t.CreatedUtc)).ToList();
    }

    /// <summary>Saves the thresholds as a new version; earlier versions stay (alerts record the version they were raised under).</summary>
    public async Task<int> SaveThresholdsAsync(ThresholdValues values, string reason, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Admin, ct);
        var errors = Validate(values);
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 5)
        {
            errors["Reason"] = "Say why the thresholds change (at least 5 characters).";
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var version = (await db.AlertThresholds.MaxAsync(t => (int?)t.Version, ct) ?? 0) + 1;
        db.AlertThresholds.Add(new AlertThresholds
        {
            Version = version,
            DefaultRateLimitPct = values.DefaultRateLimitPct,
            Par30LimitPct = values.Par30LimitPct,
            DefaultRateJumpPp = values.DefaultRateJumpPp,
            MissingAfterDays = values.MissingAfterDays,
            MinOwnShareCoLentPct = values.MinOwnShareCoLentPct,
            Reason = reason.Trim(),
            CreatedBy = db.User.UserName,
            CreatedUtc = db.UtcNow,
        });
        db.Audit(AuditActions.AlertThresholdsChanged, nameof(AlertThresholds), version.ToString(), null,
            $"Version {version}: default rate > {values.DefaultRateLimitPct}%, PAR30 > {values.Par30LimitPct}%, jump > {values.DefaultRateJumpPp} pp, missing after {values.MissingAfterDays} days, own share < {values.MinOwnShareCoLentPct}%. {UseCase.Shorten(reason.Trim())}");
        await db.SaveChangesAsync(ct);
        return version;
    }

    public static Dictionary<string, string> Validate(ThresholdValues v)
    {
        var errors = new Dictionary<string, string>();
        if (v.DefaultRateLimitPct is <= 0 or > 100)
        {
            errors[nameof(v.DefaultRateLimitPct)] = "The default-rate limit must be above 0% and at most 100%.";
        }

        if (v.Par30LimitPct is <= 0 or > 100)
        {
            errors[nameof(v.Par30LimitPct)] = "The PAR30 limit must be above 0% and at most 100%.";
        }

        if (v.DefaultRateJumpPp is <= 0 or > 100)
        {
            errors[nameof(v.DefaultRateJumpPp)] = "The month-on-month jump must be above 0 and at most 100 percentage points.";
        }

        if (v.MissingAfterDays is < 1 or > 90)
        {
            errors[nameof(v.MissingAfterDays)] = "Missing submissions are flagged 1 to 90 days after month end.";
        }

        if (v.MinOwnShareCoLentPct is < 0 or > 100)
        {
            errors[nameof(v.MinOwnShareCoLentPct)] = "The minimum own share must be between 0% and 100%.";
        }

        return errors;
    }

    private static ThresholdValues Values(AlertThresholds t) =>
        new(t.DefaultRateLimitPct, t.Par30LimitPct, t.DefaultRateJumpPp, t.MissingAfterDays, t.MinOwnShareCoLentPct);
}
