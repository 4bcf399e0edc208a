using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>The filing record's queries behind <see cref="SubmissionService"/>: the platforms x months grid and the receipt of a signed version.</summary>
internal static class MonthGrid
{
    /// <summary>
    /// The regulator's grid: platforms x months with on time, late, missing, unresolved, not yet due and not required
    /// (the filing calendar: months before a platform's licence took effect, after its revocation, and — by setting —
    /// while it is suspended). Rows: current licence holders and every platform that owed or filed a month of the range.
    /// </summary>
    public static async Task<IReadOnlyList<PlatformMonths>> LoadAsync(IPortalDb db, FilingCalendar calendar, DateTime now, string from, string to, CancellationToken ct)
    {
        var months = Periods.Range(from, to);
        if (months.Count == 0)
        {
            throw new ValidationFailedException("Period", "Choose a valid range of months (YYYY-MM to YYYY-MM, at most 10 years).");
        }

        var first = months[0];
        var last = months[^1];
        var obligations = await calendar.LoadAsync(db, ct);
        var cells = await db.LoanSubmissions.AsNoTracking()
            .Where(s => string.Compare(s.Period, first) >= 0 && string.Compare(s.Period, last) <= 0)
            .GroupBy(s => new { s.PlatformId, s.Period })
            .Select(g => new
            {
                g.Key.PlatformId,
                g.Key.Period,
                Versions = g.Count(s => s.Version != null),
                LatestVersion = g.Max(s => s.Version),
                FirstSigned = g.Where(s => s.SignedUtc != null).Min(s => s.SignedUtc),
                LatestSignedId = g.Where(s => s.Version != null).OrderByDescending(s => s.Version).Select(s => (long?)s.Id).FirstOrDefault(),
                LatestSignedBy = g.Where(s => s.Version != null).OrderByDescending(s => s.Version).Select(s => s.SignedBy).FirstOrDefault(),
                LatestSignedUtc = g.Where(s => s.Version != null).Max(s => s.SignedUtc),
            })
            .ToListAsync(ct);
        var filing = cells.Select(c => c.PlatformId).ToHashSet();
        var platforms = (await db.Platforms.AsNoTracking().OrderBy(p => p.Code).Select(p => new { p.Id, p.Code, p.LegalName, p.LicenceStatus }).ToListAsync(ct))
            .Where(p => p.LicenceStatus is LicenceStatus.Licensed or LicenceStatus.ConditionallyLicensed or LicenceStatus.Suspended
                || filing.Contains(p.Id) || obligations.OwesAnyOf(p.Id, months))
            .ToList();

        // The uploads not signed and not failed (few: a month has one or two while a platform fixes a file).
        var unsigned = await db.LoanSubmissions.AsNoTracking()
            .Where(s => string.Compare(s.Period, first) >= 0 && string.Compare(s.Period, last) <= 0 && s.Version == null && s.Status != SubmissionStatus.Failed)
            .Select(s => new { s.PlatformId, s.Period, s.Id, s.Status })
            .ToListAsync(ct);
        var pendingByKey = unsigned.ToLookup(u => (u.PlatformId, u.Period));
        var byKey = cells.ToDictionary(c => (c.PlatformId, c.Period));
        return platforms.Select(p => new PlatformMonths(p.Id, p.Code, p.LegalName, months.Select(m =>
        {
            byKey.TryGetValue((p.Id, m), out var c);
            var pending = pendingByKey[(p.Id, m)].Where(u => c?.LatestSignedId is not { } signedId || u.Id > signedId).ToList();
            var warnings = pending.Count(u => u.Status == SubmissionStatus.WarningsToConfirm);
            if (c is null || c.Versions == 0)
            {
                var state = pending.Count > 0 ? MonthState.Unresolved
                    : !obligations.IsRequired(p.Id, m) ? MonthState.NotRequired
                    : calendar.IsClosed(m, now) ? MonthState.Missing
                    : MonthState.Due;
                return new MonthCell(m, state, null, null, null, null, 0, pending.Count, warnings);
            }

            var onTime = c.FirstSigned is { } signed && calendar.IsOnTime(signed, m);
            return new MonthCell(m, onTime ? MonthState.OnTime : MonthState.Late, c.LatestVersion, c.LatestSignedId, c.LatestSignedBy, c.LatestSignedUtc, c.Versions,
                pending.Count, warnings);
        }).ToList())).ToList();
    }

    /// <summary>The filing receipt of a signed version in the unit of work's scope; null when there is none.</summary>
    public static async Task<FilingReceipt?> ReceiptAsync(IPortalDb db, FilingCalendar calendar, long id, CancellationToken ct)
    {
        var s = await db.LoanSubmissions.AsNoTracking()
            .Where(x => x.Id == id && x.Status == SubmissionStatus.Signed && x.Version != null && x.ConfirmationNumber != null)
            .Select(x => new
            {
                x.Id, x.PlatformId, x.Platform!.Code, x.Platform.LegalName, x.Period, x.Version, x.ConfirmationNumber, x.FileName, x.FileSizeBytes, x.FileSha256,
                x.RowsRead, x.ValidRows, x.LoanCount, x.WarningFindings, x.WarningsAcknowledgedBy, x.RuleSetVersion, x.SignedBy, x.AttestedName, x.SignedUtc,
                x.UploadedUtc,
            })
            .SingleOrDefaultAsync(ct);
        if (s is null)
        {
            return null;
        }

        var displayName = s.SignedBy is null ? null
            : await db.Users.AsNoTracking().Where(u => u.UserName == s.SignedBy).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        var signedUtc = s.SignedUtc!.Value;
        return new FilingReceipt(s.Id, s.PlatformId, s.Code, s.LegalName, s.Period, s.Version!.Value, s.ConfirmationNumber!, s.FileName, s.FileSizeBytes,
            s.FileSha256, s.RowsRead, s.ValidRows, s.WarningFindings, s.WarningsAcknowledgedBy, s.RuleSetVersion ?? "",
            string.IsNullOrWhiteSpace(displayName) ? s.SignedBy ?? "" : displayName, s.SignedBy ?? "", s.AttestedName ?? "", signedUtc, s.UploadedUtc,
            calendar.DeadlineDay(s.Period), calendar.IsOnTime(signedUtc, s.Period));
    }

    /// <summary>The latest signed figures of the month before <paramref name="period"/>, for the macro edits.</summary>
    public static async Task<MonthFigures?> PreviousMonthAsync(IPortalDb db, int platformId, string period, CancellationToken ct)
    {
        var previousPeriod = Periods.Previous(period);
        return await db.LoanSubmissions.AsNoTracking()
            .Where(s => s.PlatformId == platformId && s.Period == previousPeriod && s.Version != null)
            .OrderByDescending(s => s.Version)
            .Select(s => new MonthFigures((int)s.LoanCount, s.OutstandingBalance, s.DefaultedBalance))
            .FirstOrDefaultAsync(ct);
    }
}
