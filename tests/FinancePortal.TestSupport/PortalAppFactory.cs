using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.TestSupport;

/// <summary>
/// The real portal (Program) over its own SQLite file, migrated and demo-seeded by the app's own start-up code.
/// <see cref="StartKestrel"/> serves it on a free loopback port for a real browser.
/// </summary>
public class PortalAppFactory : WebApplicationFactory<Program>
{
    /// <summary>A private copy of the seeded demo database (seeded once per test run): the app finds it seeded and starts fast.</summary>
    public string DatabasePath { get; } = TestDatabase.CreateSeededCopyAsync().GetAwaiter().GetResult();

    /// <summary>Service changes a test needs on top of the portal's own (applied after the app registered its services).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Starts Kestrel on 127.0.0.1 with a dynamic port and returns the base address.</summary>
    public string StartKestrel()
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.First().Replace("[::1]", "127.0.0.1").TrimEnd('/');
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("ConnectionStrings:Sqlite", TestDatabase.ConnectionString(DatabasePath));
        builder.UseSetting("Seeding:Demo", "true");
        builder.UseSetting("Seeding:LoanTapeScale", TestDatabase.LoanTapeScale);
        builder.UseSetting("Seeding:LastLoanTapePeriod", FinancePortal.Infrastructure.Seeding.DemoSeeder.PinnedLastLoanTapePeriod);
        builder.UseSetting("Storage:Root", TestDatabase.FileStoreRoot);
        builder.UseSetting("Storage:StagingRoot", TestDatabase.StagingRoot(DatabasePath));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Outside Development the portal requires a certificate for its key ring (KeyProtection); tests that switch to
        // Production find one here. Development uses it too when it is set.
        builder.UseSetting("DataProtection:Certificate:Path", TestCertificates.DataProtectionPfx);
        builder.UseSetting("DataProtection:Certificate:Password", TestCertificates.Password);
        // Journeys sign in many times from one loopback address; SecurityHeadersTests sets a small limit to see 429.
        builder.UseSetting("Security:SignInRateLimit:PermitLimit", "1000");
        if (ConfigureServices is { } configure)
        {
            builder.ConfigureServices(configure);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        TestDatabase.Delete(DatabasePath);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Acts as a user inside the running portal's own services (for arranging data through the real services).</summary>
public static class PortalAppFactoryExtensions
{
    public static async Task<AsyncServiceScope> ActAsAsync(this PortalAppFactory factory, string email)
    {
        var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<FinancePortal.Application.Domain.PortalUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        var claims = new List<System.Security.Claims.Claim> { new(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id), new(System.Security.Claims.ClaimTypes.Name, user.UserName!) };
        claims.AddRange((await users.GetRolesAsync(user)).Select(r => new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, r)));
        scope.ServiceProvider.GetRequiredService<FinancePortal.Web.Security.RequestPrincipal>().Principal =
            new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(claims, "test"));
        return scope;
    }
}
