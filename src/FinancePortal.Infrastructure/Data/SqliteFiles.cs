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
}
