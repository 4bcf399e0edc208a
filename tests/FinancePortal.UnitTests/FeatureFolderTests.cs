namespace FinancePortal.UnitTests;

/// <summary>
/// Issue 18 item 1: a newcomer finds a feature by one folder name everywhere. Every feature folder of the pages and of
/// the test and benchmark projects is named after a feature of <c>Application/Features</c>, or is one of the
/// cross-cutting folders listed here.
/// </summary>
public class FeatureFolderTests
{
    private static readonly string Root = FindRoot();

    /// <summary>Folders that are not features: layers' plumbing and test harnesses.</summary>
    private static readonly HashSet<string> CrossCutting =
    [
        "Data", "Identity", "Files", "Jobs", "Operations", "Seeding", "Security", "SqlServer", "Resilience", "Load",
        "Authorization", "Startup", "Harness", "Account", "Layout", "Shared",
    ];

    public static TheoryData<string> Layers =>
    [
        "src/FinancePortal.Web/Components/Pages",
        "src/FinancePortal.Infrastructure",
        "tests/FinancePortal.UnitTests",
        "tests/FinancePortal.IntegrationTests",
        "tests/FinancePortal.Benchmarks",
    ];

    [Theory]
    [MemberData(nameof(Layers))]
    public void Every_folder_is_named_after_a_feature(string layer)
    {
        var features = Folders("src/FinancePortal.Application/Features").ToHashSet(StringComparer.Ordinal);
        Assert.Contains("LoanTapes", features);
        var strays = Folders(layer).Where(f => !features.Contains(f) && !CrossCutting.Contains(f)).ToList();
        Assert.True(strays.Count == 0, $"{layer} has folders that are not features of Application/Features: {string.Join(", ", strays)}");
    }

    private static IEnumerable<string> Folders(string relative) =>
        Directory.EnumerateDirectories(Path.Combine(Root, relative))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not ("bin" or "obj" or "Properties" or "Resources" or "Migrations") && !name.StartsWith('.'))
            .Where(name => Directory.EnumerateFiles(Path.Combine(Root, relative, name), "*.*", SearchOption.AllDirectories).Any());

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FinancePortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
