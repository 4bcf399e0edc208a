using System.Text.RegularExpressions;
using FinancePortal.TestSupport;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

/// <summary>
/// An operator extracts their platform's loans of one month: only their own platform is offered, the count comes before
/// the download, the CSV arrives with the loans of that month, and the panel follows the export to "Completed".
/// </summary>
public class ExtractJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Month = FinancePortal.Infrastructure.Seeding.DemoSeeder.PinnedLastLoanTapePeriod;

    [Fact]
    public async Task Operator_counts_then_downloads_their_months_loans_as_csv_and_sees_the_export_complete()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(DemoUsers.Operator);
        await page.WaitForURLAsync(new Regex("/$"));
        await page.GotoAsync("/extracts");
        await page.WaitForInteractiveAsync();

        await page.Locator("[data-testid=extract-platform]").ClickAsync();
        var offered = page.Locator(".mud-popover-open .mud-list-item");
        await Assertions.Expect(offered).ToHaveCountAsync(1);
        await Assertions.Expect(offered).ToContainTextAsync("JDBT");
        await offered.ClickAsync();
        await page.ChooseAsync("extract-from", Month);
        await page.ChooseAsync("extract-to", Month);

        await page.ClickAsync("[data-testid=extract-count]");
        var estimate = page.Locator("[data-testid=extract-estimate]");
        await Assertions.Expect(estimate).ToContainTextAsync("in 1 platform-months");
        var loans = long.Parse(Regex.Match(await estimate.InnerTextAsync(), @"^[\d,]+").Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(loans > 50, $"the month has {loans} loans");

        // The link opens in a new tab; Chromium reports the file on the tab or on the page: listen on both before clicking.
        var downloaded = new TaskCompletionSource<IDownload>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Download += (_, file) => downloaded.TrySetResult(file);
        page.Context.Page += (_, tab) => tab.Download += (_, file) => downloaded.TrySetResult(file);
        await page.ClickAsync("[data-testid=extract-csv]");
        var download = await downloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var path = Path.Combine(Path.GetTempPath(), "financeportal-tests", $"{Guid.NewGuid():N}.csv");
        await download.SaveAsAsync(path);
        try
        {
            var lines = File.ReadAllLines(path);
            Assert.StartsWith("Platform,Month,Loan id", lines[0].TrimStart('\uFEFF'));
            Assert.Equal(loans, lines.Length - 1);
            Assert.All(lines.Skip(1), l => Assert.StartsWith($"JDBT,{Month},", l));
        }
        finally
        {
            File.Delete(path);
        }

        await Assertions.Expect(page.Locator("[data-testid=extract-progress]")).ToContainTextAsync("Completed", new() { Timeout = 20_000 });
        await page.Context.CloseAsync();
    }
}
