using System.Text.RegularExpressions;
using FinancePortal.Application;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests.Production;

/// <summary>
/// Issue 16, deliverable 2: through nginx (TLS, affinity, WebSockets) to two Production instances on one database, a
/// user signs in, uploads and signs a tape, and the dashboard's rebuild runs exactly once on whichever instance claims
/// it. The instance serving the circuit is killed: the browser shows the reconnect message, a reload lands on the other
/// instance still signed in, and the signed version is there once.
/// </summary>
public sealed class ProxiedClusterTests
{
    private const string Month = FinancePortal.Infrastructure.Seeding.DemoSeeder.PinnedLastLoanTapePeriod;

    /// <summary>
    /// Reloads the page and returns the instance nginx served it from. Once its circuit is gone Blazor may reload the page
    /// itself at the same moment, and then our reload has no response of its own: reload again (at most three times).
    /// </summary>
    private static async Task<int> ReloadForInstanceAsync(IPage page)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await page.ReloadAsync();
            if (response?.Headers.GetValueOrDefault("x-financeportal-instance") is { } upstream)
            {
                return int.Parse(upstream.Split(',')[^1].Trim().Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"nginx named no instance (status {response?.Status.ToString() ?? "none"}).");
            }

            await page.WaitForLoadStateAsync(LoadState.Load);
        }
    }

    [Fact]
    public async Task Behind_nginx_on_two_instances_a_signed_tape_survives_the_death_of_the_instance_serving_the_circuit()
    {
        await using var cluster = await ProxiedCluster.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = cluster.BaseUrl, IgnoreHTTPSErrors = true, Locale = "en-US" });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();

        await page.SignInAsync(DemoUsers.OperatorHbxy);
        await page.WaitForURLAsync(new Regex("/$"));

        // Upload and sign version 2 of the month (version 1 is in the demo data).
        await page.GotoAsync("/submissions");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=upload-panel]")).ToBeVisibleAsync();
        await page.ChooseAsync("upload-period", Month);
        await page.WaitForTimeoutAsync(750);
        var tape = Path.Combine(Path.GetTempPath(), "financeportal-tests", $"cluster-{Guid.NewGuid():N}.csv");
        await using (var file = File.Create(tape))
        {
            await TapeFiles.Csv("HBXY", Month, 20).CopyToAsync(file);
        }

        await page.Locator("input[type=file]").SetInputFilesAsync(tape);
        await page.WaitForURLAsync(new Regex(@"/submissions/\d+$"), new() { Timeout = 60_000, WaitUntil = WaitUntilState.Commit });
        var submissionId = long.Parse(Regex.Match(page.Url, @"/submissions/(\d+)$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-submission-status=WarningsToConfirm]").First).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=confirm-warnings]");
        await Assertions.Expect(page.Locator("[data-submission-status=ReadyToSign]").First).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=sign]");
        await page.Locator("input[data-testid=attest]").CheckAsync();
        await page.Locator("input[data-testid=attest-name]").FillAsync("Zhou Ting");
        await page.ClickAsync("[data-testid=sign-ok]");
        await Assertions.Expect(page.Locator("[data-testid=submission-version]")).ToHaveTextAsync("Version 2");

        // The rebuild job: claimed by one of the two instances' workers, completed exactly once.
        await using var portal = PortalServices.Open(cluster.DatabasePath);
        var until = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < until && !await JobCompletedAsync(portal, submissionId))
        {
            await Task.Delay(500);
        }

        Assert.True(await JobCompletedAsync(portal, submissionId), "The dashboard's rebuild job did not complete.");
        Assert.Equal(1, await JobCountAsync(portal, submissionId));

        // Which instance serves this browser (affinity cookie), then kill it.
        var served = await ReloadForInstanceAsync(page);
        await page.WaitForInteractiveAsync();
        Assert.Contains(served, cluster.InstancePorts);
        await cluster.KillAsync(served);

        // The circuit is gone: Blazor shows its reconnect message.
        await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToBeAttachedAsync(new() { Timeout = 30_000 });

        // Reload: nginx sends the browser to the other instance, which reads the cookie (shared keys) and the data.
        var other = await ReloadForInstanceAsync(page);
        Assert.NotEqual(served, other);
        Assert.Matches(new Regex($"/submissions/{submissionId}$"), page.Url);
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=submission-version]")).ToHaveTextAsync("Version 2");
        await Assertions.Expect(page.Locator("[data-testid=user-name]")).ToBeAttachedAsync();

        // Nothing lost or duplicated: one version 2 of the month with its 20 loans, one rebuild job.
        await using var system = portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        var versions = await db.LoanSubmissions.Where(s => s.Platform!.Code == "HBXY" && s.Period == Month && s.Version != null).Select(s => s.Version).ToListAsync();
        Assert.Equal([1, 2], versions.Order().ToList());
        Assert.Equal(20, await db.LoanRecords.CountAsync(r => r.SubmissionId == submissionId));
        Assert.Equal(1, await JobCountAsync(portal, submissionId));
        await context.CloseAsync();
        File.Delete(tape);
    }

    private static async Task<bool> JobCompletedAsync(PortalServices portal, long submissionId)
    {
        await using var system = portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await db.MetricsRebuildJobs.AnyAsync(j => j.SubmissionId == submissionId && j.CompletedUtc != null);
    }

    private static async Task<int> JobCountAsync(PortalServices portal, long submissionId)
    {
        await using var system = portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await db.MetricsRebuildJobs.CountAsync(j => j.SubmissionId == submissionId);
    }
}
