using FinancePortal.Application.Domain;
using FinancePortal.Infrastructure.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FinancePortal.Infrastructure.Data;

/// <summary>Start-up work: apply migrations, make sure the six roles exist, seed demo data when asked.</summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<PortalDbContext> contexts,
    RoleManager<IdentityRole> roles,
    DemoSeeder demoSeeder,
    IOptions<DatabaseOptions> database,
    IOptions<SeedingOptions> seeding,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (db.Database.IsSqlite())
            {
                await SqliteFiles.CreateWithPageSizeAsync(db.Database.GetDbConnection().ConnectionString, ct);
            }

            if (database.Value.MigrateOnStartup)
            {
                await db.Database.MigrateAsync(ct);
            }

            if (db.Database.IsSqlite())
            {
                // Readers do not block the writer: several circuits work at once.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
        }

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        if (seeding.Value.Demo)
        {
            await demoSeeder.SeedAsync(ct);
        }
        else
        {
            logger.LogInformation("Demo seeding is off: no demo data and no demo accounts.");
        }
    }
}
