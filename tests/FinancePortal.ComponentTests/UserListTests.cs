using AngleSharp.Dom;
using Bunit;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Users;

namespace FinancePortal.ComponentTests;

/// <summary>The admin's user list: roles and data scopes at a glance, server-side filters, and locking.</summary>
public class UserListTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<UserList> list) =>
        list.FindAll("[data-testid=user-grid] tbody tr").Where(r => r.QuerySelector("td[data-label='E-mail']") is not null).ToList();

    private static string[] Emails(IRenderedComponent<UserList> list) =>
        Rows(list).Select(r => Cell(r, "E-mail")).ToArray();

    private static IElement RowOf(IRenderedComponent<UserList> list, string email) => Rows(list).Single(r => Cell(r, "E-mail") == email);

    private static string Cell(IElement row, string label) => row.QuerySelector($"td[data-label='{label}']")!.TextContent.Trim();

    private async Task<IRenderedComponent<UserList>> RenderAsAdminAsync()
    {
        await SignInAsAsync(DemoUsers.Admin);
        var list = RenderWithProviders<UserList>();
        list.WaitForAssertion(() => Assert.Equal(FinancePortal.Infrastructure.Seeding.DemoSeeder.Accounts.Count, Rows(list).Count), Timeout);
        return list;
    }

    [Fact]
    public async Task Lists_every_demo_account_with_its_role_and_data_scope()
    {
        var list = await RenderAsAdminAsync();

        Assert.Equal("Platform operator", Cell(RowOf(list, DemoUsers.Operator), "Roles"));
        Assert.Equal("Platform JDBT", Cell(RowOf(list, DemoUsers.Operator), "Data scope"));
        Assert.Equal("Guangdong", Cell(RowOf(list, DemoUsers.ReviewerGuangdong), "Data scope"));
        Assert.Equal("National", Cell(RowOf(list, DemoUsers.Reviewer), "Data scope"));
        Assert.Equal("Administrator", Cell(RowOf(list, DemoUsers.Admin), "Roles"));
        Assert.All(Rows(list), r => Assert.Equal("Active", Cell(r, "Status")));
    }

    [Fact]
    public async Task Choosing_a_role_lists_only_users_with_that_role()
    {
        var list = await RenderAsAdminAsync();

        var roleSelect = list.FindAll("div.mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == "Role");
        Choose(roleSelect, "Platform operator");

        list.WaitForAssertion(() => Assert.Equal([DemoUsers.OperatorHbxy, DemoUsers.OperatorQfen, DemoUsers.Operator], Emails(list).Order(StringComparer.Ordinal)), Timeout);
    }

    [Fact]
    public async Task Typing_part_of_an_e_mail_filters_after_the_debounce()
    {
        var list = await RenderAsAdminAsync();

        list.FindAll("div.mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == "Search e-mail or name")
            .QuerySelector("input")!.Input("reviewer");
        Clock.Advance(TimeSpan.FromMilliseconds(300));

        list.WaitForAssertion(() => Assert.Equal([DemoUsers.ReviewerGuangdong, DemoUsers.Reviewer], Emails(list).Order(StringComparer.Ordinal)), Timeout);
    }

    [Fact]
    public async Task Locking_a_user_shows_them_as_locked_and_confirms_in_a_snackbar()
    {
        var list = await RenderAsAdminAsync();

        RowOf(list, DemoUsers.RiskOfficer).QuerySelector("button[aria-label='Lock']")!.Click();

        list.WaitForAssertion(() => Assert.Equal("Locked", Cell(RowOf(list, DemoUsers.RiskOfficer), "Status")), Timeout);
        Assert.NotNull(RowOf(list, DemoUsers.RiskOfficer).QuerySelector("button[aria-label='Unlock']"));
        Snackbars.WaitForAssertion(() => Assert.Contains($"{DemoUsers.RiskOfficer} is locked.", Snackbars.Markup), Timeout);
        Assert.Equal("Active", Cell(RowOf(list, DemoUsers.Analyst), "Status"));
    }

    [Fact]
    public async Task An_admin_cannot_lock_their_own_account()
    {
        var list = await RenderAsAdminAsync();

        RowOf(list, DemoUsers.Admin).QuerySelector("button[aria-label='Lock']")!.Click();

        Snackbars.WaitForAssertion(() => Assert.Contains("You cannot lock your own account.", Snackbars.Markup), Timeout);
        Assert.Equal("Active", Cell(RowOf(list, DemoUsers.Admin), "Status"));
    }

    [Fact]
    public async Task Sign_out_everywhere_renews_the_users_security_stamp_and_confirms_in_a_snackbar()
    {
        var list = await RenderAsAdminAsync();
        var before = await StampAsync(DemoUsers.RiskOfficer);

        RowOf(list, DemoUsers.RiskOfficer).QuerySelector("button[aria-label='Sign out everywhere']")!.Click();

        Snackbars.WaitForAssertion(() => Assert.Contains($"{DemoUsers.RiskOfficer} is signed out everywhere.", Snackbars.Markup), Timeout);
        Assert.NotEqual(before, await StampAsync(DemoUsers.RiskOfficer));
        Assert.Equal(before.Analyst, (await StampAsync(DemoUsers.Analyst)).Analyst);
    }

    [Fact]
    public async Task A_password_reset_sets_the_new_password_and_renews_the_stamp_and_a_weak_one_keeps_the_old()
    {
        await SignInAsAsync(DemoUsers.Admin);
        var (stamp, _) = await StampAsync(DemoUsers.Analyst);
        string id;
        await using (var admin = await ActAsAsync(DemoUsers.Admin))
        {
            var users = admin.Get<FinancePortal.Application.Features.Users.UserAdminService>();
            id = (await admin.Get<Microsoft.AspNetCore.Identity.UserManager<FinancePortal.Application.Domain.PortalUser>>().FindByEmailAsync(DemoUsers.Analyst))!.Id;
            await Assert.ThrowsAsync<FinancePortal.Application.ValidationFailedException>(() => users.ResetPasswordAsync(id, "short"));
        }

        Assert.True(await PasswordIsAsync(DemoUsers.Password));

        await using (var admin = await ActAsAsync(DemoUsers.Admin))
        {
            await admin.Get<FinancePortal.Application.Features.Users.UserAdminService>().ResetPasswordAsync(id, "Another!Portal2027");
        }

        Assert.True(await PasswordIsAsync("Another!Portal2027"));
        Assert.False(await PasswordIsAsync(DemoUsers.Password));
        Assert.NotEqual(stamp, (await StampAsync(DemoUsers.Analyst)).Stamp);
    }

    private async Task<bool> PasswordIsAsync(string password)
    {
        await using var scope = await ActAsAsync(DemoUsers.Admin);
        var manager = scope.Get<Microsoft.AspNetCore.Identity.UserManager<FinancePortal.Application.Domain.PortalUser>>();
        return await manager.CheckPasswordAsync((await manager.FindByEmailAsync(DemoUsers.Analyst))!, password);
    }

    private async Task<(string? Stamp, string? Analyst)> StampAsync(string email)
    {
        await using var scope = await ActAsAsync(DemoUsers.Admin);
        var manager = scope.Get<Microsoft.AspNetCore.Identity.UserManager<FinancePortal.Application.Domain.PortalUser>>();
        return ((await manager.FindByEmailAsync(email))!.SecurityStamp, (await manager.FindByEmailAsync(DemoUsers.Analyst))!.SecurityStamp);
    }
}
