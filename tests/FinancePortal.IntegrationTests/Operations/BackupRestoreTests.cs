using System.Diagnostics;
using System.Security.Cryptography;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Operations;

/// <summary>
/// Issue 16, deliverable 6: `dotnet FinancePortal.Web.dll backup &lt;folder&gt;` copies the SQLite store and the file store
/// while the portal runs (here: while an upload is streaming), `restore` puts the copy in a fresh place, and a portal
/// started on it finds every signed version, document, report and audit entry with their hashes intact.
/// </summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "financeportal-tests", $"backup-{Guid.NewGuid():N}");
    private readonly IsolatedStore _live;

    // The live portal uses the tests' shared file store, where the seeded demo's signed tapes are.
    public BackupRestoreTests() => _live = new IsolatedStore(null, TestDatabase.FileStoreRoot);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _live.DisposeAsync();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }

    private sealed record Snapshot(HashSet<string> Versions, HashSet<string> Documents, HashSet<string> Reports, HashSet<long> Audit);

    private static async Task<Snapshot> SnapshotAsync(PortalAppFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System);
        var versions = await db.LoanSubmissions.Where(s => s.Version != null).Select(s => s.Id + ":" + s.Version + ":" + s.FileSha256).ToListAsync();
        var documents = await db.ApplicationDocuments.Select(d => d.Id + ":" + d.Sha256).ToListAsync();
        var reports = await db.GeneratedReports.Select(r => r.Id + ":" + r.Sha256).ToListAsync();
        var audit = await db.AuditEntries.Select(a => a.Id).ToListAsync();
        return new Snapshot([.. versions], [.. documents], [.. reports], [.. audit]);
    }

    private static async Task<int> RunWebAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FinancePortal.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', args)} exited {process.ExitCode}: {await output} {await error}");
        return process.ExitCode;
    }

    [Fact]
    public async Task A_backup_taken_during_an_upload_restores_into_a_portal_with_everything_signed_documents_reports_and_audit()
    {
        // Data of every kind: a document and a report on top of the demo's signed tapes and audit log.
        await using (var op = await _live.ActAsAsync(DemoUsers.Operator))
        {
            var apps = op.ServiceProvider.GetRequiredService<ApplicationService>();
            var open = (await apps.GetQueueAsync(new ApplicationQuery { State = ApplicationState.InformationRequested })).Items.Single();
            await op.ServiceProvider.GetRequiredService<DocumentService>().UploadAsync(open.Id, "plan.pdf", new MemoryStream("%PDF-1.7\nbackup test\n%%EOF"u8.ToArray()));
        }

        await using (var analyst = await _live.ActAsAsync(DemoUsers.Analyst))
        {
            await analyst.ServiceProvider.GetRequiredService<ReportService>().GenerateAsync(new ReportRequest("2026-10"));
        }

        var before = await SnapshotAsync(_live);
        Assert.NotEmpty(before.Versions);
        Assert.NotEmpty(before.Documents);
        Assert.NotEmpty(before.Reports);

        // An upload streams into the file store while the backup runs.
        var gate = new SemaphoreSlim(0);
        var tape = TapeFiles.Csv("JDBT", "2026-11", 2_000);
        Task<SubmitResult> upload;
        var scope = await _live.ActAsAsync(DemoUsers.Operator);
        await using (scope)
        {
            upload = scope.ServiceProvider.GetRequiredService<SubmissionService>().SubmitAsync("2026-11", "november.csv", new PausingStream(tape, gate));
            var backup = Path.Combine(_work, "backup");
            await RunWebAsync(["backup", backup, .. _live.Settings]);
            gate.Release();
            await upload;

            Assert.True(File.Exists(Path.Combine(backup, "financeportal.db")));
            var restoredDb = Path.Combine(_work, "restored", "portal.db");
            var restoredFiles = Path.Combine(_work, "restored", "files");
            await using var restored = new IsolatedStore(restoredDb, restoredFiles);
            await RunWebAsync(["restore", backup, .. restored.Settings]);

            var after = await SnapshotAsync(restored);
            Assert.Superset(before.Versions, after.Versions);
            Assert.Superset(before.Documents, after.Documents);
            Assert.Superset(before.Reports, after.Reports);
            Assert.Superset(before.Audit, after.Audit);

            // Hashes intact: every signed tape's and report's stored file hashes to its recorded SHA-256, every document's content too.
            foreach (var sha in after.Versions.Select(v => v.Split(':')[2]).Concat(after.Reports.Select(r => r.Split(':')[1])).Distinct())
            {
                var path = Path.Combine(restoredFiles, sha[..2], sha[2..4], sha);
                Assert.True(File.Exists(path), $"restored file store lacks {sha}");
                Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));
            }

            await using var check = restored.Services.CreateAsyncScope();
            await using var db = await check.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System);
            foreach (var document in await db.ApplicationDocuments.Select(d => new { d.Sha256, d.Content!.Bytes }).ToListAsync())
            {
                Assert.Equal(document.Sha256, Convert.ToHexStringLower(SHA256.HashData(document.Bytes)));
            }

            var client = restored.CreatePortalClient();
            await client.SignInAsync(DemoUsers.Analyst);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/audit")).StatusCode);
        }
    }

    /// <summary>The portal over a given database file (or its own seeded copy) and its own file store.</summary>
    private sealed class IsolatedStore(string? databasePath, string fileRoot) : PortalAppFactory
    {
        public string Database => databasePath ?? DatabasePath;

        public string[] Settings =>
        [
            "--Database:Provider=Sqlite",
            $"--ConnectionStrings:Sqlite=Data Source={Database}",
            $"--Storage:Root={fileRoot}",
        ];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Sqlite", TestDatabase.ConnectionString(Database));
            builder.UseSetting("Storage:Root", fileRoot);
        }
    }

    /// <summary>Hands out the first 64 KB, then waits for the gate before the rest: an upload in progress.</summary>
    private sealed class PausingStream(Stream inner, SemaphoreSlim gate) : Stream
    {
        private bool _paused;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (!_paused && inner.Position >= 64 * 1024)
            {
                _paused = true;
                await gate.WaitAsync(cancellationToken);
            }

            return await inner.ReadAsync(buffer.AsMemory(offset, Math.Min(count, 16 * 1024)), cancellationToken);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(ReadArrayAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private async Task<int> ReadArrayAsync(Memory<byte> buffer, CancellationToken ct)
        {
            var array = new byte[buffer.Length];
            var n = await ReadAsync(array, 0, array.Length, ct);
            array.AsSpan(0, n).CopyTo(buffer.Span);
            return n;
        }
    }
}
