using System.Data.Common;
using FinancePortal.Application;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace FinancePortal.Infrastructure.Data;

/// <summary>Tells a lost or unreachable database apart from errors in the data (constraints, concurrency, bugs).</summary>
public static class DatabaseFailures
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB, SQLITE_READONLY.
    private static readonly HashSet<int> SqliteUnavailable = [5, 6, 10, 11, 13, 14, 26, 8];

    // Network, login and availability errors of SQL Server and Azure SQL (connection-level, not the statement's fault).
    private static readonly HashSet<int> SqlServerUnavailable =
        [-2, -1, 2, 53, 64, 233, 1205, 4060, 4221, 10053, 10054, 10060, 10928, 10929, 11001, 18456, 40143, 40197, 40501, 40613, 49918, 49919, 49920];

    /// <summary>True when <paramref name="exception"/> (or one it wraps) says the database cannot be reached now.</summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case DatabaseUnavailableException or RetryLimitExceededException:
                    return true;
                case SqliteException sqlite when SqliteUnavailable.Contains(sqlite.SqliteErrorCode):
                    return true;
                case SqlException sql when sql.Class >= 20 || sql.Errors.Cast<SqlError>().Any(e => SqlServerUnavailable.Contains(e.Number)):
                    return true;
                case DbException { IsTransient: true }:
                    return true;
                case TimeoutException:
                    return true;
            }
        }

        return false;
    }
}
