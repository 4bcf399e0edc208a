using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests;

public class PlatformAdministrationTests : IAsyncLifetime
{
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private static PlatformInput NewPlatform(string code = "NEWP") => new()
    {
        Code = code,
        LegalName = "Hefei Newpay Consumer Credit Co., Ltd.",
        Province = "Anhui",
        Kind = PlatformKind.NetworkInstallment,
        RegisteredCapital = 1_500_000_000.25m,
        LendsAcrossProvinces = true,
    };

    private async Task<int> CountAsync<T>(Func<IPortalDb, IQueryable<T>> set)
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await set(db).CountAsync();
    }

    [Fact]
    public async Task Admin_registers_a_platform_with_licence_history_and_an_audit_entry()
    {
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        var id = await admin.Get<PlatformService>().CreateAsync(NewPlatform());

        var detail = await admin.Get<PlatformService>().GetAsync(id);
        Assert.NotNull(detail);
        Assert.Equal(1_500_000_000.25m, detail.RegisteredCapital);
        Assert.Equal(LicenceStatus.Applicant, detail.LicenceStatus);
        Assert.Equal(LicenceStatus.Applicant, Assert.Single(detail.History).ToStatus);

        var audit = await admin.Get<AuditService>().GetPageAsync(new AuditQuery { Action = AuditActions.PlatformCreated });
        var entry = Assert.Single(audit.Items);
        Assert.Equal(DemoUsers.Admin, entry.Actor);
        Assert.Equal(id, entry.PlatformId);
        Assert.Equal("NEWP", entry.PlatformCode);
    }

    [Fact]
    public async Task Duplicate_code_and_negative_capital_get_specific_messages_and_change_nothing()
    {
        var before = await CountAsync(db => db.Platforms);
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);

        var duplicate = await Assert.ThrowsAsync<ValidationFailedException>(() => admin.Get<PlatformService>().CreateAsync(NewPlatform("JDBT")));
        Assert.Equal("Code JDBT is already used by another platform.", duplicate.Errors[nameof(PlatformInput.Code)]);

        var negative = NewPlatform();
        negative.RegisteredCapital = -1m;
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => admin.Get<PlatformService>().CreateAsync(negative));
        Assert.Equal("Registered capital cannot be negative.", ex.Errors[nameof(PlatformInput.RegisteredCapital)]);

        Assert.Equal(before, await CountAsync(db => db.Platforms));
        Assert.Equal(0, await CountAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.PlatformCreated)));
    }

    [Theory]
    [InlineData(DemoUsers.Reviewer)]
    [InlineData(DemoUsers.Approver)]
    [InlineData(DemoUsers.Analyst)]
    [InlineData(DemoUsers.Operator)]
    public async Task Only_admins_register_or_edit_platforms(string email)
    {
        await using var user = await _portal.AsAsync(email);
        await Assert.ThrowsAsync<ForbiddenException>(() => user.Get<PlatformService>().CreateAsync(NewPlatform()));
    }

    [Fact]
    public async Task A_stale_edit_is_refused_and_the_first_edit_survives()
    {
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        var service = admin.Get<PlatformService>();
        var id = (await service.GetPageAsync(new PlatformQuery { Search = "JDBT" })).Items.Single().Id;
        var seen = (await service.GetAsync(id))!;

        var first = PlatformInput.From(seen);
        first.LegalName = "First editor's name";
        await service.UpdateAsync(id, first, seen.ConcurrencyStamp);

        var second = PlatformInput.From(seen);
        second.LegalName = "Second editor's name";
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => service.UpdateAsync(id, second, seen.ConcurrencyStamp));
        Assert.Contains("changed by someone else", conflict.Message);

        Assert.Equal("First editor's name", (await service.GetAsync(id))!.LegalName);
        var updates = await admin.Get<AuditService>().GetPageAsync(new AuditQuery { Action = AuditActions.PlatformUpdated });
        Assert.Contains("LegalName", Assert.Single(updates.Items).Summary);
    }

    [Fact]
    public async Task Approver_suspends_a_licence_which_appends_history_and_audit()
    {
        await using var approver = await _portal.AsAsync(DemoUsers.Approver);
        var service = approver.Get<PlatformService>();
        var id = (await service.GetPageAsync(new PlatformQuery { Search = "FQLE" })).Items.Single().Id;
        var before = (await service.GetAsync(id))!;

        await service.ChangeLicenceStatusAsync(id, LicenceStatus.Suspended, "PAR30 above 8% for two months.", before.ConcurrencyStamp);

        var after = (await service.GetAsync(id))!;
        Assert.Equal(LicenceStatus.Suspended, after.LicenceStatus);
        Assert.Equal(before.History.Count + 1, after.History.Count);
        var latest = after.History[0];
        Assert.Equal((LicenceStatus.Licensed, LicenceStatus.Suspended, DemoUsers.Approver), (latest.FromStatus!.Value, latest.ToStatus, latest.Actor));
        Assert.Equal(1, await CountAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.LicenceStatusChanged && a.PlatformId == id)));
    }

    [Fact]
    public async Task A_licence_change_needs_a_reason_and_the_approver_role()
    {
        await using var approver = await _portal.AsAsync(DemoUsers.Approver);
        var id = (await approver.Get<PlatformService>().GetPageAsync(new PlatformQuery { Search = "FQLE" })).Items.Single().Id;
        var stamp = (await approver.Get<PlatformService>().GetAsync(id))!.ConcurrencyStamp;
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => approver.Get<PlatformService>().ChangeLicenceStatusAsync(id, LicenceStatus.Revoked, "no", stamp));
        Assert.Contains("reason", ex.Message);

        await using var reviewer = await _portal.AsAsync(DemoUsers.Reviewer);
        await Assert.ThrowsAsync<ForbiddenException>(() => reviewer.Get<PlatformService>().ChangeLicenceStatusAsync(id, LicenceStatus.Revoked, "A long enough reason here.", stamp));
    }

    [Fact]
    public async Task Audit_entries_and_licence_history_cannot_be_changed_through_the_app()
    {
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        await admin.Get<PlatformService>().CreateAsync(NewPlatform());
        await using var db = await admin.Get<IPortalDbFactory>().CreateAsync();

        var entry = await db.AuditEntries.FirstAsync();
        entry.Summary = "tampered";
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("append-only", ex.Message);

        await using var db2 = await admin.Get<IPortalDbFactory>().CreateAsync();
        db2.LicenceChanges.Remove(await db2.LicenceChanges.FirstAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => db2.SaveChangesAsync());
    }
}
