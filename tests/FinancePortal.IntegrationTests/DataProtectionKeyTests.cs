using FinancePortal.Infrastructure.Data;
using FinancePortal.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests;

/// <summary>Data-protection keys live in the database, so a second instance reads what the first one protected (cookies, antiforgery).</summary>
public class DataProtectionKeyTests : IAsyncLifetime
{
    private readonly PortalAppFactory _first = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _first.DisposeAsync();

    [Fact]
    public async Task A_second_instance_on_the_same_database_unprotects_what_the_first_protected()
    {
        var secret = _first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("session for Liu Yang");

        await using (var scope = _first.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.NotEmpty(await db.DataProtectionKeys.AsNoTracking().ToListAsync());
        }

        // Another host over the same database file: no key ring of its own on disk, only what the database holds.
        await using var second = new SecondInstance(_first.DatabasePath);
        var reader = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        Assert.Equal("session for Liu Yang", reader.Unprotect(secret));
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => reader.CreateProtector("other purpose").Unprotect(secret));
    }

    private sealed class SecondInstance(string databasePath) : PortalAppFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Sqlite", TestDatabase.ConnectionString(databasePath));
        }
    }
}
