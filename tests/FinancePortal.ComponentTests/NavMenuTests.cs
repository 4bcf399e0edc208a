using Bunit;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Layout;

namespace FinancePortal.ComponentTests;

/// <summary>The navigation shows exactly the sections whose policy the signed-in user's role satisfies.</summary>
public class NavMenuTests : PortalComponentTestBase
{
    private string[] VisibleNavKeys()
    {
        var menu = RenderWithProviders<NavMenu>();
        return menu.FindAll("[data-nav]").Select(e => e.GetAttribute("data-nav")!).ToArray();
    }

    [Fact]
    public async Task Admin_sees_every_section_including_administration()
    {
        await SignInAsAsync(DemoUsers.Admin);

        Assert.Equal(["Home", "Platforms", "Market access", "Scorecards", "Loan tapes", "Risk monitoring", "Alerts", "Audit log", "API tokens", "Users", "Register a platform", "Alert thresholds"], VisibleNavKeys());
    }

    [Fact]
    public async Task Analyst_sees_the_audit_log_but_not_administration()
    {
        await SignInAsAsync(DemoUsers.Analyst);

        Assert.Equal(["Home", "Platforms", "Market access", "Scorecards", "Loan tapes", "Risk monitoring", "Alerts", "Reports", "Loan extracts", "Audit log", "API tokens"], VisibleNavKeys());
    }

    [Fact]
    public async Task Operator_sees_only_home_platforms_and_market_access()
    {
        await SignInAsAsync(DemoUsers.Operator);

        Assert.Equal(["Home", "Platforms", "Market access", "Loan tapes", "Risk monitoring", "Loan extracts", "API tokens"], VisibleNavKeys());
    }

    [Theory]
    [InlineData(DemoUsers.Reviewer)]
    [InlineData(DemoUsers.ReviewerGuangdong)]
    public async Task Reviewers_see_no_monitoring_no_audit_log_and_no_administration(string email)
    {
        await SignInAsAsync(email);

        Assert.Equal(["Home", "Platforms", "Market access", "Scorecards", "Loan tapes"], VisibleNavKeys());
    }

    [Fact]
    public async Task Approvers_see_monitoring_and_alerts_but_no_reports_and_no_audit_log()
    {
        await SignInAsAsync(DemoUsers.Approver);

        Assert.Equal(["Home", "Platforms", "Market access", "Scorecards", "Loan tapes", "Risk monitoring", "Alerts"], VisibleNavKeys());
    }

    [Fact]
    public async Task Risk_officers_see_monitoring_alerts_and_reports_but_no_audit_log()
    {
        await SignInAsAsync(DemoUsers.RiskOfficer);

        Assert.Equal(["Home", "Platforms", "Market access", "Scorecards", "Loan tapes", "Risk monitoring", "Alerts", "Reports", "Loan extracts"], VisibleNavKeys());
    }

    [Fact]
    public void Signed_out_visitor_sees_no_section()
    {
        Assert.Empty(VisibleNavKeys());
    }

    [Fact]
    public async Task Labels_are_the_English_resource_texts_and_the_administration_group_is_titled()
    {
        await SignInAsAsync(DemoUsers.Admin);

        var menu = RenderWithProviders<NavMenu>();

        Assert.Equal("Audit log", menu.Find("[data-nav='Audit log']").TextContent.Trim());
        Assert.Contains("Administration", menu.Find(".mud-nav-group").TextContent);
    }
}
