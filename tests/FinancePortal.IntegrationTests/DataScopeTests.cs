using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Users;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.Application.Security;
using FinancePortal.Infrastructure.Data;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests;

/// <summary>The one data-scope mechanism, exercised through services and the data layer over a real SQLite file.</summary>
public class DataScopeTests : IAsyncLifetime
{
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<int> IdOfAsync(string code)
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await db.Platforms.Where(p => p.Code == code).Select(p => p.Id).SingleAsync();
    }

    [Fact]
    public async Task Operator_lists_only_their_own_platform()
    {
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var page = await op.Get<PlatformService>().GetPageAsync(new PlatformQuery { PageSize = 200 });

        var only = Assert.Single(page.Items);
        Assert.Equal("JDBT", only.Code);
        Assert.Equal(1, page.TotalCount);
    }

    [Fact]
    public async Task Operator_reading_another_platform_by_id_gets_nothing()
    {
        var other = await IdOfAsync("HBXY");
        await using var op = await _portal.AsAsync(DemoUsers.Operator);

        Assert.Null(await op.Get<PlatformService>().GetAsync(other));
        await using var db = await op.Get<IPortalDbFactory>().CreateAsync();
        Assert.Empty(await db.LicenceChanges.Where(h => h.PlatformId == other).ToListAsync());
        Assert.Null(await db.Platforms.FindAsync(other));
        Assert.DoesNotContain(await op.Get<PlatformService>().GetOptionsAsync(), o => o.Id == other);
    }

    [Fact]
    public async Task Operator_cannot_write_another_platforms_rows_even_through_the_data_layer()
    {
        var other = await IdOfAsync("HBXY");
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        await using var db = await op.Get<IPortalDbFactory>().CreateAsync();
        db.LicenceChanges.Add(new LicenceChange { PlatformId = other, ToStatus = LicenceStatus.Revoked, Reason = "forged", Actor = "x", ChangedUtc = DateTime.UtcNow });

        await Assert.ThrowsAsync<ForbiddenException>(() => db.SaveChangesAsync());
        await using var system = _portal.As(UserContext.System);
        await using var check = await system.Get<IPortalDbFactory>().CreateAsync();
        Assert.DoesNotContain(await check.LicenceChanges.Where(h => h.PlatformId == other).Select(h => h.Reason).ToListAsync(), r => r == "forged");
    }

    [Fact]
    public async Task Province_limited_reviewer_sees_only_platforms_of_their_province()
    {
        var jdbt = await IdOfAsync("JDBT");
        await using var reviewer = await _portal.AsAsync(DemoUsers.ReviewerGuangdong);
        var page = await reviewer.Get<PlatformService>().GetPageAsync(new PlatformQuery { PageSize = 200 });

        Assert.Equal(["FQLE", "QFEN", "ZSXJ"], page.Items.Select(p => p.Code).Order().ToArray());
        Assert.All(page.Items, p => Assert.Equal("Guangdong", p.Province));
        Assert.Null(await reviewer.Get<PlatformService>().GetAsync(jdbt));
        var summary = await reviewer.Get<PlatformService>().GetScopeSummaryAsync();
        Assert.Equal("Provinces: Guangdong", summary.Description);
        Assert.Equal(3, summary.PlatformCount);
    }

    [Fact]
    public async Task National_regulator_sees_every_platform()
    {
        await using var reviewer = await _portal.AsAsync(DemoUsers.Reviewer);
        var page = await reviewer.Get<PlatformService>().GetPageAsync(new PlatformQuery { PageSize = 200 });
        Assert.Equal(15, page.TotalCount);
        Assert.True((await reviewer.Get<PlatformService>().GetScopeSummaryAsync()).IsNational);
    }

    [Fact]
    public async Task Anonymous_and_unknown_users_see_nothing()
    {
        await using var anonymous = _portal.As(UserContext.Anonymous);
        await Assert.ThrowsAsync<ForbiddenException>(() => anonymous.Get<PlatformService>().GetPageAsync(new PlatformQuery()));
        await using var db = await anonymous.Get<IPortalDbFactory>().CreateAsync();
        Assert.Equal(0, await db.Platforms.CountAsync());

        // A forged identity that claims a role but has no user row resolves to an empty scope.
        await using var forged = _portal.As(new UserContext("no-such-id", "mallory", [Roles.Reviewer]));
        Assert.Equal(0, (await forged.Get<PlatformService>().GetPageAsync(new PlatformQuery())).TotalCount);
    }

    [Fact]
    public async Task Rebinding_an_operator_changes_their_scope_on_the_next_unit_of_work()
    {
        var hbxy = await IdOfAsync("HBXY");
        await using (var admin = await _portal.AsAsync(DemoUsers.Admin))
        {
            var users = admin.Get<UserAdminService>();
            var id = (await users.GetPageAsync(new UserQuery { Search = "operator@" })).Items.Single().Id;
            var input = (await users.GetForEditAsync(id))!;
            input.PlatformId = hbxy;
            await users.UpdateAsync(id, input);
        }

        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        Assert.Equal("HBXY", (await op.Get<PlatformService>().GetPageAsync(new PlatformQuery())).Items.Single().Code);
    }

    [Fact]
    public async Task Every_platform_owned_entity_is_scope_filtered()
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = (PortalDbContext)await system.Get<IPortalDbFactory>().CreateAsync();
        var unfiltered = db.Model.GetEntityTypes()
            .Where(t => t.FindProperty("PlatformId") is not null && t.ClrType != typeof(PortalUser))
            .Where(t => t.GetDeclaredQueryFilters().Count == 0)
            .Select(t => t.ClrType.Name)
            .ToList();
        Assert.Empty(unfiltered);
        Assert.NotEmpty(db.Model.FindEntityType(typeof(Platform))!.GetDeclaredQueryFilters());
    }
}
