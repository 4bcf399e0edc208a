using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages;

namespace FinancePortal.ComponentTests;

/// <summary>The home page explains who you are: your role and the data scope the portal applies to you.</summary>
public class HomeTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private IRenderedComponent<Home> RenderHome()
    {
        var home = RenderWithProviders<Home>();
        home.WaitForElement("[data-testid=scope-description]", Timeout);
        return home;
    }

    private static string[] RoleCards(IRenderedComponent<Home> home) =>
        home.FindAll("[data-testid^='home-role-']").Select(c => c.GetAttribute("data-testid")!).ToArray();

    [Theory]
    [InlineData(DemoUsers.Admin, Roles.Admin, "Administrator", "National", 15)]
    [InlineData(DemoUsers.Reviewer, Roles.Reviewer, "Reviewer", "National", 15)]
    [InlineData(DemoUsers.ReviewerGuangdong, Roles.Reviewer, "Reviewer", "Provinces: Guangdong", 3)]
    [InlineData(DemoUsers.Analyst, Roles.Analyst, "Analyst", "National", 15)]
    [InlineData(DemoUsers.Operator, Roles.Operator, "Platform operator", "Own platform: JDBT", 1)]
    public async Task Home_shows_the_users_role_card_and_data_scope(string email, string role, string roleTitle, string scope, int platformCount)
    {
        await SignInAsAsync(email);

        var home = RenderHome();

        Assert.Equal([$"home-role-{role}"], RoleCards(home));
        Assert.Contains(roleTitle, home.Find($"[data-testid=home-role-{role}]").TextContent);
        Assert.Equal(scope, home.Find("[data-testid=scope-description]").TextContent.Trim());
        Assert.Contains($"{platformCount} platform(s) visible to you", home.Find("[data-testid=scope-card]").TextContent);
    }

    [Fact]
    public async Task Home_greets_the_signed_in_user_by_name()
    {
        var user = await SignInAsAsync(DemoUsers.Analyst);

        var home = RenderHome();

        Assert.Equal($"Welcome, {user.UserName}", home.Find("h1").TextContent.Trim());
    }

    [Fact]
    public async Task Operator_sees_their_own_platform_with_a_link_and_its_licence_status()
    {
        await SignInAsAsync(DemoUsers.Operator);

        var home = RenderHome();

        var own = home.Find("[data-testid=own-platform]");
        var link = own.QuerySelector("a")!;
        Assert.Equal("JDBT · Beijing Jingbai Consumer Credit Co., Ltd.", link.TextContent.Trim());
        Assert.Matches("^platforms/[0-9]+$", link.GetAttribute("href"));
        Assert.Equal("Licensed", own.QuerySelector("[data-status]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Regulator_staff_have_no_own_platform_card()
    {
        await SignInAsAsync(DemoUsers.Reviewer);

        var home = RenderHome();

        Assert.Empty(home.FindAll("[data-testid=own-platform]"));
    }

    [Fact]
    public async Task Role_description_comes_from_the_resources()
    {
        await SignInAsAsync(DemoUsers.Approver);

        var home = RenderHome();

        Assert.Contains(
            "Decide applications you did not review (four eyes); suspend or revoke licences.",
            home.Find($"[data-testid=home-role-{Roles.Approver}]").TextContent);
    }
}
