using FinancePortal.Application;
using FinancePortal.Application.Security;
using FinancePortal.Infrastructure;
using FinancePortal.Infrastructure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FinancePortal.TestSupport;

public static class PortalTestServices
{
    /// <summary>The portal's application and infrastructure services over a SQLite file, with a settable test user and clock.</summary>
    public static IServiceCollection AddPortalForTests(this IServiceCollection services, string databasePath, bool seedDemo = true, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["Database:MigrateOnStartup"] = "true",
                ["ConnectionStrings:Sqlite"] = TestDatabase.ConnectionString(databasePath),
                ["Seeding:Demo"] = seedDemo ? "true" : "false",
                ["Seeding:LoanTapeScale"] = TestDatabase.LoanTapeScale,
                ["Seeding:LastLoanTapePeriod"] = FinancePortal.Infrastructure.Seeding.DemoSeeder.PinnedLastLoanTapePeriod,
                ["Storage:Root"] = TestDatabase.FileStoreRoot,
                ["Storage:StagingRoot"] = TestDatabase.StagingRoot(databasePath),
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero)));
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<FakeTimeProvider>());
        services.AddPortalApplication();
        services.AddSingleton<FinancePortal.Application.IDomainText, FinancePortal.Web.Localization.ResourceDomainText>();
        services.AddPortalInfrastructure(configuration, Path.GetTempPath());
        services.AddPortalIdentity();
        services.AddScoped<TestCurrentUser>();
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<TestCurrentUser>());
        return services;
    }
}
