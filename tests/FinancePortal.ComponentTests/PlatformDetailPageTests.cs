using Bunit;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Platforms;

namespace FinancePortal.ComponentTests;

/// <summary>The platform page: details in the user's scope, and the licence change offered to Approvers only.</summary>
public class PlatformDetailPageTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The id of a platform, looked up by a national reviewer (the rendered page uses the signed-in user's scope).</summary>
    private async Task<int> IdOfAsync(string code)
    {
        await using var reviewer = await ActAsAsync(DemoUsers.Reviewer);
        var page = await reviewer.Get<PlatformService>().GetPageAsync(new PlatformQuery { Search = code });
        return page.Items.Single(p => p.Code == code).Id;
    }

    private async Task<IRenderedComponent<PlatformDetailPage>> RenderPlatformAsync(string code)
    {
        var id = await IdOfAsync(code);
        var page = RenderWithProviders<PlatformDetailPage>((nameof(PlatformDetailPage.Id), id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")), Timeout);
        return page;
    }

    [Fact]
    public async Task Shows_the_platforms_details_with_capital_in_yuan()
    {
        await SignInAsAsync(DemoUsers.Reviewer);

        var page = await RenderPlatformAsync("HBXY");

        Assert.Equal("HBXY · Hangzhou Huabei Xinyong Microcredit Co., Ltd.", page.Find("[data-testid=platform-title]").TextContent.Trim());
        Assert.Equal("¥12,000,000,000.00", page.Find("[data-testid=registered-capital]").TextContent.Trim());
        Assert.Equal("Licensed", page.Find("[data-status]").TextContent.Trim());
    }

    [Theory]
    [InlineData(DemoUsers.Approver, true, false)]
    [InlineData(DemoUsers.Admin, false, true)]
    [InlineData(DemoUsers.Reviewer, false, false)]
    [InlineData(DemoUsers.Operator, false, false)]
    public async Task Licence_change_is_offered_to_approvers_and_editing_to_admins(string email, bool canChangeLicence, bool canEdit)
    {
        await SignInAsAsync(email);

        var page = await RenderPlatformAsync("JDBT");

        Assert.Equal(canChangeLicence, page.FindAll("[data-testid=change-licence]").Count == 1);
        Assert.Equal(canEdit, page.FindAll("a").Any(a => a.GetAttribute("href")?.EndsWith("/edit", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Operator_opening_another_platform_sees_not_found()
    {
        await SignInAsAsync(DemoUsers.Operator);

        var page = await RenderPlatformAsync("HBXY");

        Assert.Empty(page.FindAll("[data-testid=platform-title]"));
        Assert.Contains("Not found", page.Find("h1").TextContent);
        Assert.DoesNotContain("Hangzhou", page.Markup);
    }

    [Fact]
    public async Task Approver_suspends_a_licence_through_the_dialog_and_the_page_shows_the_new_status_and_history()
    {
        await SignInAsAsync(DemoUsers.Approver);
        var page = await RenderPlatformAsync("MSXF");

        page.Find("[data-testid=change-licence]").Click();
        Dialogs.WaitForElement("textarea", Timeout).Change("Overdue loan data for three consecutive months.");
        Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Change licence status").Click();

        page.WaitForAssertion(() => Assert.Equal("Suspended", page.Find("[data-status]").TextContent.Trim()), Timeout);
        var latest = page.Find("[data-testid=licence-history] .mud-timeline-item");
        Assert.Contains("Licensed → Suspended", latest.TextContent);
        Assert.Contains("Overdue loan data for three consecutive months.", latest.TextContent);
        Assert.Contains(DemoUsers.Approver, latest.TextContent);
    }
}
