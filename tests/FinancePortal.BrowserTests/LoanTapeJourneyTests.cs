using System.Text.RegularExpressions;
using FinancePortal.TestSupport;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

/// <summary>An operator uploads a loan tape with an error, sees the finding, uploads a corrected file, confirms and signs.</summary>
public class LoanTapeJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static string TapeFile(string name, MemoryStream csv)
    {
        var path = Path.Combine(Path.GetTempPath(), "financeportal-tests", $"{Guid.NewGuid():N}-{name}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, csv.ToArray());
        return path;
    }

    /// <summary>The last month of the demo data (version 1 of it is signed): the month the journey files again.</summary>
    private const string Month = FinancePortal.Infrastructure.Seeding.DemoSeeder.PinnedLastLoanTapePeriod;

    private static async Task UploadAsync(IPage page, string file)
    {
        await page.GotoAsync("/submissions");
        await page.WaitForInteractiveAsync();
        // InputFile wires its change handler in JS after the first interactive render; give it that moment.
        await Assertions.Expect(page.Locator("[data-testid=upload-panel]")).ToBeVisibleAsync();
        // The panel proposes last month by the calendar; the journey files the demo data's last month, whatever today is.
        await page.ChooseAsync("upload-period", Month);
        await page.WaitForTimeoutAsync(750);
        await page.Locator("input[type=file]").SetInputFilesAsync(file);
        await page.WaitForURLAsync(new Regex(@"/submissions/\d+$"), new() { Timeout = 45_000, WaitUntil = WaitUntilState.Commit });
        await page.WaitForInteractiveAsync();
    }

    private static ILocator Step(IPage page, string step) => page.Locator($"[data-testid=filing-steps] [data-step={step}]");

    [Fact]
    public async Task Operator_fixes_an_error_confirms_the_warning_and_signs_version_2_of_the_month()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(DemoUsers.OperatorHbxy);
        await page.WaitForURLAsync(new Regex("/$"));

        // Before uploading: the first step is current and the month's deadline is shown.
        await page.GotoAsync("/submissions");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(Step(page, "upload")).ToHaveAttributeAsync("data-state", "current");
        await page.ChooseAsync("upload-period", Month);
        await Assertions.Expect(page.Locator("[data-testid=upload-deadline]")).ToContainTextAsync("Due by");

        // The demo data already holds version 1 of the month.
        await UploadAsync(page, TapeFile("bad.csv", TapeFiles.Csv("HBXY", Month, 20, i => i == 4 ? [("status", "LATE")] : [])));
        await Assertions.Expect(page.Locator("[data-submission-status=ErrorsToFix]").First).ToBeVisibleAsync();
        await Assertions.Expect(Step(page, "upload")).ToHaveAttributeAsync("data-state", "done");
        await Assertions.Expect(Step(page, "edits")).ToHaveAttributeAsync("data-state", "failed");
        // The failed upload is an upload of the month, not a version.
        await Assertions.Expect(page.Locator("[data-testid=month-uploads]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=month-history] tr[data-version]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=counts-by-code] [data-code=V14]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=findings]")).ToContainTextAsync("T000004");
        await Assertions.Expect(page.Locator("[data-testid=sign]")).ToHaveCountAsync(0);

        await UploadAsync(page, TapeFile("fixed.csv", TapeFiles.Csv("HBXY", Month, 20)));
        // 20 loans against last month's few hundred: the macro edit M01 asks for a confirmation.
        await Assertions.Expect(page.Locator("[data-submission-status=WarningsToConfirm]").First).ToBeVisibleAsync();
        await Assertions.Expect(Step(page, "edits")).ToHaveAttributeAsync("data-state", "done");
        await Assertions.Expect(Step(page, "confirm")).ToHaveAttributeAsync("data-state", "current");
        await page.ClickAsync("[data-testid=confirm-warnings]");
        await Assertions.Expect(page.Locator("[data-submission-status=ReadyToSign]").First).ToBeVisibleAsync();
        await Assertions.Expect(Step(page, "sign")).ToHaveAttributeAsync("data-state", "current");
        var submissionUrl = page.Url;

        await page.ClickAsync("[data-testid=sign]");
        await page.Locator("input[data-testid=attest]").CheckAsync();
        await page.Locator("input[data-testid=attest-name]").FillAsync("Zhou Ting");
        await page.ClickAsync("[data-testid=sign-ok]");

        await Assertions.Expect(page.Locator("[data-testid=submission-version]")).ToHaveTextAsync("Version 2");
        await Assertions.Expect(page.Locator("[data-testid=month-history]")).ToContainTextAsync("v1");
        await Assertions.Expect(Step(page, "sign")).ToHaveAttributeAsync("data-state", "done");

        // The receipt: the confirmation number on the signed submission and on the printable receipt page.
        var number = (await page.Locator("[data-testid=signed-receipt] [data-testid=confirmation-number]").TextContentAsync())!.Trim();
        Assert.Matches("^FP-[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$", number);
        await page.ClickAsync("[data-testid=open-receipt]");
        await page.WaitForURLAsync(new Regex(@"/submissions/\d+/receipt$"));
        await Assertions.Expect(page.Locator("[data-testid=receipt] [data-testid=confirmation-number]")).ToHaveTextAsync(number);
        await Assertions.Expect(page.Locator("[data-testid=receipt-version]")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("[data-testid=receipt-rows]")).ToHaveTextAsync("20");

        // Later: from the submissions list to the month's signed versions, and version 2's receipt again.
        await page.GotoAsync(submissionUrl);
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=month-history] tr[data-version='2'] [data-testid=version-receipt]");
        await page.WaitForURLAsync(new Regex(@"/submissions/\d+/receipt$"));
        await Assertions.Expect(page.Locator("[data-testid=receipt] [data-testid=confirmation-number]")).ToHaveTextAsync(number);

        // The download: one self-contained HTML file with the same number.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=receipt-download]"));
        Assert.Matches(@"^receipt-HBXY-\d{4}-\d{2}-v2\.html$", download.SuggestedFilename);
        var html = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains(number, html);
        await page.Context.CloseAsync();
    }
}
