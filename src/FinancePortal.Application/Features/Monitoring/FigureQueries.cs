using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Monitoring;

/// <summary>
/// The queries behind the stored aggregates: a month's portfolio figures, roll rates between two versions and newly
/// defaulted amounts by vintage. The rebuilder stores what they return; reports and benchmarks read them too.
/// </summary>
public static class FigureQueries
{
    /// <summary>
    /// The additive figures of a set of loan rows, per product. The database groups the rows by product, status,
    /// DPD class, funding source and "originated this month" (a few hundred groups at most) and sums four amounts per
    /// group; the groups then fold into the figures. Four sums per row instead of twenty keeps SQLite's decimal
    /// aggregation (a function call per value) fast, and the result is exact on both providers.
    /// </summary>
    public static async Task<Dictionary<string, PortfolioFigures>> FiguresAsync(IQueryable<LoanRecord> rows, DateOnly monthStart, DateOnly monthEnd, CancellationToken ct)
    {
        var groups = await rows
            .Select(r => new
            {
                r.ProductType,
                r.Status,
                r.FundingSource,
                DpdClass = r.DaysPastDue <= 0 ? 0 : r.DaysPastDue <= 30 ? 1 : r.DaysPastDue <= 60 ? 2 : r.DaysPastDue < 90 ? 3 : r.DaysPastDue == 90 ? 4 : r.DaysPastDue <= 120 ? 5 : r.DaysPastDue <= 180 ? 6 : 7,
                Originated = r.OriginationDate >= monthStart && r.OriginationDate <= monthEnd,
                r.OutstandingPrincipal,
                r.Principal,
                r.ChargeOffAmount,
                r.RecoveryAmount,
            })
            .GroupBy(r => new { r.ProductType, r.Status, r.FundingSource, r.DpdClass, r.Originated })
            .Select(g => new FigureGroup(
                g.Key.ProductType,
                g.Key.Status,
                g.Key.FundingSource,
                g.Key.DpdClass,
                g.Key.Originated,
                g.LongCount(),
                g.Sum(r => r.OutstandingPrincipal),
                g.Sum(r => r.Principal),
                g.Sum(r => r.ChargeOffAmount),
                g.Sum(r => r.RecoveryAmount)))
            .ToListAsync(ct);
        var figures = new Dictionary<string, PortfolioFigures>(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            if (!figures.TryGetValue(g.ProductType, out var f))
            {
                figures[g.ProductType] = f = new PortfolioFigures();
            }

            Fold(f, g);
        }

        return figures;
    }

    /// <summary>One group of loan rows with the same product, status, funding source, DPD class and origination flag.</summary>
    public sealed record FigureGroup(
        string ProductType, string Status, string FundingSource, int DpdClass, bool OriginatedInMonth,
        long Loans, decimal Outstanding, decimal Principal, decimal ChargeOffs, decimal Recoveries);

    /// <summary>DPD classes: 0 = current, 1 = 1–30, 2 = 31–60, 3 = 61–89, 4 = 90, 5 = 91–120, 6 = 121–180, 7 = over 180.</summary>
    private static void Fold(PortfolioFigures f, FigureGroup g)
    {
        f.Loans += g.Loans;
        f.ChargeOffs += g.ChargeOffs;
        f.Recoveries += g.Recoveries;
        if (g.OriginatedInMonth)
        {
            f.Originated += g.Principal;
        }

        if (g.Status is "REPAID" or "CHARGED_OFF")
        {
            return;
        }

        var ob = g.Outstanding;
        f.ActiveLoans += g.Loans;
        f.Outstanding += ob;
        f.Dpd30 += g.DpdClass >= 2 ? ob : 0m;
        f.Dpd60 += g.DpdClass >= 3 ? ob : 0m;
        f.Dpd90 += g.DpdClass >= 5 ? ob : 0m;
        f.Defaulted += g.DpdClass >= 4 || g.Status == "DEFAULTED" ? ob : 0m;
        f.SpecialMention += g.DpdClass is >= 1 and <= 4 ? ob : 0m;
        f.Substandard += g.DpdClass == 5 ? ob : 0m;
        f.Doubtful += g.DpdClass == 6 ? ob : 0m;
        f.Loss += g.DpdClass == 7 ? ob : 0m;
        switch (g.FundingSource)
        {
            case "OWN_FUNDS": f.OwnFunds += ob; break;
            case "BANK_COLENDING": f.BankCoLending += ob; break;
            case "ABS": f.Abs += ob; break;
            case "OTHER_INSTITUTION": f.OtherInstitution += ob; break;
            default: f.OtherFunding += ob; break;
        }
    }

    /// <summary>Balance-weighted transitions from the loans of month t-1 to the same loan ids in month t.</summary>
    public static async Task<List<RollRateCell>> RollRatesAsync(IPortalDb db, long previousId, long currentId, CancellationToken ct)
    {
        var pairs =
            from p in db.LoanRecords.Where(r => r.SubmissionId == previousId)
            join c in db.LoanRecords.Where(r => r.SubmissionId == currentId) on p.LoanId equals c.LoanId into matched
            from c in matched.DefaultIfEmpty()
            select new
            {
                p.ProductType,
                From = p.Status == "CHARGED_OFF" ? 5 : p.Status == "REPAID" ? 6 : p.DaysPastDue <= 0 ? 0 : p.DaysPastDue < 30 ? 1 : p.DaysPastDue < 60 ? 2 : p.DaysPastDue < 90 ? 3 : 4,
                To = c == null ? 7 : c.Status == "CHARGED_OFF" ? 5 : c.Status == "REPAID" ? 6 : c.DaysPastDue <= 0 ? 0 : c.DaysPastDue < 30 ? 1 : c.DaysPastDue < 60 ? 2 : c.DaysPastDue < 90 ? 3 : 4,
                Balance = p.Status != "REPAID" && p.Status != "CHARGED_OFF" ? p.OutstandingPrincipal : 0m,
            };
        var cells = await pairs
            .GroupBy(x => new { x.ProductType, x.From, x.To })
            .Select(g => new { g.Key.ProductType, g.Key.From, g.Key.To, Loans = g.LongCount(), Balance = g.Sum(x => x.Balance) })
            .ToListAsync(ct);
        return cells.Select(c => new RollRateCell
        {
            ProductType = c.ProductType, From = (DelinquencyBucket)c.From, To = (DelinquencyBucket)c.To, Loans = c.Loans, Balance = c.Balance,
        }).ToList();
    }

    /// <summary>
    /// Original principal of the loans that are at DPD &gt;= 90 or DEFAULTED in this month and in none of the earlier
    /// months' latest versions (a loan counts once, from its first such month), per product and cohort.
    /// </summary>
    public static async Task<Dictionary<(string Product, string Cohort), (decimal Originated, decimal NewlyDefaulted)>> NewlyDefaultedAsync(
        IPortalDb db, long submissionId, List<long> earlierSubmissions, CancellationToken ct)
    {
        var rows = await db.LoanRecords
            .Where(r => r.SubmissionId == submissionId && (r.DaysPastDue >= 90 || r.Status == "DEFAULTED"))
            .Where(r => !db.LoanRecords.Any(e => earlierSubmissions.Contains(e.SubmissionId) && e.LoanId == r.LoanId && (e.DaysPastDue >= 90 || e.Status == "DEFAULTED")))
            .GroupBy(r => new { r.ProductType, r.OriginationDate.Year, r.OriginationDate.Month })
            .Select(g => new { g.Key.ProductType, g.Key.Year, g.Key.Month, Principal = g.Sum(r => r.Principal) })
            .ToListAsync(ct);
        return rows.ToDictionary(
            r => (r.ProductType, Periods.Of(new DateOnly(r.Year, r.Month, 1))),
            r => (0m, r.Principal));
    }
}
