using System.Text.RegularExpressions;
using FinancePortal.Application.Domain;
using FinancePortal.TestSupport;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

public class SignInJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static TheoryData<string, string, string[]> DemoRoles() => new()
    {
        { DemoUsers.Admin, Roles.Admin, ["Home", "Platforms", "Market access", "Scorecards", "Loan tapes", "Risk monitoring", "Alerts", "Audit log", "API tokens", "Users", "Register a platform", "Alert thresholds"] },
        { DemoUsers.Reviewer, Roles.Reviewer, ["Home", "Platforms", "Market access", "Scorecards", "Loan tapes"] },
        { DemoUsers.Approver, Roles.Approver, ["Home", "Platforms", "Market access", "Scorecards", "Loan tapes", "Risk monitoring", "Alerts"] },
        { DemoUsers.RiskOfficer, Roles.RiskOfficer, ["Home", "Platforms", "Market access", "Scorecards", "Loan tapes", "Risk monitoring", "Alerts", "Reports", "Loan extracts"] },
        { DemoUsers.Analyst, Roles.Analyst, ["Home", "Platforms", "Market access", "Scorecards", "Loan tapes", "Risk monitoring", "Alerts", "Reports", "Loan extracts", "Audit log", "API tokens"] },
        { DemoUsers.Operator, Roles.Operator, ["Home", "Platforms", "Market access", "Loan tapes", "Risk monitoring", "Loan extracts", "API tokens"] },
    };

    [Theory]
    [MemberData(nameof(DemoRoles))]
    public async Task Each_demo_role_signs_in_sees_its_home_and_navigation_and_signs_out(string email, string role, string[] navigation)
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(email);

        await page.WaitForURLAsync(new Regex("/$"));
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator($"[data-testid=home-role-{role}]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=scope-description]")).ToBeVisibleAsync();
        var shown = await page.Locator("[data-testid=nav-menu] [data-nav]").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('data-nav'))");
        Assert.Equal(navigation, shown);

        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(new Regex("/Account/Login"));
        await Assertions.Expect(page.Locator("[data-testid=sign-in]")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync(new Regex("/Account/Login"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Operator_sees_their_own_platform_and_not_found_for_another()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(DemoUsers.Operator);
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=own-platform]")).ToContainTextAsync("JDBT");

        await page.ClickAsync("[data-nav=Platforms]");
        await Assertions.Expect(page.Locator("[data-testid=platform-link]")).ToHaveCountAsync(1);
        await page.ClickAsync("[data-testid=platform-link]");
        await Assertions.Expect(page.Locator("[data-testid=platform-title]")).ToContainTextAsync("JDBT");

        // Guess ids around the own platform: every other one must be "not found".
        var ownId = int.Parse(page.Url.Split('/').Last());
        foreach (var guess in new[] { ownId - 1, ownId + 1 }.Where(i => i > 0))
        {
            var response = await page.GotoAsync($"/platforms/{guess}");
            Assert.Equal(404, response!.Status);
            await Assertions.Expect(page.Locator("[data-testid=not-found]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("Hangzhou Huabei");
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(DemoUsers.ReviewerGuangdong, "Not-the-password1!");

        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToHaveTextAsync("Invalid e-mail or password.");
        Assert.EndsWith("/Account/Login", page.Url);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_sixth_attempt_after_five_wrong_passwords_is_locked_out()
    {
        var page = await browser.NewPageAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.SignInAsync(DemoUsers.OperatorHbxy, $"Wrong-password-{attempt}!");
        }

        await page.SignInAsync(DemoUsers.OperatorHbxy);

        await page.WaitForURLAsync(new Regex("/Account/Lockout"));
        await Assertions.Expect(page.Locator("[data-testid=locked-out]")).ToHaveTextAsync("Account locked");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_sign_in_page_switches_to_Chinese()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.ClickAsync("[data-testid=culture-zh-CN]");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("登录");
        await page.ClickAsync("[data-testid=culture-en]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.Context.CloseAsync();
    }
}
