using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages;

namespace FinancePortal.ComponentTests;

/// <summary>Each role's card on the home page links to where that role starts its work.</summary>
public class HomeStartingPointsTests : PortalComponentTestBase
{
    [Theory]
    [InlineData(DemoUsers.Operator, Roles.Operator, "submissions,monitoring,applications")]
    [InlineData(DemoUsers.Reviewer, Roles.Reviewer, "applications")]
    [InlineData(DemoUsers.RiskOfficer, Roles.RiskOfficer, "monitoring,alerts,submissions")]
    [InlineData(DemoUsers.Admin, Roles.Admin, "admin/users,scorecards,audit")]
    public async Task A_role_card_links_to_the_roles_starting_points(string email, string role, string hrefs)
    {
        await SignInAsAsync(email);

        var home = RenderWithProviders<Home>();
        home.WaitForElement("[data-testid=scope-description]", TimeSpan.FromSeconds(10));

        var links = home.FindAll($"[data-testid=start-{role}]").Select(a => a.GetAttribute("href")).ToArray();
        Assert.Equal(hrefs.Split(','), links);
    }
}
