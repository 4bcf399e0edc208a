using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FinancePortal.TestSupport;

namespace FinancePortal.BrowserTests.Production;

/// <summary>
/// Production as deployed: nginx (Debian package, run as a child process with its own config, prefix and pid under a
/// temp folder) terminates TLS with a self-signed certificate (openssl) on a loopback port and proxies, with cookie
/// affinity and WebSockets, to two portal instances — separate `dotnet FinancePortal.Web.dll` processes of the
/// published portal in the Production environment, on one SQLite file (WAL) and one file store, sharing the
/// data-protection key ring through the database (encrypted with the same test certificate). The nginx configuration is
/// docs/nginx/financeportal.conf.template, the one deployment.md documents.
/// A build output run in Production answers static assets with 500 (they are mapped only for published output), so the
/// fixture publishes the already built portal first (`dotnet publish --no-build`).
/// </summary>
public sealed class ProxiedCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "financeportal-tests", $"cluster-{Guid.NewGuid():N}");
    private readonly Dictionary<int, Process> _instances = [];
    private Process? _nginx;

    public string DatabasePath { get; private set; } = "";

    public string BaseUrl { get; private set; } = "";

    /// <summary>The loopback ports of the running instances.</summary>
    public IReadOnlyCollection<int> InstancePorts => _instances.Keys;

    public static async Task<ProxiedCluster> StartAsync()
    {
        var cluster = new ProxiedCluster();
        try
        {
            await cluster.StartInternalAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartInternalAsync()
    {
        Directory.CreateDirectory(_root);
        var publish = Path.Combine(_root, "publish");
        await RunAsync("dotnet", ["publish", Path.Combine(RepositoryRoot, "src", "FinancePortal.Web", "FinancePortal.Web.csproj"), "--no-build", "-c", Configuration, "-o", publish]);

        var cert = Path.Combine(_root, "cert.pem");
        var key = Path.Combine(_root, "key.pem");
        await RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost", "-keyout", key, "-out", cert]);

        DatabasePath = await TestDatabase.CreateSeededCopyAsync();
        var ports = new[] { FreePort(), FreePort() };
        foreach (var port in ports)
        {
            _instances[port] = StartInstance(publish, port);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var port in ports)
        {
            await WaitUntilAsync(async () => (await http.GetAsync($"http://127.0.0.1:{port}/health")).IsSuccessStatusCode, TimeSpan.FromMinutes(2), $"instance on {port}", _instances[port]);
        }

        var nginxPort = FreePort();
        var prefix = Path.Combine(_root, "nginx");
        Directory.CreateDirectory(prefix);
        var config = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "nginx", "financeportal.conf.template"))
            .Replace("{{PREFIX}}", prefix, StringComparison.Ordinal)
            .Replace("{{PORT}}", nginxPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{CERT}}", cert, StringComparison.Ordinal)
            .Replace("{{KEY}}", key, StringComparison.Ordinal)
            .Replace("{{INSTANCE1}}", $"127.0.0.1:{ports[0]}", StringComparison.Ordinal)
            .Replace("{{INSTANCE2}}", $"127.0.0.1:{ports[1]}", StringComparison.Ordinal);
        var configPath = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(configPath, config);
        var start = new ProcessStartInfo(NginxPath) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-c", configPath, "-p", prefix, "-g", "daemon off;" })
        {
            start.ArgumentList.Add(arg);
        }

        _nginx = Process.Start(start)!;
        _nginx.BeginErrorReadLine();
        _nginx.BeginOutputReadLine();
        BaseUrl = $"https://localhost:{nginxPort}";
        using var insecure = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator }) { Timeout = TimeSpan.FromSeconds(5) };
        await WaitUntilAsync(async () => (await insecure.GetAsync(BaseUrl + "/health")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "nginx", _nginx);
    }

    /// <summary>Kills the instance on <paramref name="port"/> (the whole process, at once).</summary>
    public async Task KillAsync(int port)
    {
        var process = _instances[port];
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        _instances.Remove(port);
        process.Dispose();
    }

    private Process StartInstance(string publish, int port)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = publish };
        start.ArgumentList.Add(Path.Combine(publish, "FinancePortal.Web.dll"));
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(key);
        }

        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Database__Provider"] = "Sqlite",
            ["Database__MigrateOnStartup"] = "true",
            ["ConnectionStrings__Sqlite"] = TestDatabase.ConnectionString(DatabasePath),
            ["Seeding__Demo"] = "true",
            ["Seeding__LoanTapeScale"] = TestDatabase.LoanTapeScale,
            ["Seeding__LastLoanTapePeriod"] = FinancePortal.Infrastructure.Seeding.DemoSeeder.PinnedLastLoanTapePeriod,
            ["Storage__Root"] = TestDatabase.FileStoreRoot,
            ["Storage__StagingRoot"] = TestDatabase.StagingRoot(DatabasePath),
            ["ForwardedHeaders__Enabled"] = "true",
            ["DataProtection__Certificate__Path"] = TestCertificates.DataProtectionPfx,
            ["DataProtection__Certificate__Password"] = TestCertificates.Password,
            ["Security__SignInRateLimit__PermitLimit"] = "1000",
            ["Monitoring__PollInterval"] = "00:00:02",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> ready, TimeSpan timeout, string what, Process process)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited with {process.ExitCode} while starting.");
            }

            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{what} did not become healthy within {timeout.TotalSeconds:0} s.");
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await output} {await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string NginxPath => File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx"
        : throw new InvalidOperationException("nginx is missing: .ci/run installs it (apt-get install -y nginx).");

    /// <summary>Debug or Release: the configuration these tests were built in (bin/&lt;Configuration&gt;/net10.0).</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FinancePortal.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("FinancePortal.sln not found above the test output.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var port in _instances.Keys.ToArray())
        {
            await KillAsync(port);
        }

        if (_nginx is { HasExited: false })
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }

        _nginx?.Dispose();
        if (DatabasePath.Length > 0)
        {
            TestDatabase.Delete(DatabasePath);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }
}
