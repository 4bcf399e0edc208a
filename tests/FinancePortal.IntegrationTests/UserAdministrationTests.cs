using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Users;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.TestSupport;
using Microsoft.AspNetCore.Identity;

namespace FinancePortal.IntegrationTests;

public class UserAdministrationTests : IAsyncLifetime
{
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Admin_creates_an_operator_bound_to_a_platform_and_the_change_is_audited()
    {
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        var platform = (await admin.Get<PlatformService>().GetOptionsAsync()).First(p => p.Code == "MSXF");
        var id = await admin.Get<UserAdminService>().CreateAsync(new UserInput
        {
            Email = "ops@msxf.example.cn", DisplayName = "Ma Li", Roles = [Roles.Operator], PlatformId = platform.Id, Password = "Str0ng!Passw0rd",
        });

        var listed = (await admin.Get<UserAdminService>().GetPageAsync(new UserQuery { Search = "msxf" })).Items.Single();
        Assert.Equal((id, "MSXF", false), (listed.Id, listed.PlatformCode, listed.IsLockedOut));
        Assert.Equal([Roles.Operator], listed.Roles);
        var audit = (await admin.Get<AuditService>().GetPageAsync(new AuditQuery { Action = AuditActions.UserCreated })).Items.Single();
        Assert.Contains("ops@msxf.example.cn", audit.Summary);

        await using var op = await _portal.AsAsync("ops@msxf.example.cn");
        Assert.Equal("MSXF", (await op.Get<PlatformService>().GetPageAsync(new PlatformQuery())).Items.Single().Code);
    }

    [Fact]
    public async Task A_weak_password_is_refused_with_the_policy_message_and_no_user_is_created()
    {
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => admin.Get<UserAdminService>().CreateAsync(new UserInput
        {
            Email = "weak@x.cn", DisplayName = "Weak", Roles = [Roles.Analyst], Password = "short1A!",
        }));
        Assert.Contains("at least 12 characters", ex.Message);
        Assert.Empty((await admin.Get<UserAdminService>().GetPageAsync(new UserQuery { Search = "weak@" })).Items);
    }

    [Fact]
    public async Task Locking_a_user_blocks_sign_in_until_unlocked()
    {
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        var users = admin.Get<UserAdminService>();
        var analyst = (await users.GetPageAsync(new UserQuery { Search = "analyst@" })).Items.Single();

        await users.SetLockedAsync(analyst.Id, locked: true);
        var manager = admin.Get<UserManager<PortalUser>>();
        Assert.True(await manager.IsLockedOutAsync((await manager.FindByIdAsync(analyst.Id))!));
        Assert.True((await users.GetPageAsync(new UserQuery { Search = "analyst@" })).Items.Single().IsLockedOut);

        await users.SetLockedAsync(analyst.Id, locked: false);
        Assert.False((await users.GetPageAsync(new UserQuery { Search = "analyst@" })).Items.Single().IsLockedOut);
        var actions = (await admin.Get<AuditService>().GetPageAsync(new AuditQuery { EntityType = nameof(PortalUser) })).Items.Select(i => i.Action).ToList();
        Assert.Contains(AuditActions.UserLocked, actions);
        Assert.Contains(AuditActions.UserUnlocked, actions);
    }

    [Fact]
    public async Task An_admin_cannot_lock_themself_and_non_admins_cannot_manage_users()
    {
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => admin.Get<UserAdminService>().SetLockedAsync(admin.User.UserId!, true));
        Assert.Contains("your own account", ex.Message);

        await using var analyst = await _portal.AsAsync(DemoUsers.Analyst);
        await Assert.ThrowsAsync<ForbiddenException>(() => analyst.Get<UserAdminService>().GetPageAsync(new UserQuery()));
        await Assert.ThrowsAsync<ForbiddenException>(() => analyst.Get<UserAdminService>().SetLockedAsync(admin.User.UserId!, true));
    }

    [Fact]
    public async Task Role_filter_finds_users_by_role()
    {
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        var operators = await admin.Get<UserAdminService>().GetPageAsync(new UserQuery { Role = Roles.Operator });
        Assert.Equal(new[] { DemoUsers.Operator, DemoUsers.OperatorHbxy, DemoUsers.OperatorQfen }.Order(StringComparer.Ordinal), operators.Items.Select(u => u.Email).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Audit_log_is_readable_by_admins_and_analysts_only()
    {
        await using var analyst = await _portal.AsAsync(DemoUsers.Analyst);
        await analyst.Get<AuditService>().GetPageAsync(new AuditQuery());
        foreach (var email in new[] { DemoUsers.Reviewer, DemoUsers.Approver, DemoUsers.RiskOfficer, DemoUsers.Operator })
        {
            await using var user = await _portal.AsAsync(email);
            await Assert.ThrowsAsync<ForbiddenException>(() => user.Get<AuditService>().GetPageAsync(new AuditQuery()));
        }
    }
}
