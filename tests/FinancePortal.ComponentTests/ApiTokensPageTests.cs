using Bunit;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.ApiTokens;

namespace FinancePortal.ComponentTests;

/// <summary>Issue 19 item 1: the API tokens page shows a new secret once, lists tokens and revokes them.</summary>
public class ApiTokensPageTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_operator_creates_a_token_sees_its_secret_once_and_revokes_it()
    {
        await SignInAsAsync(DemoUsers.OperatorHbxy);
        var page = RenderWithProviders<ApiTokensPage>();
        page.WaitForAssertion(() => Assert.Contains("No API tokens yet.", page.Find("[data-testid=token-grid]").TextContent), Timeout);

        page.Find("input[data-testid=token-name]").Change("nightly filing job");
        await page.Find("[data-testid=create-token]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.StartsWith("fpt_", page.Find("[data-testid=token-secret]").TextContent), Timeout);
        var secret = page.Find("[data-testid=token-secret]").TextContent;
        page.WaitForAssertion(() => Assert.Contains("nightly filing job", page.Find("[data-testid=token-grid]").TextContent), Timeout);
        var grid = page.Find("[data-testid=token-grid]").TextContent;
        Assert.Contains(secret[..8], grid);
        Assert.DoesNotContain(secret, grid);
        Assert.Equal("Active", page.Find("[data-testid=token-state]").TextContent.Trim());

        _ = page.Find("[data-testid=revoke-token]").ClickAsync(new()); // the handler waits for the dialog
        var yes = Dialogs.WaitForElement("div.mud-dialog-actions button:last-child", Timeout);
        Assert.Equal("Revoke", yes.TextContent.Trim());
        await yes.ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Revoked", page.Find("[data-testid=token-state]").TextContent.Trim()), Timeout);
        Assert.Empty(page.FindAll("[data-testid=revoke-token]"));
    }

    [Fact]
    public async Task A_too_short_name_is_shown_at_the_field_and_nothing_is_created()
    {
        await SignInAsAsync(DemoUsers.Analyst);
        var page = RenderWithProviders<ApiTokensPage>();

        page.Find("input[data-testid=token-name]").Change("ab");
        await page.Find("[data-testid=create-token]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Give the token a name of 3 to 100 characters", page.Find("input[data-testid=token-name]").Closest(".mud-input-control")!.TextContent), Timeout);
        Assert.Empty(page.FindAll("[data-testid=token-secret]"));
    }

    [Fact]
    public async Task JDBTs_operator_finds_the_seeded_demo_token_without_its_secret()
    {
        await SignInAsAsync(DemoUsers.Operator);
        var page = RenderWithProviders<ApiTokensPage>();

        page.WaitForAssertion(() => Assert.Contains("demo batch job", page.Find("[data-testid=token-grid]").TextContent), Timeout);
        Assert.Contains(FinancePortal.Infrastructure.Seeding.DemoSeeder.DemoApiToken[..8] + "…", page.Find("[data-testid=token-grid]").TextContent);
        Assert.DoesNotContain(FinancePortal.Infrastructure.Seeding.DemoSeeder.DemoApiToken, page.Markup);
    }

    [Fact]
    public async Task An_admin_sees_no_creation_form()
    {
        await SignInAsAsync(DemoUsers.Admin);
        var page = RenderWithProviders<ApiTokensPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=token-grid]"), Timeout);

        Assert.Empty(page.FindAll("[data-testid=create-token]"));
    }
}
