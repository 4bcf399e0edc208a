using Microsoft.EntityFrameworkCore;

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

    /// <summary>Configures EF Core for the chosen provider and its migrations assembly.</summary>
    public static void Configure(DbContextOptionsBuilder builder, string provider, string connectionString)
    {
        switch (provider)
        {
            case Sqlite:
                builder.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly));
                break;
            case SqlServer:
                builder.UseSqlServer(connectionString, o => o.MigrationsAssembly(SqlServerMigrationsAssembly));
                break;
            default:
                throw new InvalidOperationException($"Database:Provider must be '{Sqlite}' or '{SqlServer}', not '{provider}'.");
        }
    }
}
