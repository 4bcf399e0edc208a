using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace FinancePortal.Benchmarks.Startup;

/// <summary>
/// The built web app (<c>dotnet FinancePortal.Web.dll</c>) as a child process on a free 127.0.0.1 port, over a given
/// SQLite file. Disposing kills it and its children, always.
/// </summary>
public sealed partial class PortalProcess : IAsyncDisposable
{
    private const int MaxOutputLines = 40;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly Queue<string> _output = new();

    private PortalProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        // Loopback only, no proxy, no redirects: a 302 to the sign-in page is not the sign-in page.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri BaseAddress { get; }

    /// <summary>The web app build this harness was built with (recorded by the project file at build time).</summary>
    public static string WebAppPath()
    {
        var path = typeof(PortalProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "FinancePortal.Web.Path")?.Value;
        return !string.IsNullOrEmpty(path) && File.Exists(path)
            ? path
            : throw new FileNotFoundException($"FinancePortal.Web.dll not found ('{path}'). Build it: dotnet build -c Release tests/FinancePortal.Benchmarks");
    }

    /// <summary>The child process id (e.g. for /proc/&lt;pid&gt;/status).</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts the web app. <paramref name="settings"/> are extra configuration keys as environment variables
    /// (e.g. <c>Security__SignInRateLimit__PermitLimit</c>), applied after the harness's own.
    /// </summary>
    public static PortalProcess Start(string webAppPath, string databasePath, IReadOnlyDictionary<string, string>? settings = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
        var start = new ProcessStartInfo(DotnetHost())
        {
            ArgumentList = { webAppPath },
            // The content root (appsettings.json) is the working directory.
            WorkingDirectory = Path.GetDirectoryName(webAppPath)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Settings inherited from the caller's shell must not change what is measured.
        foreach (var key in start.Environment.Keys.Where(InheritedAppSetting).ToArray())
        {
            start.Environment.Remove(key);
        }

        // A build output run in Production answers static assets with HTTP 500 (NOTES.md).
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Database__MigrateOnStartup"] = "true";
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={databasePath}";
        start.Environment["Seeding__Demo"] = "true";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var portal = new PortalProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => portal.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return portal;
    }

    /// <summary>
    /// Polls GET /Account/Login until it answers 200 and returns the page, or throws after <paramref name="timeout"/>
    /// (measured from <paramref name="startTimestamp"/>) or when the process exits.
    /// </summary>
    public async Task<string> WaitForSignInPageAsync(TimeProvider time, long startTimestamp, TimeSpan timeout, CancellationToken ct)
    {
        var last = "no answer";
        while (time.GetElapsedTime(startTimestamp) is var elapsed && elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web app exited with code {_process.ExitCode}.{Environment.NewLine}{RecentOutput}");
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(timeout - elapsed);
            try
            {
                using var response = await _http.GetAsync("Account/Login", attempt.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Content.ReadAsStringAsync(ct);
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message; // Not listening yet: migrations and seeding run before Kestrel starts.
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                last = "request timed out";
            }

            await Task.Delay(PollInterval, time, ct);
        }

        throw new TimeoutException($"No sign-in page after {timeout.TotalSeconds:0} s (last: {last}).{Environment.NewLine}{RecentOutput}");
    }

    /// <summary>Fetches the MudBlazor stylesheet the page links to; returns its size, or throws if it is not served.</summary>
    public async Task<long> FetchMudBlazorCssAsync(string page, CancellationToken ct)
    {
        var link = MudBlazorCssLink().Match(page);
        if (!link.Success)
        {
            throw new InvalidOperationException("The sign-in page links no MudBlazor stylesheet.");
        }

        using var response = await _http.GetAsync(WebUtility.HtmlDecode(link.Groups[1].Value).TrimStart('/'), ct);
        var css = await response.Content.ReadAsByteArrayAsync(ct);
        return response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "text/css" && css.Length > 0
            ? css.Length
            : throw new InvalidOperationException($"{link.Groups[1].Value}: HTTP {(int)response.StatusCode} {response.Content.Headers.ContentType}, {css.Length} bytes.");
    }

    /// <summary>The child's resident set (VmRSS from /proc/&lt;pid&gt;/status) in bytes; null where /proc is not available.</summary>
    public long? ResidentBytes()
    {
        var status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        return long.TryParse(kb, out var value) ? value * 1024 : null;
    }

    /// <summary>CPU time the child has used so far (user + system, from the process); a figure the machine's other load does not inflate much.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or not gone within 10 s: nothing more a harness can do.
        }
        finally
        {
            _http.Dispose();
            _process.Dispose();
        }
    }

    private string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return "Last output of the web app:" + Environment.NewLine + string.Join(Environment.NewLine, _output);
            }
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > MaxOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private static bool InheritedAppSetting(string key) =>
        new[] { "ASPNETCORE_", "Kestrel__", "ConnectionStrings__", "Database__", "Seeding__" }
            .Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The <c>dotnet</c> host that runs this harness (same runtime), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        // <dotnet root>/shared/Microsoft.NETCore.App/<version>/
        var root = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory()).Parent?.Parent?.Parent;
        var candidates = new[] { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"), root is null ? null : Path.Combine(root.FullName, name) };
        return candidates.FirstOrDefault(File.Exists) ?? name;
    }

    [GeneratedRegex("""<link[^>]+href="([^"]*MudBlazor[^"]*\.css)"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex MudBlazorCssLink();
}
