using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using FinancePortal.Infrastructure.Data;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Seeding;

/// <summary>
/// A demo seeded without a pinned month follows the calendar: seeded after November's deadline (15 December), its tapes run to
/// November, and only the month left out on purpose (XMHX's) is reported missing, not last month for every platform.
/// </summary>
public class DemoCalendarTests
{
    [Fact]
    public async Task Seeded_after_Novembers_deadline_the_demo_runs_to_November_and_only_XMHX_misses_a_month()
    {
        await using var portal = await PortalServices.CreateAsync(seedDemo: false, new Dictionary<string, string?>
        {
            ["Seeding:Demo"] = "true",
            ["Seeding:LastLoanTapePeriod"] = "",
            ["Seeding:LoanTapeScale"] = "0.02",
        });
        portal.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 16, 9, 0, 0, TimeSpan.Zero));
        await using (var scope = portal.Provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        }

        await using var system = portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        var signed = await db.LoanSubmissions.AsNoTracking().Where(s => s.Status == SubmissionStatus.Signed)
            .Select(s => new { s.Platform!.Code, s.Period, s.SignedUtc }).ToListAsync();
        var jdbt = signed.Where(s => s.Code == "JDBT").Select(s => s.Period).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(24, jdbt.Count);
        Assert.Equal(("2024-12", "2026-11"), (jdbt[0], jdbt[^1]));
        Assert.DoesNotContain(signed, s => s.Code == "XMHX" && s.Period == "2026-10");
        Assert.Contains(signed, s => s.Code == "XMHX" && s.Period == "2026-11");
        var qfenLate = signed.Single(s => s.Code == "QFEN" && s.Period == "2026-09").SignedUtc!.Value;
        var calendar = portal.Provider.GetRequiredService<FinancePortal.Application.Features.LoanTapes.FilingCalendar>();
        Assert.False(calendar.IsOnTime(qfenLate, "2026-09"), "QFEN's September was signed late");

        var missing = await db.Alerts.AsNoTracking().Where(a => a.Rule == AlertRule.SubmissionMissing)
            .Select(a => new { a.Platform!.Code, a.Period }).ToListAsync();
        Assert.Equal([("XMHX", "2026-10")], missing.Select(m => (m.Code, m.Period)).Distinct().ToList());
    }
}

/// <summary>The demo's licence histories agree with its tapes under the filing calendar.</summary>
public class DemoLicenceHistoryTests
{
    [Fact]
    public async Task Every_demo_tape_is_for_an_owed_month_and_every_owed_closed_month_has_one_except_XMHXs()
    {
        await using var portal = await PortalServices.CreateAsync();
        await using var system = portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        var calendar = portal.Provider.GetRequiredService<FinancePortal.Application.Features.LoanTapes.FilingCalendar>();
        var obligations = await calendar.LoadAsync(db, CancellationToken.None);
        var codes = await db.Platforms.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Code);
        var signed = (await db.LoanSubmissions.AsNoTracking().Where(s => s.Status == SubmissionStatus.Signed).Select(s => new { s.PlatformId, s.Period }).ToListAsync())
            .Select(s => (s.PlatformId, s.Period)).ToHashSet();

        Assert.All(signed, s => Assert.True(obligations.IsRequired(s.PlatformId, s.Period), $"{codes[s.PlatformId]} filed {s.Period}, a month it does not owe"));
        var owedWithoutTape = FinancePortal.Application.Features.LoanTapes.Periods.Range("2024-11", "2026-10")
            .SelectMany(m => obligations.RequiredIn(m).Where(id => !signed.Contains((id, m))).Select(id => (codes[id], m)))
            .ToList();
        Assert.Equal([("XMHX", "2026-09")], owedWithoutTape);
    }
}
