using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Rectifications;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Infrastructure.Seeding;

/// <summary>
/// Rectification requests for the demo (QFEN, whose operator is operator.qfen@): every rectification request action
/// recorded so far becomes an open request; two more show an overdue request and one the platform has answered.
/// Like the rest of the demo data, without audit entries.
/// </summary>
internal static class DemoRectifications
{
    public static async Task SeedAsync(IPortalDb db, int qfenId, long? qfenAlertId, (string Id, string Name) risk, CancellationToken ct)
    {
        var now = db.UtcNow;
        var today = DateOnly.FromDateTime(now);
        var overdue = Action(qfenId, null, "Send the board-approved complaint-handling procedure and the complaint statistics of the last six months.",
            today.AddDays(-5), risk, now.AddDays(-60));
        var answered = Action(qfenId, qfenAlertId, "Confirm that every co-lent loan keeps at least 30% own funding and send the current co-lending agreements.",
            today.AddDays(15), risk, now.AddDays(-30));
        db.SupervisoryActions.AddRange(overdue, answered);
        await db.SaveChangesAsync(ct);

        var existing = await db.SupervisoryActions.Where(a => a.Kind == SupervisoryActionKind.RectificationRequest).OrderBy(a => a.Id).ToListAsync(ct);
        var requests = existing.ToDictionary(a => a.Id, a => RectificationService.Open(db, a));
        await db.SaveChangesAsync(ct);

        var operatorUser = await db.Users.Where(u => u.Email == $"operator.qfen@{DemoSeeder.EmailDomain}").Select(u => new { u.Id, u.DisplayName }).SingleOrDefaultAsync(ct);
        var request = requests[answered.Id];
        var replied = now.AddDays(-2);
        request.State = RectificationState.Answered;
        request.AnsweredUtc = replied;
        request.UpdatedUtc = replied;
        db.RectificationMessages.Add(new RectificationMessage
        {
            RequestId = request.Id, PlatformId = qfenId, Kind = RectificationStepKind.Replied, FromPlatform = true, TimeUtc = replied,
            ActorId = operatorUser?.Id ?? "system", ActorName = operatorUser?.DisplayName ?? "QFEN",
            Text = "Own funding is 32% or more on every co-lent loan since September; the agreements with our two partner banks are attached to the October board minutes, which we will send with the November tape.",
        });
        await db.SaveChangesAsync(ct);
    }

    private static SupervisoryAction Action(int platformId, long? alertId, string text, DateOnly due, (string Id, string Name) actor, DateTime at) => new()
    {
        PlatformId = platformId, AlertId = alertId, Kind = SupervisoryActionKind.RectificationRequest, Text = text, DueDate = due,
        ActorId = actor.Id, ActorName = actor.Name, CreatedUtc = at,
    };
}
