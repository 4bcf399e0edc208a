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
    public string DatabasePath { get; } = TestDatabase.NewPath();

    public PortalAppFactory()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
    }

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
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        TestDatabase.Delete(DatabasePath);
        GC.SuppressFinalize(this);
    }
}
