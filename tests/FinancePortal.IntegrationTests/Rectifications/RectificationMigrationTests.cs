using FinancePortal.Application.Domain;
using FinancePortal.Infrastructure.Data;
using FinancePortal.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FinancePortal.IntegrationTests.Rectifications;

/// <summary>
/// The RectificationWorkflow migration turns the rectification requests recorded before it (supervisory actions of that
/// kind) into open requests with their first step; other actions are left alone, and the thread is append-only in the database.
/// </summary>
public class RectificationMigrationTests
{
    private const string Before = "20261205143115_ReportAsOfAndAlertHistory";

    [Fact]
    public async Task Existing_rectification_actions_become_open_requests_with_their_first_step()
    {
        var path = TestDatabase.NewPath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            // Foreign keys off: the rows below stand for data of a real database without its platforms and users.
            var builder = new DbContextOptionsBuilder<PortalDbContext>();
            DatabaseOptions.Configure(builder, DatabaseOptions.Sqlite, $"Data Source={path};Foreign Keys=False");
            await using var db = new PortalDbContext(builder.Options);
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(Before);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "SupervisoryActions" ("PlatformId", "AlertId", "Kind", "Text", "DueDate", "ActorId", "ActorName", "CreatedUtc")
                VALUES (3, NULL, 'RectificationRequest', 'Send the corrected October tape.', '2026-12-10', 'u1', 'Liu Yang', '2026-11-20 08:00:00'),
                       (3, NULL, 'Note', 'Internal note.', NULL, 'u1', 'Liu Yang', '2026-11-20 09:00:00'),
                       (4, NULL, 'RectificationRequest', 'Restate the funding mix.', NULL, 'u1', 'Liu Yang', '2026-11-01 10:00:00');
                """);

            await migrator.MigrateAsync();

            var requests = await db.RectificationRequests.IgnoreQueryFilters().AsNoTracking().OrderBy(r => r.Id).ToListAsync();
            Assert.Equal(
                [(3, "Send the corrected October tape.", new DateOnly(2026, 12, 10), 1L), (4, "Restate the funding mix.", new DateOnly(2026, 12, 1), 3L)],
                requests.Select(r => (r.PlatformId, r.Text, r.DueDate, r.SupervisoryActionId!.Value)));
            Assert.All(requests, r => Assert.Equal((RectificationState.Open, "Liu Yang", r.CreatedUtc), (r.State, r.RequestedByName, r.UpdatedUtc)));
            Assert.All(requests, r => Assert.NotEqual(Guid.Empty, r.ConcurrencyStamp));
            Assert.NotEqual(requests[0].ConcurrencyStamp, requests[1].ConcurrencyStamp);

            var steps = await db.RectificationMessages.IgnoreQueryFilters().AsNoTracking().OrderBy(m => m.Id).ToListAsync();
            Assert.Equal(requests.Select(r => (r.Id, RectificationStepKind.Requested, r.Text, false)), steps.Select(m => (m.RequestId, m.Kind, m.Text, m.FromPlatform)));

            var refused = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("""UPDATE "RectificationMessages" SET "Text" = 'Rewritten history.'"""));
            Assert.Contains("append-only", refused.Message);
        }
        finally
        {
            TestDatabase.Delete(path);
        }
    }
}
