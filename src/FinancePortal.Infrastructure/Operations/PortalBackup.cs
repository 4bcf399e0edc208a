using System.Security.Cryptography;
using System.Text.Json;
using FinancePortal.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace FinancePortal.Infrastructure.Operations;

/// <summary>What a backup holds (manifest.json in the backup folder).</summary>
public sealed record BackupManifest(DateTime CreatedUtc, long DatabaseBytes, int Files, long FileBytes);

/// <summary>
/// <c>dotnet FinancePortal.Web.dll backup &lt;folder&gt;</c> and <c>restore &lt;folder&gt;</c> for the SQLite store and the
/// uploaded-file store, with the same settings as the portal (docs/operations.md). The backup runs while the portal
/// serves users: SQLite's online backup API copies one consistent snapshot of the database (WAL included), then the file
/// store is copied. Files are content-addressed and written before the row that names them commits, so every file the
/// snapshot refers to is already there; each copied file is checked against its SHA-256 name. SQL Server: use the
/// server's native backups (BACKUP DATABASE … WITH COPY_ONLY) plus a copy of the file store, in the same order.
/// </summary>
public static class PortalBackup
{
    public const string DatabaseFile = "financeportal.db";

    public const string FilesFolder = "files";

    public const string ManifestFile = "manifest.json";

    public static async Task<BackupManifest> BackupAsync(IConfiguration configuration, string contentRoot, string folder, CancellationToken ct = default)
    {
        var (databasePath, storageRoot) = Locations(configuration, contentRoot);
        folder = Path.GetFullPath(folder);
        if (File.Exists(Path.Combine(folder, ManifestFile)))
        {
            throw new InvalidOperationException($"{folder} already holds a backup; choose an empty folder.");
        }

        Directory.CreateDirectory(folder);
        var partial = Path.Combine(folder, DatabaseFile + ".partial");
        File.Delete(partial);
        await using (var source = new SqliteConnection($"Data Source={databasePath};Pooling=False"))
        await using (var target = new SqliteConnection($"Data Source={partial};Pooling=False"))
        {
            await source.OpenAsync(ct);
            await target.OpenAsync(ct);
            // One consistent snapshot, while the portal keeps reading and writing.
            source.BackupDatabase(target);
            await using var journal = target.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode=DELETE;";
            await journal.ExecuteNonQueryAsync(ct);
        }

        File.Move(partial, Path.Combine(folder, DatabaseFile), overwrite: true);
        var (files, bytes) = await CopyFilesAsync(storageRoot, Path.Combine(folder, FilesFolder), ct);
        var manifest = new BackupManifest(DateTime.UtcNow, new FileInfo(Path.Combine(folder, DatabaseFile)).Length, files, bytes);
        await File.WriteAllTextAsync(Path.Combine(folder, ManifestFile), JsonSerializer.Serialize(manifest), ct);
        return manifest;
    }

    /// <summary>Puts a backup in place of the configured database and file store. The portal must be stopped.</summary>
    public static async Task<BackupManifest> RestoreAsync(IConfiguration configuration, string contentRoot, string folder, bool overwrite, CancellationToken ct = default)
    {
        var (databasePath, storageRoot) = Locations(configuration, contentRoot);
        folder = Path.GetFullPath(folder);
        var manifestPath = Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            throw new InvalidOperationException($"{folder} holds no backup ({ManifestFile} is missing).");
        }

        if (File.Exists(databasePath) && !overwrite)
        {
            throw new InvalidOperationException("The configured database already exists. Stop the portal and run restore with --overwrite to replace it.");
        }

        SqliteConnection.ClearAllPools();
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        foreach (var stale in new[] { databasePath + "-wal", databasePath + "-shm" })
        {
            File.Delete(stale);
        }

        File.Copy(Path.Combine(folder, DatabaseFile), databasePath, overwrite: true);
        await CopyFilesAsync(Path.Combine(folder, FilesFolder), storageRoot, ct);
        return JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(manifestPath, ct))!;
    }

    private static (string DatabasePath, string StorageRoot) Locations(IConfiguration configuration, string contentRoot)
    {
        var provider = configuration["Database:Provider"] ?? DatabaseOptions.Sqlite;
        if (!string.Equals(provider, DatabaseOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("backup and restore handle the SQLite store. For SQL Server use the server's native backups (BACKUP DATABASE … WITH COPY_ONLY) and copy Storage:Root afterwards; see docs/operations.md.");
        }

        var connectionString = configuration.GetConnectionString(DatabaseOptions.Sqlite)
            ?? throw new InvalidOperationException("Set ConnectionStrings:Sqlite (see appsettings.sample.json).");
        var databasePath = new SqliteConnectionStringBuilder(SqliteFiles.ResolvePath(connectionString, contentRoot)).DataSource;
        var storageRoot = Path.GetFullPath(Path.Combine(contentRoot, configuration["Storage:Root"] is { Length: > 0 } root ? root : "App_Data/files"));
        return (databasePath, storageRoot);
    }

    /// <summary>Copies the content-addressed files (sub/sub/sha256), skipping ones already there; each copy must hash to its name.</summary>
    private static async Task<(int Files, long Bytes)> CopyFilesAsync(string from, string to, CancellationToken ct)
    {
        var files = 0;
        long bytes = 0;
        if (!Directory.Exists(from))
        {
            return (0, 0);
        }

        foreach (var source in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(source);
            if (name.Length != 64 || !name.All(Uri.IsHexDigit))
            {
                continue; // an upload still streaming in (incoming-*.tmp): no row refers to it yet
            }

            var target = Path.Combine(to, Path.GetRelativePath(from, source));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
            {
                var partial = target + ".partial";
                await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
                await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await input.ReadAsync(buffer, ct)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await output.WriteAsync(buffer.AsMemory(0, read), ct);
                    }

                    if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), name, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new InvalidDataException($"Stored file {name} does not match its SHA-256: the file store is damaged; nothing was overwritten.");
                    }
                }

                File.Move(partial, target);
            }

            files++;
            bytes += new FileInfo(target).Length;
        }

        return (files, bytes);
    }
}
