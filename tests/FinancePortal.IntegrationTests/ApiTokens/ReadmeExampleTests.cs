using System.Net;
using FinancePortal.Infrastructure.Seeding;

namespace FinancePortal.IntegrationTests.ApiTokens;

/// <summary>
/// Issue 19 item 4: the README's two-line example files the sample tape (docs/samples) with the seeded demo token of a
/// fresh demo and gets a submission that is not refused by the edits. The README must show exactly these values.
/// </summary>
public sealed class ReadmeExampleTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    private const string Sample = "docs/samples/jdbt-2026-11.csv";

    [Fact]
    public async Task The_README_example_files_the_sample_tape_with_the_demo_token()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Root(), "README.md"));
        Assert.Contains(DemoSeeder.DemoApiToken, readme);
        Assert.Contains("--data-binary @" + Sample, readme);
        Assert.Contains("/api/v1/filings/2026-11/submissions?fileName=jdbt-2026-11.csv", readme);

        await using var file = File.OpenRead(Path.Combine(Root(), Sample));
        var created = await portal.Bearer(DemoSeeder.DemoApiToken).UploadAsync("2026-11", file, fileName: "jdbt-2026-11.csv");

        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal("JDBT", body.GetProperty("platform").GetString());
        Assert.Contains(body.GetProperty("status").GetString(), new[] { "warnings", "ready" });
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FinancePortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
