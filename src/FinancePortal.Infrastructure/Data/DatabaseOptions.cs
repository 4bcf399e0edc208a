using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace FinancePortal.Infrastructure.Data;

/// <summary>The <c>Database</c> section of the settings.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string Sqlite = "Sqlite";
    public const string SqlServer = "SqlServer";
    public const string SqliteMigrationsAssembly = "FinancePortal.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "FinancePortal.Migrations.SqlServer";

    /// <summary><c>Sqlite</c> (default, a local file) or <c>SqlServer</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Apply pending migrations when the portal starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// SQL Server: how often a transient failure (connection dropped, failover, throttling) is retried before the user
    /// sees "the database is unavailable". 0 turns retrying off.
    /// </summary>
    public int MaxRetryCount { get; set; } = 5;

    /// <summary>Longest wait between two retries (they back off exponentially up to this).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>SQLite: also retry "database is busy/locked" through the execution strategy (off: see docs/operations.md).</summary>
    public bool SqliteRetryOnBusy { get; set; }

    /// <summary>Configures EF Core for the chosen provider, its migrations assembly and its execution strategy.</summary>
    public static void Configure(DbContextOptionsBuilder builder, string provider, string connectionString, DatabaseOptions? settings = null)
    {
        settings ??= new DatabaseOptions();
        switch (provider)
        {
            case Sqlite:
                builder.UseSqlite(connectionString, o => o
                    .MigrationsAssembly(SqliteMigrationsAssembly)
                    .ExecutionStrategy(d => new PortalExecutionStrategy(settings.SqliteRetryOnBusy && settings.MaxRetryCount > 0
                        ? new SqliteRetryingExecutionStrategy(d, settings.MaxRetryCount, settings.MaxRetryDelay)
                        : new NonRetryingExecutionStrategy(d))));
                break;
            case SqlServer:
                // EnableRetryOnFailure's strategy, wrapped so that exhausted retries surface as DatabaseUnavailableException.
                // Every explicit transaction runs through CreateExecutionStrategy() (Application/Common/Transactions.cs).
                builder.UseSqlServer(connectionString, o => o
                    .MigrationsAssembly(SqlServerMigrationsAssembly)
                    .ExecutionStrategy(d => new PortalExecutionStrategy(settings.MaxRetryCount > 0
                        ? new Microsoft.EntityFrameworkCore.SqlServerRetryingExecutionStrategy(d, settings.MaxRetryCount, settings.MaxRetryDelay, errorNumbersToAdd: null)
                        : new NonRetryingExecutionStrategy(d))));
                break;
            default:
                throw new InvalidOperationException($"Database:Provider must be '{Sqlite}' or '{SqlServer}', not '{provider}'.");
        }
    }
}
