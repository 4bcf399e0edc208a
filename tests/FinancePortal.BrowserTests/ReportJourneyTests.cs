using System.Text.RegularExpressions;
using ClosedXML.Excel;
using FinancePortal.TestSupport;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

/// <summary>An analyst generates the monthly supervision report; the download arrives and opens with the expected sheets.</summary>
public class ReportJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Analyst_generates_the_monthly_report_and_downloads_a_workbook_with_every_sheet()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(DemoUsers.Analyst);
        await page.WaitForURLAsync(new Regex("/$"));

        await page.GotoAsync("/reports");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=report-period]")).ToContainTextAsync("2026-10");
        await page.ClickAsync("[data-testid=report-generate]");
        var done = page.Locator("[data-testid=report-done]");
        await Assertions.Expect(done).ToBeVisibleAsync(new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator("[data-testid=report-history] [data-testid=report-download]").First).ToBeVisibleAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => done.Locator("a").ClickAsync());
        var path = Path.Combine(Path.GetTempPath(), "financeportal-tests", $"{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(path);
        try
        {
            using var workbook = new XLWorkbook(path);
            Assert.Equal(["Cover", "Summary", "Trends", "Vintages", "Access decisions", "Alerts and actions", "Data quality"],
                workbook.Worksheets.Select(w => w.Name).ToArray());
            Assert.Contains(workbook.Worksheet("Summary").ColumnsUsed().SelectMany(c => c.CellsUsed()), c => c.GetString() == "QFEN");
        }
        finally
        {
            File.Delete(path);
        }

        await page.Context.CloseAsync();
    }
}
