using System.Data;
using System.Data.Common;
using FinancePortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace FinancePortal.UnitTests.SqlServer;

/// <summary>
/// A SQL Server-configured context with no server behind it: connection opening is suppressed and every command is
/// captured and answered with an empty result, so the real services run and we keep the T-SQL they send.
/// </summary>
internal sealed class SqlServerCapture : IDbConnectionInterceptor, IDbCommandInterceptor
{
    public const string ConnectionString = "Server=(no-server);Database=FinancePortal;Trusted_Connection=True;TrustServerCertificate=True;Connect Timeout=1";

    public List<string> Commands { get; } = [];

    public DbContextOptions<PortalDbContext> Options()
    {
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        // No retrying strategy here: it buffers result sets, and the captured commands answer with column-less tables.
        // The retry configuration itself is tested in SqlServerRetryTests.
        DatabaseOptions.Configure(builder, DatabaseOptions.SqlServer, ConnectionString, new DatabaseOptions { MaxRetryCount = 0 });
        builder.AddInterceptors(this);
        return builder.Options;
    }

    public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InterceptionResult<DbDataReader>.SuppressWithResult(Answer(command)));

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        InterceptionResult<DbDataReader>.SuppressWithResult(Answer(command));

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Commands.Add(command.CommandText);
        return InterceptionResult<int>.SuppressWithResult(0);
    }

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(NonQueryExecuting(command, eventData, result));

    private DbDataReader Answer(DbCommand command)
    {
        Commands.Add(command.CommandText);
        var table = new DataTable();
        if (command.CommandText.TrimStart().StartsWith("SELECT COUNT(*)", StringComparison.OrdinalIgnoreCase))
        {
            table.Columns.Add("count", typeof(int));
            table.Rows.Add(0);
        }
        else if (command.CommandText.TrimStart().StartsWith("SELECT CASE", StringComparison.OrdinalIgnoreCase))
        {
            // Any(): "no rows match".
            table.Columns.Add("exists", typeof(bool));
            table.Rows.Add(false);
        }

        return table.CreateDataReader();
    }
}

internal sealed class CapturingContextFactory(SqlServerCapture capture) : IDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext() => new(capture.Options());
}

internal static class TSql
{
    /// <summary>Parses T-SQL with SQL Server 2022's grammar and returns the syntax errors (none expected).</summary>
    public static IList<ParseError> Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors;
    }

    public static string Describe(IList<ParseError> errors) =>
        string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}, col {e.Column}: {e.Message}"));
}
