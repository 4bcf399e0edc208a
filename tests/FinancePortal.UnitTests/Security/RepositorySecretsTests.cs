using System.Text.RegularExpressions;

namespace FinancePortal.UnitTests.Security;

/// <summary>
/// No secret in the repository: settings hold samples and placeholders only. Scans every text file of the working tree
/// (sources, settings, docs, scripts) for credentials that must come from the environment or a secret store instead.
/// The one documented exception is the demo accounts' password, which exists only while demo seeding is on.
/// </summary>
public partial class RepositorySecretsTests
{
    private static readonly string[] TextExtensions = [".cs", ".razor", ".json", ".md", ".xml", ".config", ".yml", ".yaml", ".props", ".targets", ".csproj", ".sh", ".txt", ".env", ".ps1", ""];

    private static readonly string[] SkippedFolders = ["bin", "obj", ".git", "node_modules", "TestResults", "App_Data", "corpus"];

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FinancePortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    private static IEnumerable<string> TextFiles(string root)
    {
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in dir.EnumerateDirectories().Where(d => !SkippedFolders.Contains(d.Name, StringComparer.OrdinalIgnoreCase)))
            {
                pending.Push(sub);
            }

            foreach (var file in dir.EnumerateFiles().Where(f => TextExtensions.Contains(f.Extension, StringComparer.OrdinalIgnoreCase) && f.Length < 2_000_000))
            {
                yield return file.FullName;
            }
        }
    }

    /// <summary>What a leaked credential looks like; each finding names the file and the line.</summary>
    public static IReadOnlyList<string> Findings(string path, string text)
    {
        var findings = new List<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            foreach (var (name, pattern) in Patterns)
            {
                if (pattern.Match(line) is { Success: true } m && !IsPlaceholder(m.Groups["value"].Value))
                {
                    findings.Add($"{path}:{i + 1}: {name}");
                }
            }
        }

        return findings;
    }

    private static readonly (string Name, Regex Pattern)[] Patterns =
    [
        ("private key", PrivateKey()),
        ("password in a connection string", ConnectionStringPassword()),
        ("storage or service-bus key", AccountKey()),
        ("AWS access key id", AwsKey()),
        ("GitHub token", GitHubToken()),
        ("client secret", ClientSecret()),
    ];

    /// <summary>Placeholders and the documented demo password are not secrets.</summary>
    private static bool IsPlaceholder(string value) =>
        value.Length == 0 || value is "…" or "..." || value.StartsWith('<') || value.StartsWith('{') || value.StartsWith('$') || value.StartsWith('%')
        || value.Contains("example", StringComparison.OrdinalIgnoreCase) || value.Contains("placeholder", StringComparison.OrdinalIgnoreCase)
        || value is "Demo!Portal2026" || value.Contains("secret-store", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void No_file_in_the_repository_holds_a_credential()
    {
        var root = RepoRoot();
        var files = TextFiles(root).ToList();
        Assert.True(files.Count > 100, $"only {files.Count} files scanned");
        var findings = files.SelectMany(f => Findings(Path.GetRelativePath(root, f), File.ReadAllText(f))).ToList();
        Assert.True(findings.Count == 0, "Credentials in the repository (move them to environment variables or a secret store):\n" + string.Join("\n", findings));
    }

    [Theory]
    // The samples are split so that this file does not itself hold a credential-shaped line.
    [InlineData("\"SqlServer\": \"Server=db;Database=FP;User Id=app;Pass" + "word=Hunter2!x;Encrypt=True\"", "password in a connection string")]
    [InlineData("-----BEGIN RSA PRIVATE" + " KEY-----", "private key")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=fp;Account" + "Key=q1w2e3r4t5y6u7i8o9p0q1w2e3r4t5y6u7i8o9p0==", "storage or service-bus key")]
    [InlineData("aws_access_key_id = AKIA" + "IOSFODNN7REALKEY", "AWS access key id")]
    [InlineData("token: ghp" + "_0123456789abcdefghijABCDEFGHIJ012345", "GitHub token")]
    [InlineData("\"Client" + "Secret\": \"8Q~abcDEF123ghiJKL456mnoPQR\"", "client secret")]
    public void The_scanner_recognises_each_kind_of_credential(string line, string kind) =>
        Assert.Equal([$"appsettings.json:1: {kind}"], Findings("appsettings.json", line));

    [Theory]
    [InlineData("\"SqlServer\": \"Server=sql.example.internal;Database=FinancePortal;User Id=financeportal_app;Password=<from-secret-store>;Encrypt=True\"")]
    [InlineData("\"DemoPassword\": \"Demo!Portal2026\"")]
    [InlineData("Password=${SQL_PASSWORD}")]
    [InlineData("\"ClientSecret\": \"\"")]
    public void Placeholders_and_the_documented_demo_password_are_not_findings(string line) => Assert.Empty(Findings("appsettings.json", line));

    [GeneratedRegex("(?<value>-----BEGIN (RSA |EC |OPENSSH |DSA |ENCRYPTED )?PRIVATE KEY-----)")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"(?i)[;""']\s*(password|pwd)\s*=\s*(?<value>[^;""'\s]*)")]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?i)(AccountKey|SharedAccessKey)\s*=\s*(?<value>[A-Za-z0-9+/=]{20,})")]
    private static partial Regex AccountKey();

    [GeneratedRegex(@"\b(?<value>AKIA[0-9A-Z]{16})\b")]
    private static partial Regex AwsKey();

    [GeneratedRegex(@"\b(?<value>gh[pousr]_[A-Za-z0-9]{30,})\b")]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"(?i)""client_?secret""\s*:\s*""(?<value>[^""]*)""")]
    private static partial Regex ClientSecret();
}
