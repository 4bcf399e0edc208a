using AngleSharp.Dom;
using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Platforms;

namespace FinancePortal.ComponentTests;

/// <summary>The platform grid pages, filters and formats on the server, inside the signed-in user's data scope.</summary>
public class PlatformListTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>PlatformFilters' DebounceInterval; MudBlazor times it with the injected (fake) clock.</summary>
    private static readonly TimeSpan SearchDebounce = TimeSpan.FromMilliseconds(300);

    private static string[] Codes(IRenderedComponent<PlatformList> list) =>
        list.FindAll("[data-testid=platform-grid] tbody [data-testid=platform-link]").Select(a => a.TextContent.Trim()).ToArray();

    private static string PagerCaption(IRenderedComponent<PlatformList> list) =>
        list.FindAll(".mud-table-pagination-caption").Last().TextContent.Trim();

    private static IElement RowOf(IRenderedComponent<PlatformList> list, string code) =>
        list.FindAll("[data-testid=platform-grid] tbody tr").Single(r => r.QuerySelector("[data-testid=platform-link]")?.TextContent.Trim() == code);

    private IRenderedComponent<PlatformList> RenderLoaded(int expectedRows)
    {
        var list = RenderWithProviders<PlatformList>();
        list.WaitForAssertion(() => Assert.Equal(expectedRows, Codes(list).Length), Timeout);
        return list;
    }

    [Fact]
    public async Task National_reviewer_sees_all_fifteen_platforms_on_the_first_page_of_25_ordered_by_code()
    {
        await SignInAsAsync(DemoUsers.Reviewer);

        var list = RenderLoaded(15);

        Assert.Equal(
            ["FQLE", "HBXY", "HXFD", "JDBT", "KFEN", "MSXF", "NBXH", "PDJF", "QFEN", "SNRX", "TJDF", "WZCB", "XMHX", "YNHT", "ZSXJ"],
            Codes(list));
        Assert.Equal("1-15 of 15", PagerCaption(list));
    }

    [Fact]
    public async Task With_ten_rows_per_page_the_fifteen_platforms_span_two_server_pages()
    {
        await SignInAsAsync(DemoUsers.Reviewer);
        var list = RenderLoaded(15);

        Choose(list.Find("div.mud-input-control.mud-table-pagination-select"), "10");

        list.WaitForAssertion(() => Assert.Equal("1-10 of 15", PagerCaption(list)), Timeout);
        Assert.Equal(["FQLE", "HBXY", "HXFD", "JDBT", "KFEN", "MSXF", "NBXH", "PDJF", "QFEN", "SNRX"], Codes(list));

        list.Find("button[aria-label='Next page']").Click();

        list.WaitForAssertion(() => Assert.Equal(["TJDF", "WZCB", "XMHX", "YNHT", "ZSXJ"], Codes(list)), Timeout);
        Assert.Equal("11-15 of 15", PagerCaption(list));
    }

    [Fact]
    public async Task Operator_sees_exactly_their_own_platform()
    {
        await SignInAsAsync(DemoUsers.Operator);

        var list = RenderLoaded(1);

        Assert.Equal(["JDBT"], Codes(list));
        Assert.Equal("1-1 of 1", PagerCaption(list));
    }

    [Fact]
    public async Task Guangdong_reviewer_sees_exactly_the_three_Guangdong_platforms()
    {
        await SignInAsAsync(DemoUsers.ReviewerGuangdong);

        var list = RenderLoaded(3);

        Assert.Equal(["FQLE", "QFEN", "ZSXJ"], Codes(list));
        Assert.All(list.FindAll("tbody td[data-label='Province']"), td => Assert.Equal("Guangdong", td.TextContent.Trim()));
    }

    [Fact]
    public void A_principal_claiming_a_regulator_role_without_a_user_row_sees_no_platforms()
    {
        // The data scope comes from the user row, not from the role claim.
        SignInAs(new UserContext("no-such-user-id", "mallory@example.com", [Roles.Reviewer]));

        var list = RenderWithProviders<PlatformList>();

        list.WaitForAssertion(() => Assert.Contains("No platforms match.", list.Find("[data-testid=platform-grid]").TextContent), Timeout);
        Assert.Empty(Codes(list));
    }

    [Fact]
    public async Task Registered_capital_shows_as_yuan_with_two_decimals()
    {
        await SignInAsAsync(DemoUsers.Reviewer);

        var list = RenderLoaded(15);

        Assert.Equal("¥8,000,000,000.00", RowOf(list, "JDBT").QuerySelector("td[data-label='Registered capital (RMB)']")!.TextContent.Trim());
        Assert.Equal("¥600,000,000.00", RowOf(list, "TJDF").QuerySelector("td[data-label='Registered capital (RMB)']")!.TextContent.Trim());
    }

    [Fact]
    public async Task Kind_and_status_are_shown_with_their_English_labels()
    {
        await SignInAsAsync(DemoUsers.Reviewer);

        var list = RenderLoaded(15);

        var snrx = RowOf(list, "SNRX");
        Assert.Equal("E-commerce ecosystem", snrx.QuerySelector("td[data-label='Kind']")!.TextContent.Trim());
        Assert.Equal("Conditionally licensed", snrx.QuerySelector("[data-status='ConditionallyLicensed']")!.TextContent.Trim());
    }

    [Fact]
    public async Task Typing_a_name_fragment_filters_on_the_server_after_the_debounce()
    {
        await SignInAsAsync(DemoUsers.Reviewer);
        var list = RenderLoaded(15);

        list.Find("[data-testid=platform-filters] input").Input("Shenzhen");
        Clock.Advance(SearchDebounce);

        list.WaitForAssertion(() => Assert.Equal(["FQLE", "ZSXJ"], Codes(list)), Timeout);
        Assert.Equal("1-2 of 2", PagerCaption(list));
    }

    [Fact]
    public async Task Typing_the_start_of_a_code_in_lower_case_finds_the_platform()
    {
        await SignInAsAsync(DemoUsers.Reviewer);
        var list = RenderLoaded(15);

        list.Find("[data-testid=platform-filters] input").Input("kf");
        Clock.Advance(SearchDebounce);

        list.WaitForAssertion(() => Assert.Equal(["KFEN"], Codes(list)), Timeout);
    }

    [Fact]
    public async Task Search_stays_inside_the_data_scope()
    {
        await SignInAsAsync(DemoUsers.ReviewerGuangdong);
        var list = RenderLoaded(3);

        list.Find("[data-testid=platform-filters] input").Input("Commercial Bank");
        Clock.Advance(SearchDebounce);

        list.WaitForAssertion(() => Assert.Contains("No platforms match.", list.Find("[data-testid=platform-grid]").TextContent), Timeout);
        Assert.Empty(Codes(list));
    }

    [Fact]
    public async Task Choosing_a_licence_status_lists_only_platforms_with_that_status()
    {
        await SignInAsAsync(DemoUsers.Reviewer);
        var list = RenderLoaded(15);

        var statusSelect = list.FindAll("[data-testid=platform-filters] div.mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim() == "Licence status");
        Choose(statusSelect, "Suspended");

        list.WaitForAssertion(() => Assert.Equal(["QFEN", "XMHX"], Codes(list)), Timeout);
        Assert.All(list.FindAll("tbody [data-status]"), chip => Assert.Equal("Suspended", chip.GetAttribute("data-status")));
    }

    [Fact]
    public async Task Sorting_by_legal_name_is_done_by_the_server()
    {
        await SignInAsAsync(DemoUsers.Reviewer);
        var list = RenderLoaded(15);

        list.FindAll("th .sortable-column-header").Single(h => h.TextContent.Trim() == "Legal name").Click();

        // Beijing Jingbai…, Chengdu Kuaifen…, Chongqing Mashang…, Guangzhou Qufen…
        list.WaitForAssertion(() => Assert.Equal(["JDBT", "KFEN", "MSXF", "QFEN"], Codes(list).Take(4)), Timeout);
    }

    [Fact]
    public async Task Admin_is_offered_to_register_a_platform()
    {
        await SignInAsAsync(DemoUsers.Admin);

        var list = RenderLoaded(15);

        Assert.Contains(list.FindAll("a.mud-button-root"), a => a.GetAttribute("href") == "admin/platforms/new");
    }

    [Fact]
    public async Task Reviewer_is_not_offered_to_register_a_platform()
    {
        await SignInAsAsync(DemoUsers.Reviewer);

        var list = RenderLoaded(15);

        Assert.DoesNotContain(list.FindAll("a.mud-button-root"), a => a.GetAttribute("href") == "admin/platforms/new");
    }
}
