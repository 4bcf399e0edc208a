using FinancePortal.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.TestSupport;

/// <summary>
/// Real SQLite files for tests. The demo database is migrated and seeded once per test run; each test gets its own
/// copy, so tests never share mutable state.
/// </summary>
public static class TestDatabase
{
    private static readonly Lazy<Task<string>> SeededTemplate = new(() => CreateTemplateAsync(seedDemo: true));
    private static readonly Lazy<Task<string>> EmptyTemplate = new(() => CreateTemplateAsync(seedDemo: false));

    /// <summary>Demo loan tapes at a fifth of the demo size: every feature has data, tests stay fast.</summary>
    public const string LoanTapeScale = "0.2";

    /// <summary>One content-addressed file store for all tests (files are keyed by their hash, so sharing is safe).</summary>
    public static string FileStoreRoot { get; } = Path.Combine(Path.GetTempPath(), "financeportal-tests", "files");

    public static string NewPath() => Path.Combine(Path.GetTempPath(), "financeportal-tests", $"{Guid.NewGuid():N}.db");

    /// <summary>A fresh copy of the migrated database with the demo data and demo accounts.</summary>
    public static Task<string> CreateSeededCopyAsync() => CopyAsync(SeededTemplate.Value);

    /// <summary>A fresh copy of the migrated database with only the six roles.</summary>
    public static Task<string> CreateEmptyCopyAsync() => CopyAsync(EmptyTemplate.Value);

    public static string ConnectionString(string path) => $"Data Source={path}";

    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A file still open elsewhere is left to the OS temp cleaner.
            }
        }

        try
        {
            if (Directory.Exists(StagingRoot(path)))
            {
                Directory.Delete(StagingRoot(path), recursive: true);
            }
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }

    /// <summary>Where a test database's checks stage the rows of clean files (one folder per database, so tests never share them).</summary>
    public static string StagingRoot(string databasePath) => databasePath + ".staged";

    private static async Task<string> CopyAsync(Task<string> template)
    {
        var source = await template;
        var path = NewPath();
        File.Copy(source, path);
        return path;
    }

    private static async Task<string> CreateTemplateAsync(bool seedDemo)
    {
        var path = NewPath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var services = new ServiceCollection();
        services.AddPortalForTests(path, seedDemo);
        await using (var provider = services.BuildServiceProvider())
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        }

        // Fold the write-ahead log into the main file so that a plain file copy carries everything.
        await using (var connection = new SqliteConnection(ConnectionString(path)))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        return path;
    }
}
