using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.Infrastructure.LoanTapes;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Seeding;

/// <summary>
/// The seeded demo book (the real seeder, at the tests' scale) moves like an unsecured consumer book: every delinquency
/// bucket is populated, roll-forward rates rise with delinquency, 90+ loans rarely cure, charged-off loans carry their
/// delinquency, the industry default rate is in a sane band and QFEN deteriorates. Every figure is read from the stored
/// loans, roll-rate cells and aggregates, so a change to the generator that breaks the story fails here.
/// </summary>
public class DemoLoanBookPlausibilityTests : IAsyncLifetime
{
    private static readonly DelinquencyBucket[] Buckets =
    [
        DelinquencyBucket.Current, DelinquencyBucket.Dpd1To29, DelinquencyBucket.Dpd30To59, DelinquencyBucket.Dpd60To89,
        DelinquencyBucket.Dpd90Plus, DelinquencyBucket.ChargedOff, DelinquencyBucket.Repaid,
    ];

    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<T> ReadAsync<T>(Func<IPortalDb, Task<T>> query)
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await query(db);
    }

    [Fact]
    public async Task Every_delinquency_bucket_has_loans_in_every_month_and_on_every_platform()
    {
        var counts = await ReadAsync(db => db.LoanRecords.AsNoTracking()
            .Select(r => new
            {
                r.PlatformId,
                r.Period,
                Bucket = r.Status == "CHARGED_OFF" ? 5 : r.Status == "REPAID" ? 6 : r.DaysPastDue <= 0 ? 0 : r.DaysPastDue < 30 ? 1 : r.DaysPastDue < 60 ? 2 : r.DaysPastDue < 90 ? 3 : 4,
            })
            .GroupBy(r => new { r.PlatformId, r.Period, r.Bucket })
            .Select(g => new { g.Key.PlatformId, g.Key.Period, g.Key.Bucket, Loans = g.Count() })
            .ToListAsync());
        var months = counts.Select(c => c.Period).Distinct().Order(StringComparer.Ordinal).ToList();
        var platforms = counts.Select(c => c.PlatformId).Distinct().ToList();
        Assert.Equal(24, months.Count);
        Assert.Equal(10, platforms.Count);

        // Across the book, from the first month (the seeder simulates a year of history before it).
        foreach (var month in months)
        {
            var present = counts.Where(c => c.Period == month).Select(c => (DelinquencyBucket)c.Bucket).ToHashSet();
            Assert.True(Buckets.All(present.Contains), $"{month}: buckets without loans: {string.Join(", ", Buckets.Where(b => !present.Contains(b)))}");
        }

        // Each platform, over the window.
        foreach (var platform in platforms)
        {
            var present = counts.Where(c => c.PlatformId == platform).Select(c => (DelinquencyBucket)c.Bucket).ToHashSet();
            Assert.True(Buckets.All(present.Contains), $"platform {platform}: buckets without loans: {string.Join(", ", Buckets.Where(b => !present.Contains(b)))}");
        }

        // The bucket the QFEN extract missed: 1-29 DPD holds a real share of the rows, not a handful.
        var share = (double)counts.Where(c => c.Bucket == 1).Sum(c => c.Loans) / counts.Sum(c => c.Loans);
        Assert.InRange(share, 0.01, 0.10);
    }

    [Fact]
    public async Task Roll_forward_rates_rise_with_delinquency_and_90_plus_loans_rarely_cure()
    {
        var cells = await ReadAsync(db => db.RollRateCells.AsNoTracking()
            .Select(c => new { c.From, c.To, c.Balance }).ToListAsync());
        Assert.NotEmpty(cells);

        decimal Rate(DelinquencyBucket from, DelinquencyBucket to) =>
            cells.Where(c => c.From == from && c.To == to).Sum(c => c.Balance) / cells.Where(c => c.From == from).Sum(c => c.Balance);

        var forward = new[]
        {
            Rate(DelinquencyBucket.Current, DelinquencyBucket.Dpd1To29),
            Rate(DelinquencyBucket.Dpd1To29, DelinquencyBucket.Dpd30To59),
            Rate(DelinquencyBucket.Dpd30To59, DelinquencyBucket.Dpd60To89),
            Rate(DelinquencyBucket.Dpd60To89, DelinquencyBucket.Dpd90Plus),
        };
        var shown = string.Join(" < ", forward.Select(r => $"{r:P1}"));
        Assert.True(forward.Zip(forward.Skip(1)).All(p => p.First < p.Second), $"roll-forward rates must rise with delinquency: {shown}");
        Assert.InRange(forward[0], 0.01m, 0.06m);   // Current -> 1-29: a few percent a month
        Assert.InRange(forward[1], 0.20m, 0.50m);
        Assert.InRange(forward[2], 0.40m, 0.75m);
        Assert.InRange(forward[3], 0.60m, 0.92m);

        var cure90 = Rate(DelinquencyBucket.Dpd90Plus, DelinquencyBucket.Current);
        Assert.True(cure90 < 0.05m, $"90+ balance back to Current in a month: {cure90:P1} (should be rare, < 5 %)");
        Assert.True(Rate(DelinquencyBucket.Dpd90Plus, DelinquencyBucket.ChargedOff) > 0.1m, "90+ loans are charged off");
        Assert.InRange(Metrics.CureRate(cells.Select(c => new RollRateCell { From = c.From, To = c.To, Balance = c.Balance }))!.Value, 0.2m, 0.8m);
    }

    [Fact]
    public async Task Charged_off_loans_carry_their_delinquency_and_amounts()
    {
        var chargedOff = await ReadAsync(db => db.LoanRecords.AsNoTracking().Where(r => r.Status == "CHARGED_OFF")
            .Select(r => new { r.LoanId, r.DaysPastDue, r.OutstandingPrincipal, r.ChargeOffAmount, r.RecoveryAmount }).ToListAsync());

        Assert.NotEmpty(chargedOff);
        Assert.All(chargedOff, r => Assert.True(r.DaysPastDue >= 90, $"{r.LoanId}: CHARGED_OFF at {r.DaysPastDue} days past due"));
        Assert.All(chargedOff, r => Assert.True(r.ChargeOffAmount > 0 || r.RecoveryAmount > 0, $"{r.LoanId}: a CHARGED_OFF row with neither a charge-off nor a recovery"));
        // A loan is charged off once; later rows report recoveries.
        Assert.All(chargedOff.Where(r => r.ChargeOffAmount > 0).GroupBy(r => r.LoanId), g => Assert.Single(g));
        Assert.Contains(chargedOff, r => r.ChargeOffAmount > 0);
    }

    [Fact]
    public async Task Every_stored_demo_tape_passes_the_validity_edits_and_has_no_early_charge_off()
    {
        var submissions = await ReadAsync(db => db.LoanSubmissions.AsNoTracking().Where(s => s.Status == SubmissionStatus.Signed)
            .Select(s => new { s.Platform!.Code, s.Period, s.FileName, s.FileSha256, s.LoanCount }).ToListAsync());
        var files = _portal.Provider.GetRequiredService<IFileStore>();
        Assert.True(submissions.Count > 200);
        foreach (var s in submissions)
        {
            await using var content = files.OpenRead(s.FileSha256);
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer);
            buffer.Position = 0;
            var codes = new List<string>();
            var summary = await new LoanTapeChecker(new LoanTapeFormats(), new DiskSpillStore()).CheckAsync(buffer, s.FileName, s.Code, s.Period, null, null, f =>
            {
                codes.Add(f.Code);
                return ValueTask.CompletedTask;
            });

            Assert.False(summary.HasBlockingErrors, $"{s.Code} {s.Period}: {string.Join(",", codes.Distinct())}");
            Assert.Equal(s.LoanCount, summary.ValidRows);
            Assert.DoesNotContain(EditRules.Q07.Code, codes);
        }
    }

    [Fact]
    public async Task The_industry_default_rate_stays_in_a_sane_band_and_QFEN_deteriorates()
    {
        var industry = await ReadAsync(db => db.IndustryAggregates.AsNoTracking().Where(a => a.ProductType == Products.All)
            .Select(a => new { a.Period, a.Figures }).ToListAsync());
        Assert.Equal(24, industry.Count);
        // The tests' book (scale 0.2) has 1,300-2,500 active loans a month, about 30 of them 90+ days past due: one
        // month's rate moves by a few tenths of a point by chance. Each month must be sane, three months together
        // within 1-8 %.
        var byMonth = industry.OrderBy(a => a.Period, StringComparer.Ordinal).ToList();
        Assert.All(byMonth, a => Assert.InRange(Metrics.DefaultRate(a.Figures)!.Value, 0.005m, 0.10m));
        for (var i = 2; i < byMonth.Count; i++)
        {
            var quarter = Metrics.Sum(byMonth.Skip(i - 2).Take(3).Select(a => a.Figures));
            Assert.InRange(Metrics.DefaultRate(quarter)!.Value, 0.01m, 0.08m);
            Assert.InRange(Metrics.NetChargeOffRate(quarter)!.Value, 0.01m, 0.20m);
        }

        var codes = await ReadAsync(db => db.Platforms.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Code));
        var aggregates = (await ReadAsync(db => db.MonthlyAggregates.AsNoTracking()
            .Select(a => new { a.PlatformId, a.Period, a.Figures }).ToListAsync()))
            .Select(a => new { Code = codes[a.PlatformId], a.Period, a.Figures }).ToList();
        var months = industry.Select(a => a.Period).Order(StringComparer.Ordinal).ToList();
        decimal DefaultRate(string code, IEnumerable<string> periods)
        {
            var set = periods.ToHashSet();
            return Metrics.DefaultRate(Metrics.Sum(aggregates.Where(a => a.Code == code && set.Contains(a.Period)).Select(a => a.Figures)))!.Value;
        }

        // Over the last 12 months: the last three months against the three a year before them.
        var rising = aggregates.Select(a => a.Code).Distinct()
            .Select(code => (Code: code, Change: DefaultRate(code, months.TakeLast(3)) - DefaultRate(code, months.SkipLast(12).TakeLast(3))))
            .Where(p => p.Change > 0.02m)
            .Select(p => p.Code)
            .ToList();
        Assert.Contains("QFEN", rising); // the README's deteriorating platform, with its rectification request
        Assert.True(rising.Count <= 3, $"most platforms should be stable, rising: {string.Join(", ", rising)}");
        Assert.True(DefaultRate("QFEN", months.TakeLast(1)) > 0.05m, "QFEN ends above the 5 % default-rate limit");
    }
}
