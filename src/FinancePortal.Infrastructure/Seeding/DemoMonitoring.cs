using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Infrastructure.Seeding;

/// <summary>
/// Builds the aggregates of the demo loan tapes and replays the alert rules month by month, then adds a little
/// supervisory history (like the rest of the demo data, without audit entries — the log starts empty): a threshold version, alerts acknowledged and escalated, actions (a rectification request to
/// QFEN among them) and a watch list.
/// </summary>
internal static class DemoMonitoring
{
    public static async Task SeedAsync(IPortalDb db, MetricsRebuilder rebuilder, FilingCalendar calendar, (string Id, string Name) risk, DemoLoanTapes.Window window, CancellationToken ct)
    {
        db.AlertThresholds.Add(new AlertThresholds
        {
            Version = 1, Reason = "Initial thresholds: the supervisory defaults.", CreatedBy = "admin@financeportal.demo", CreatedUtc = DemoSeeder.Epoch.AddDays(30),
        });
        await db.SaveChangesAsync(ct);

        var platforms = await db.Platforms.Where(p => DemoLoanTapes.Reporting.Contains(p.Code)).ToDictionaryAsync(p => p.Code, p => p.Id, ct);
        foreach (var platformId in platforms.Values)
        {
            await rebuilder.RebuildAsync(db, platformId, window.First, ct, industry: false);
        }

        var months = window.Months;
        foreach (var period in months)
        {
            await MetricsRebuilder.RebuildIndustryAsync(db, period, ct);
        }

        foreach (var period in months)
        {
            foreach (var platformId in platforms.Values)
            {
                await AlertEvaluator.EvaluateMonthAsync(db, calendar, platformId, period, ct, audit: false);
            }
        }

        await AlertEvaluator.EvaluateMissingAsync(db, calendar, ct, audit: false);

        // Supervisory history on the deteriorating platforms.
        var alerts = await db.Alerts.Where(a => a.State == AlertState.Open).OrderBy(a => a.RaisedUtc).ToListAsync(ct);
        var qfen = alerts.FirstOrDefault(a => a.PlatformId == platforms["QFEN"] && a.Rule == AlertRule.DefaultRateAboveLimit);
        var xmhx = alerts.FirstOrDefault(a => a.PlatformId == platforms["XMHX"] && a.Rule == AlertRule.DefaultRateAboveLimit);
        var when = db.UtcNow.AddDays(-20);
        if (qfen is not null)
        {
            qfen.State = AlertState.Acknowledged;
            qfen.OwnerId = risk.Id;
            qfen.OwnerName = risk.Name;
            AddAction(db, qfen, SupervisoryActionKind.Note, "Reviewed the roll rates: more current loans miss a payment each month than a year ago, and delinquent loans roll forward well above the industry rates (1-29 to 30-59 DPD most of all).", null, risk, when);
            AddAction(db, qfen, SupervisoryActionKind.RectificationRequest,
                "Submit a remediation plan for the cash-loan book: tighten approval for new borrowers and report collections capacity.",
                DateOnly.FromDateTime(when).AddDays(45), risk, when.AddHours(2));
        }

        if (xmhx is not null)
        {
            xmhx.State = AlertState.Escalated;
            xmhx.OwnerId = risk.Id;
            xmhx.OwnerName = risk.Name;
            AddAction(db, xmhx, SupervisoryActionKind.OnSiteInspection, "On-site inspection scheduled for the collections and provisioning process.", null, risk, when.AddDays(3));
        }

        foreach (var code in new[] { "QFEN", "XMHX" })
        {
            db.WatchList.Add(new WatchListEntry
            {
                PlatformId = platforms[code], Reason = "Default rate above the 5% limit for several months.", AddedBy = risk.Name, AddedUtc = when.AddDays(-30),
            });
        }

        await db.SaveChangesAsync(ct);
        await DemoRectifications.SeedAsync(db, platforms["QFEN"], qfen?.Id, risk, ct);
    }

    private static void AddAction(IPortalDb db, Alert alert, SupervisoryActionKind kind, string text, DateOnly? due, (string Id, string Name) actor, DateTime at) =>
        db.SupervisoryActions.Add(new SupervisoryAction
        {
            PlatformId = alert.PlatformId, AlertId = alert.Id, Kind = kind, Text = text, DueDate = due, ActorId = actor.Id, ActorName = actor.Name, CreatedUtc = at,
        });
}
