using FinancePortal.Infrastructure.Data;
using FinancePortal.Application;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;

namespace FinancePortal.UnitTests.SqlServer;

/// <summary>SQL Server is configured with EnableRetryOnFailure's strategy (wrapped to translate exhausted retries).</summary>
public class SqlServerRetryTests
{
    private static PortalDbContext Context(string provider, DatabaseOptions? settings = null)
    {
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        DatabaseOptions.Configure(builder, provider, provider == DatabaseOptions.Sqlite ? "Data Source=:memory:" : SqlServerCapture.ConnectionString, settings);
        return new PortalDbContext(builder.Options);
    }

    [Fact]
    public void Sql_server_retries_transient_failures_with_the_configured_count()
    {
        using var db = Context(DatabaseOptions.SqlServer, new DatabaseOptions { MaxRetryCount = 4, MaxRetryDelay = TimeSpan.FromSeconds(3) });

        var strategy = Assert.IsType<PortalExecutionStrategy>(db.Database.CreateExecutionStrategy());

        Assert.True(strategy.RetriesOnFailure);
        var inner = Assert.IsType<SqlServerRetryingExecutionStrategy>(strategy.Inner);
        Assert.Equal(4, inner.MaxRetryCount);
        Assert.Equal(TimeSpan.FromSeconds(3), inner.MaxRetryDelay);
    }

    [Fact]
    public void Sql_server_retries_five_times_by_default()
    {
        using var db = Context(DatabaseOptions.SqlServer);

        Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure);
        Assert.Equal(5, Assert.IsType<SqlServerRetryingExecutionStrategy>(((PortalExecutionStrategy)db.Database.CreateExecutionStrategy()).Inner).MaxRetryCount);
    }

    [Fact]
    public void Sqlite_does_not_retry_unless_asked()
    {
        using var plain = Context(DatabaseOptions.Sqlite);
        using var retrying = Context(DatabaseOptions.Sqlite, new DatabaseOptions { SqliteRetryOnBusy = true });

        Assert.False(plain.Database.CreateExecutionStrategy().RetriesOnFailure);
        Assert.IsType<SqliteRetryingExecutionStrategy>(((PortalExecutionStrategy)retrying.Database.CreateExecutionStrategy()).Inner);
    }

    [Fact]
    public void A_context_first_queried_inside_a_streaming_read_streams_on_sql_server_and_others_keep_retrying()
    {
        using var before = Context(DatabaseOptions.SqlServer);
        Assert.True(before.GetService<QueryCompilationContextDependencies>().IsRetryingExecutionStrategy);

        using (StreamingReads.Begin())
        {
            // EF Core buffers whole results under a retrying strategy; this context's queries are compiled streaming.
            using var streaming = Context(DatabaseOptions.SqlServer);
            Assert.False(streaming.GetService<QueryCompilationContextDependencies>().IsRetryingExecutionStrategy);
            Assert.False(streaming.Database.CreateExecutionStrategy().RetriesOnFailure);
        }

        using var after = Context(DatabaseOptions.SqlServer);
        Assert.True(after.GetService<QueryCompilationContextDependencies>().IsRetryingExecutionStrategy);
        Assert.True(after.Database.CreateExecutionStrategy().RetriesOnFailure);
        Assert.False(StreamingReads.Active);
    }
}
