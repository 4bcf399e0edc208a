using FinancePortal.Application;
using FinancePortal.Application.Security;
using FinancePortal.Infrastructure;
using FinancePortal.Infrastructure.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FinancePortal.Benchmarks.Seeding;

/// <summary>
/// A fresh SQLite file and the portal's services over it, registered as the web app registers them
/// (the same calls as tests/FinancePortal.TestSupport/PortalTestServices.cs, with the real clock).
/// </summary>
public sealed class BenchmarkDatabase : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "financeportal-bench", Guid.NewGuid().ToString("N"));

    public BenchmarkDatabase()
    {
        Directory.CreateDirectory(_folder);
    }

    public string FilePath => Path.Combine(_folder, "portal.db");

    /// <summary>A service provider over this file; <paramref name="seedDemo"/> sets <c>Seeding:Demo</c>.</summary>
    public ServiceProvider CreateServices(bool seedDemo, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["Database:MigrateOnStartup"] = "true",
                ["ConnectionStrings:Sqlite"] = $"Data Source={FilePath}",
                ["Seeding:Demo"] = seedDemo ? "true" : "false",
                ["Seeding:LastLoanTapePeriod"] = FinancePortal.Infrastructure.Seeding.DemoSeeder.PinnedLastLoanTapePeriod,
                ["Storage:Root"] = Path.Combine(_folder, "files"),
                ["Storage:StagingRoot"] = Path.Combine(_folder, "staged"),
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddPortalApplication();
        services.AddPortalInfrastructure(configuration, _folder);
        services.AddPortalIdentity();
        services.AddSingleton<ICurrentUser, SystemUser>();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere is left to the OS temp cleaner.
        }
    }

    /// <summary>Start-up work runs as the portal itself, as in the web app before any request.</summary>
    private sealed class SystemUser : ICurrentUser
    {
        public Task<UserContext> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(UserContext.System);
    }
}
