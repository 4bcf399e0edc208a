using FinancePortal.Application.Domain;
using FinancePortal.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FinancePortal.UnitTests.SqlServer;

public class SqlServerSchemaTests
{
    private static PortalDbContext SqlServerContext() => new(new SqlServerCapture().Options());

    [Fact]
    public void Model_builds_for_SQL_Server_with_rowversion_free_concurrency_and_decimal_precision()
    {
        using var db = SqlServerContext();
        var platform = db.Model.FindEntityType(typeof(Platform))!;
        Assert.True(platform.FindProperty(nameof(Platform.ConcurrencyStamp))!.IsConcurrencyToken);
        Assert.Equal("decimal(20,2)", platform.FindProperty(nameof(Platform.RegisteredCapital))!.GetColumnType());
        Assert.Equal("Microsoft.EntityFrameworkCore.SqlServer", db.Database.ProviderName);
    }

    [Fact]
    public void Full_idempotent_migration_script_parses_without_errors()
    {
        using var db = SqlServerContext();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [Platforms]", script);
        Assert.Contains("CREATE TABLE [AuditEntries]", script);
        Assert.Contains("TR_AuditEntries_AppendOnly", script);
        var errors = TSql.Parse(script);
        Assert.True(errors.Count == 0, TSql.Describe(errors));
    }

    [Fact]
    public void Create_script_parses_without_errors()
    {
        using var db = SqlServerContext();
        var errors = TSql.Parse(db.Database.GenerateCreateScript());
        Assert.True(errors.Count == 0, TSql.Describe(errors));
    }

    [Fact]
    public void Parser_rejects_broken_sql_so_the_checks_above_can_fail()
    {
        Assert.NotEmpty(TSql.Parse("CREATE TABLE [X] ([Id] int NOT NULL,, PRIMARY KEY)"));
        Assert.NotEmpty(TSql.Parse("IF 1 = 1 BEGIN CREATE TRIGGER [T] ON [X] AFTER DELETE AS SELECT 1 END"));
    }

    [Theory]
    [InlineData(DatabaseOptions.SqlServer)]
    [InlineData(DatabaseOptions.Sqlite)]
    public void Migrations_of_each_provider_match_the_model(string provider)
    {
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        DatabaseOptions.Configure(builder, provider, provider == DatabaseOptions.Sqlite ? "Data Source=:memory:" : SqlServerCapture.ConnectionString);
        using var db = new PortalDbContext(builder.Options);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"The model has changes without a {provider} migration: run dotnet ef migrations add for src/FinancePortal.Migrations.{provider}.");
    }

    [Fact]
    public async Task Sqlite_database_refuses_to_change_or_delete_audit_entries_even_with_raw_sql()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        builder.UseSqlite(connection, o => o.MigrationsAssembly(DatabaseOptions.SqliteMigrationsAssembly));
        await using var db = new PortalDbContext(builder.Options);
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO AuditEntries (TimeUtc, Actor, Role, Action, EntityType, Summary) VALUES ('2026-01-01 00:00:00', 'a', 'Admin', 'SignIn', 'PortalUser', 's')");

        var update = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("UPDATE AuditEntries SET Actor = 'forged'"));
        Assert.Contains("append-only", update.Message);
        var delete = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM AuditEntries"));
        Assert.Contains("append-only", delete.Message);
        Assert.Equal(1, await db.AuditEntries.IgnoreQueryFilters().CountAsync());
    }
}
