using FinancePortal.Application;
using FinancePortal.Application.Security;
using FinancePortal.Infrastructure.Data;
using FinancePortal.Infrastructure.LoanTapes.Bulk;
using FinancePortal.Infrastructure.Exports;
using FinancePortal.Infrastructure.Files;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Infrastructure.LoanTapes;
using FinancePortal.Infrastructure.Jobs;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Infrastructure.Seeding;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FinancePortal.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Database (provider from <c>Database:Provider</c>), data scope, seeding.</summary>
    public static IServiceCollection AddPortalInfrastructure(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.Section));
        services.Configure<SeedingOptions>(configuration.GetSection(SeedingOptions.Section));
        services.Configure<UploadOptions>(configuration.GetSection(UploadOptions.Section));
        services.Configure<FilingOptions>(configuration.GetSection(FilingOptions.Section));
        services.Configure<MonitoringOptions>(configuration.GetSection(MonitoringOptions.Section));
        services.Configure<FinancePortal.Application.Features.Applications.DecisionLetterOptions>(
            configuration.GetSection(FinancePortal.Application.Features.Applications.DecisionLetterOptions.Section));
        services.AddHostedService<MonitoringWorker>();
        services.AddMetrics(); // IMeterFactory for PortalMetrics (the web host registers it too; this is idempotent)

        var connectionString = configuration.GetConnectionString(options.Provider)
            ?? throw new InvalidOperationException($"Set ConnectionStrings:{options.Provider} (see appsettings.sample.json).");
        if (options.Provider == DatabaseOptions.Sqlite)
        {
            connectionString = SqliteFiles.ResolvePath(connectionString, contentRoot);
        }

        // Registers IDbContextFactory<PortalDbContext> (singleton) and PortalDbContext (scoped, for Identity's stores).
        // Interceptors registered in DI (IInterceptor) are added to every context: tests use them to simulate a lost database.
        services.AddDbContextFactory<PortalDbContext>((sp, b) =>
        {
            DatabaseOptions.Configure(b, options.Provider, connectionString, options);
            b.AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>());
        });
        // Keys in the database: several instances behind a load balancer read each other's cookies.
        services.AddDataProtection().SetApplicationName("FinancePortal").PersistKeysToDbContext<PortalDbContext>();
        services.AddSingleton<IDataScopeResolver, DataScopeResolver>();
        services.AddScoped<IPortalDbFactory, PortalDbFactory>();
        services.TryAddSingleton(TimeProvider.System);
        var storageRoot = configuration["Storage:Root"] is { Length: > 0 } root ? root : "App_Data/files";
        services.AddSingleton<IFileStore>(new LocalFileStore(Path.GetFullPath(Path.Combine(contentRoot, storageRoot))));
        // The loan-tape pipeline's infrastructure: the file formats, spill files, staged rows, and the provider's bulk writer (chosen here, once).
        services.AddSingleton<ILoanTapeFormats>(new LoanTapeFormats());
        services.AddSingleton<ISpillStore, DiskSpillStore>();
        services.AddSingleton<ILoanTapeStaging>(new LoanTapeStaging(configuration["Storage:StagingRoot"] is { Length: > 0 } staging
            ? Path.GetFullPath(Path.Combine(contentRoot, staging))
            : LoanTapeStaging.DefaultDirectory));
        services.AddSingleton<ILoanRecordWriter>(options.Provider == DatabaseOptions.Sqlite ? new SqliteLoanRecordWriter() : new SqlServerLoanRecordWriter());
        services.AddSingleton<IReportWorkbookWriter, ClosedXmlReportWriter>();
        services.AddSingleton<Application.Features.Exports.IExportWriterFactory, ExportWriterFactory>();
        services.AddSingleton<Application.Features.Exports.ILoanExtractReader>(options.Provider == DatabaseOptions.Sqlite
            ? new Exports.LoanExtractReader() : new Application.Features.Exports.EfLoanExtractReader());
        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<DemoSeeder>();
        return services;
    }
}
