using AngleSharp.Dom;
using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Users;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Audit;

namespace FinancePortal.ComponentTests;

/// <summary>The audit log lists what users did (newest first) and filters on the server.</summary>
public class AuditLogTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FilterDebounce = TimeSpan.FromMilliseconds(300);

    /// <summary>Three things happen through the real services: a sign-in, a lock by the admin, a licence change by the approver.</summary>
    private async Task ArrangeThreeEntriesAsync()
    {
        await using (var op = await ActAsAsync(DemoUsers.Operator))
        {
            await op.Get<AuditService>().RecordAsync(op.User, AuditActions.SignIn, nameof(PortalUser), op.User.UserId, "Signed in.");
        }

        Clock.Advance(TimeSpan.FromMinutes(5));
        await using (var admin = await ActAsAsync(DemoUsers.Admin))
        {
            var users = admin.Get<UserAdminService>();
            var risk = (await users.GetPageAsync(new UserQuery { Search = DemoUsers.RiskOfficer })).Items.Single();
            await users.SetLockedAsync(risk.Id, locked: true);
        }

        Clock.Advance(TimeSpan.FromMinutes(5));
        await using (var approver = await ActAsAsync(DemoUsers.Approver))
        {
            var platforms = approver.Get<PlatformService>();
            var qfen = (await platforms.GetPageAsync(new PlatformQuery { Search = "QFEN" })).Items.Single();
            var detail = (await platforms.GetAsync(qfen.Id))!;
            await platforms.ChangeLicenceStatusAsync(qfen.Id, LicenceStatus.Licensed, "Remediation plan accepted by the board.", detail.ConcurrencyStamp);
        }
    }

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<AuditLog> log) =>
        log.FindAll("[data-testid=audit-grid] tbody tr").Where(r => r.QuerySelector("td[data-label='Action']") is not null).ToList();

    private static string[] Actions(IRenderedComponent<AuditLog> log) =>
        Rows(log).Select(r => Title(r, "Action")).ToArray();

    /// <summary>MudBlazor 9 puts a select's extra attributes (data-testid) on an inner element; the control around it opens the list.</summary>
    private static IElement ActionSelect(IRenderedComponent<AuditLog> log) =>
        log.Find("[data-testid=audit-action]").Closest("div.mud-input-control")!;

    private static string Cell(IElement row, string label) => row.QuerySelector($"td[data-label='{label}']")!.TextContent.Trim();

    /// <summary>The raw value behind a cell (action code, account, entity id), shown on hover.</summary>
    private static string Title(IElement row, string label) => row.QuerySelector($"td[data-label='{label}']")!.GetAttribute("title") ?? "";

    [Fact]
    public async Task Analyst_sees_every_entry_newest_first_with_actor_role_time_and_platform()
    {
        await ArrangeThreeEntriesAsync();
        await SignInAsAsync(DemoUsers.Analyst);

        var log = RenderWithProviders<AuditLog>();

        log.WaitForAssertion(() => Assert.Equal([AuditActions.LicenceStatusChanged, AuditActions.UserLocked, AuditActions.SignIn], Actions(log)), Timeout);
        var licence = Rows(log)[0];
        // People and platforms by name and code; the account, action code and entity id on hover.
        Assert.Equal("Zhang Wei", Cell(licence, "Actor"));
        Assert.Equal(DemoUsers.Approver, Title(licence, "Actor"));
        Assert.Equal("Licence status changed", Cell(licence, "Action"));
        Assert.Equal("Platform QFEN", Cell(licence, "Entity"));
        Assert.StartsWith("Platform ", Title(licence, "Entity"));
        Assert.DoesNotContain("-", Cell(Rows(log)[1], "Entity"));
        Assert.Equal("Approver", Cell(licence, "Role"));
        Assert.Equal("QFEN", Cell(licence, "Platform"));
        Assert.Equal("2026-11-25 09:10 UTC", Cell(licence, "Time (UTC)"));
        Assert.Equal("QFEN: Suspended -> Licensed. Remediation plan accepted by the board.", Cell(licence, "Summary"));
        Assert.Equal("2026-11-25 09:00 UTC", Cell(Rows(log)[2], "Time (UTC)"));
    }

    [Fact]
    public async Task Choosing_an_action_lists_only_entries_of_that_action()
    {
        await ArrangeThreeEntriesAsync();
        await SignInAsAsync(DemoUsers.Admin);
        var log = RenderWithProviders<AuditLog>();
        log.WaitForAssertion(() => Assert.Equal(3, Rows(log).Count), Timeout);

        Choose(ActionSelect(log), "User locked");

        log.WaitForAssertion(() => Assert.Equal([AuditActions.UserLocked], Actions(log)), Timeout);
        var row = Rows(log).Single();
        Assert.Equal(DemoUsers.Admin, Title(row, "Actor"));
        Assert.Equal($"{DemoUsers.RiskOfficer} locked.", Cell(row, "Summary"));
    }

    [Fact]
    public async Task The_action_list_offers_exactly_the_actions_recorded_so_far()
    {
        await ArrangeThreeEntriesAsync();
        await SignInAsAsync(DemoUsers.Analyst);
        var log = RenderWithProviders<AuditLog>();
        log.WaitForAssertion(() => Assert.Equal(3, Rows(log).Count), Timeout);

        ActionSelect(log).MouseDown();

        Popovers.WaitForAssertion(
            () => Assert.Equal(
                ["Licence status changed", "Sign-in", "User locked"],
                Popovers.FindAll(".mud-popover-open .mud-list-item").Select(i => i.TextContent.Trim())),
            Timeout);
    }

    [Fact]
    public async Task Typing_an_actor_filters_after_the_debounce()
    {
        await ArrangeThreeEntriesAsync();
        await SignInAsAsync(DemoUsers.Analyst);
        var log = RenderWithProviders<AuditLog>();
        log.WaitForAssertion(() => Assert.Equal(3, Rows(log).Count), Timeout);

        var actor = log.FindAll("[data-testid=audit-filters] div.mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim() == "Actor");
        actor.QuerySelector("input")!.Input("operator@");
        Clock.Advance(FilterDebounce);

        log.WaitForAssertion(() => Assert.Equal([AuditActions.SignIn], Actions(log)), Timeout);
    }

    /// <summary>Records <paramref name="count"/> sign-ins by the operator, a minute apart, summaries "Entry 1".."Entry n".</summary>
    private async Task ArrangeSignInsAsync(int count)
    {
        await using var op = await ActAsAsync(DemoUsers.Operator);
        for (var i = 1; i <= count; i++)
        {
            await op.Get<AuditService>().RecordAsync(op.User, AuditActions.SignIn, nameof(PortalUser), op.User.UserId, $"Entry {i}");
            Clock.Advance(TimeSpan.FromMinutes(1));
        }
    }

    private static string Caption(IRenderedComponent<AuditLog> log) => log.Find(".mud-table-pagination-caption").TextContent.Trim();

    private static string[] Summaries(IRenderedComponent<AuditLog> log) =>
        Rows(log).Select(r => Cell(r, "Summary")).ToArray();

    [Fact]
    public async Task The_pager_moves_through_pages_of_fifty_on_the_server_and_stops_at_the_last()
    {
        await ArrangeSignInsAsync(120);
        await SignInAsAsync(DemoUsers.Analyst);
        var log = RenderWithProviders<AuditLog>();
        log.WaitForAssertion(() => Assert.Equal("1-50 of 120", Caption(log)), Timeout);
        Assert.Equal("Entry 120", Summaries(log)[0]);
        Assert.NotNull(log.Find("button[aria-label='Previous page']").GetAttribute("disabled"));

        log.Find("button[aria-label='Next page']").Click();

        log.WaitForAssertion(() => Assert.Equal("51-100 of 120", Caption(log)), Timeout);
        Assert.Equal(Enumerable.Range(21, 50).Reverse().Select(i => $"Entry {i}"), Summaries(log));

        log.Find("button[aria-label='Last page']").Click();

        log.WaitForAssertion(() => Assert.Equal("101-120 of 120", Caption(log)), Timeout);
        Assert.Equal(20, Rows(log).Count);
        Assert.NotNull(log.Find("button[aria-label='Next page']").GetAttribute("disabled"));
        Assert.Null(log.Find("button[aria-label='First page']").GetAttribute("disabled"));
    }

    [Fact]
    public async Task Rows_per_page_and_sorting_by_time_reload_from_the_first_page()
    {
        await ArrangeSignInsAsync(30);
        await SignInAsAsync(DemoUsers.Analyst);
        var log = RenderWithProviders<AuditLog>();
        log.WaitForAssertion(() => Assert.Equal("1-30 of 30", Caption(log)), Timeout);

        log.Find("select[aria-label='Rows per page']").Change("25");
        log.WaitForAssertion(() => Assert.Equal("1-25 of 30", Caption(log)), Timeout);
        log.Find("button[aria-label='Next page']").Click();
        log.WaitForAssertion(() => Assert.Equal("26-30 of 30", Caption(log)), Timeout);

        var time = log.FindAll("th").Single(th => th.TextContent.Contains("Time (UTC)", StringComparison.Ordinal));
        Assert.Equal("descending", time.GetAttribute("aria-sort"));
        time.QuerySelector("button")!.Click();

        log.WaitForAssertion(() => Assert.Equal("1-25 of 30", Caption(log)), Timeout);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"Entry {i}"), Summaries(log));
        Assert.Equal("ascending", log.FindAll("th").Single(th => th.TextContent.Contains("Time (UTC)", StringComparison.Ordinal)).GetAttribute("aria-sort"));
    }

    [Fact]
    public async Task A_filter_change_goes_back_to_the_first_page()
    {
        await ArrangeSignInsAsync(60);
        await ArrangeThreeEntriesAsync();
        await SignInAsAsync(DemoUsers.Analyst);
        var log = RenderWithProviders<AuditLog>();
        log.WaitForAssertion(() => Assert.Equal("1-50 of 63", Caption(log)), Timeout);
        log.Find("button[aria-label='Next page']").Click();
        log.WaitForAssertion(() => Assert.Equal("51-63 of 63", Caption(log)), Timeout);

        Choose(ActionSelect(log), "Sign-in");

        log.WaitForAssertion(() => Assert.Equal("1-50 of 61", Caption(log)), Timeout);
        Assert.All(Actions(log), a => Assert.Equal(AuditActions.SignIn, a));
    }

    [Fact]
    public async Task Without_entries_the_log_says_nothing_matches()
    {
        await SignInAsAsync(DemoUsers.Analyst);

        var log = RenderWithProviders<AuditLog>();

        log.WaitForAssertion(() => Assert.Contains("No audit entries match.", log.Find("[data-testid=audit-grid]").TextContent), Timeout);
        Assert.Empty(Rows(log));
    }
}
