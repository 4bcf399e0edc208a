using FinancePortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FinancePortal.Migrations.SqlServer;

/// <summary>Lets <c>dotnet ef</c> build the SQL Server model without a server (no connection is opened).</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        DatabaseOptions.Configure(builder, DatabaseOptions.SqlServer, "Server=(design-time);Database=FinancePortal;Trusted_Connection=True;TrustServerCertificate=True");
        return new PortalDbContext(builder.Options);
    }
}
