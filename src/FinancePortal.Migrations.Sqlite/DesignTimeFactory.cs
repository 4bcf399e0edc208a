using FinancePortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FinancePortal.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without the web host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        DatabaseOptions.Configure(builder, DatabaseOptions.Sqlite, "Data Source=design-time.db");
        return new PortalDbContext(builder.Options);
    }
}
