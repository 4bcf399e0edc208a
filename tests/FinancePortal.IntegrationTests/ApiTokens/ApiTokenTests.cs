using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.ApiTokens;
using FinancePortal.Infrastructure.Data;
using FinancePortal.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.ApiTokens;

/// <summary>One portal for the token tests that do not change users (each test makes its own tokens).</summary>
public sealed class ApiPortal : PortalAppFactory
{
    public async Task<CreatedApiToken> CreateTokenAsync(string email, string name, int days = 30)
    {
        await using var scope = await this.ActAsAsync(email);
        return await scope.ServiceProvider.GetRequiredService<ApiTokenService>()
            .CreateAsync(new CreateApiToken(name, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days)));
    }

    public HttpClient Bearer(string secret)
    {
        var client = this.CreatePortalClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    public async Task<T> InDbAsync<T>(Func<PortalDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await work(db);
    }
}

/// <summary>Issue 19 item 1: API tokens made on the page's service, shown once, stored as a hash, checked on every call.</summary>
public sealed class ApiTokenTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    [Fact]
    public async Task An_operator_token_reads_its_own_filing_calendar_and_every_call_is_audited_under_its_name()
    {
        var token = await portal.CreateTokenAsync(DemoUsers.Operator, "batch job calendar");

        var response = await portal.Bearer(token.Secret).GetAsync("/api/v1/filings?from=2026-01&to=2026-10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var platforms = await response.Content.ReadFromJsonAsync<JsonElement>();
        var only = Assert.Single(platforms.EnumerateArray());
        Assert.Equal("JDBT", only.GetProperty("platform").GetString());
        var months = only.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(10, months.Count);
        Assert.Equal("2026-10", months[^1].GetProperty("period").GetString());
        Assert.Equal("2026-11-15", months[^1].GetProperty("deadline").GetString());
        Assert.Contains(months, m => m.GetProperty("status").GetString() is "on-time" or "late");

        var audit = await portal.InDbAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(a => a.Action == AuditActions.ApiCall && a.ApiToken == "batch job calendar").ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal("operator@financeportal.demo", entry.Actor);
        Assert.Equal("GET /api/v1/filings?from=2026-01&to=2026-10 → 200", entry.Summary);
        Assert.NotNull(await portal.InDbAsync(db => db.ApiTokens.IgnoreQueryFilters().Where(t => t.Id == token.Id).Select(t => t.LastUsedUtc).SingleAsync()));

        // The audit log page's service names the token beside the user.
        await using var scope = await portal.ActAsAsync(DemoUsers.Admin);
        var page = await scope.ServiceProvider.GetRequiredService<FinancePortal.Application.Features.Audit.AuditService>()
            .GetPageAsync(new FinancePortal.Application.Features.Audit.AuditQuery { Action = AuditActions.ApiCall, PageSize = 100 });
        Assert.Contains(page.Items, i => i.ApiToken == "batch job calendar" && i.Actor == DemoUsers.Operator);
    }

    [Fact]
    public async Task The_seeded_demo_token_of_the_README_acts_as_JDBTs_operator()
    {
        var platforms = await portal.Bearer(FinancePortal.Infrastructure.Seeding.DemoSeeder.DemoApiToken).GetFromJsonAsync<JsonElement>("/api/v1/filings");

        Assert.Equal("JDBT", Assert.Single(platforms.EnumerateArray()).GetProperty("platform").GetString());
    }

    [Fact]
    public async Task An_analyst_token_reads_the_grid_of_the_analysts_scope()
    {
        var token = await portal.CreateTokenAsync(DemoUsers.Analyst, "regulator grid");

        var platforms = await portal.Bearer(token.Secret).GetFromJsonAsync<JsonElement>("/api/v1/filings?from=2026-10&to=2026-10");

        var codes = platforms.EnumerateArray().Select(p => p.GetProperty("platform").GetString()).ToList();
        Assert.Contains("JDBT", codes);
        Assert.Contains("HBXY", codes);
        Assert.True(codes.Count > 2);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("fpt_not-a-real-token")]
    [InlineData("fpt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Without_a_valid_token_the_API_answers_401_with_problem_details_never_a_redirect(string? secret)
    {
        var client = secret is null ? portal.CreatePortalClient() : portal.Bearer(secret);

        var response = await client.GetAsync("/api/v1/filings");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthenticated", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_revoked_or_expired_token_stops_working_at_once()
    {
        var revoked = await portal.CreateTokenAsync(DemoUsers.Operator, "to be revoked");
        var expiring = await portal.CreateTokenAsync(DemoUsers.Operator, "to expire");
        Assert.Equal(HttpStatusCode.OK, (await portal.Bearer(revoked.Secret).GetAsync("/api/v1/filings")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.Bearer(expiring.Secret).GetAsync("/api/v1/filings")).StatusCode);

        await using (var scope = await portal.ActAsAsync(DemoUsers.Operator))
        {
            await scope.ServiceProvider.GetRequiredService<ApiTokenService>().RevokeAsync(revoked.Id);
        }

        await portal.InDbAsync(db => db.ApiTokens.IgnoreQueryFilters().Where(t => t.Id == expiring.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresUtc, DateTime.UtcNow.AddSeconds(-1))));

        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.Bearer(revoked.Secret).GetAsync("/api/v1/filings")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.Bearer(expiring.Secret).GetAsync("/api/v1/filings")).StatusCode);
    }

    [Fact]
    public async Task The_secret_is_stored_only_as_its_SHA256()
    {
        var token = await portal.CreateTokenAsync(DemoUsers.Operator, "hash check");

        Assert.StartsWith(ApiTokenService.SecretPrefix, token.Secret);
        Assert.Equal(47, token.Secret.Length);
        var row = await portal.InDbAsync(db => db.ApiTokens.IgnoreQueryFilters().SingleAsync(t => t.Id == token.Id));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token.Secret)), row.SecretHash);
        Assert.Equal(token.Secret[..8], row.Prefix);
        Assert.DoesNotContain(token.Secret[8..], JsonSerializer.Serialize(row));
    }

    [Fact]
    public async Task Each_user_sees_and_revokes_only_their_own_tokens_while_an_admin_sees_and_revokes_all()
    {
        var jdbt = await portal.CreateTokenAsync(DemoUsers.Operator, "jdbt own");
        var hbxy = await portal.CreateTokenAsync(DemoUsers.OperatorHbxy, "hbxy own");

        await using (var scope = await portal.ActAsAsync(DemoUsers.Operator))
        {
            var service = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
            var mine = await service.GetPageAsync(0, 100);
            Assert.Contains(mine.Items, t => t.Id == jdbt.Id);
            Assert.DoesNotContain(mine.Items, t => t.Id == hbxy.Id);
            await Assert.ThrowsAsync<NotFoundException>(() => service.RevokeAsync(hbxy.Id));
        }

        await using (var scope = await portal.ActAsAsync(DemoUsers.Admin))
        {
            var service = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
            var all = await service.GetPageAsync(0, 100);
            Assert.Contains(all.Items, t => t.Id == jdbt.Id && t.PlatformCode == "JDBT");
            Assert.Contains(all.Items, t => t.Id == hbxy.Id && t.PlatformCode == "HBXY");
            await service.RevokeAsync(hbxy.Id);
            await Assert.ThrowsAsync<ForbiddenException>(() => service.CreateAsync(new CreateApiToken("admin token", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5))));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.Bearer(hbxy.Secret).GetAsync("/api/v1/filings")).StatusCode);
        var audit = await portal.InDbAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(a => a.Action == AuditActions.ApiTokenRevoked && a.EntityId == hbxy.Id.ToString()).SingleAsync());
        Assert.Equal(DemoUsers.Admin, audit.Actor);
    }

    [Theory]
    [InlineData("ab", 30, "Name")]
    [InlineData("valid name", 0, "ExpiresOn")]
    [InlineData("valid name", 366, "ExpiresOn")]
    public async Task A_bad_name_or_expiry_is_refused_with_the_field_named(string name, int days, string field)
    {
        var e = await Assert.ThrowsAsync<ValidationFailedException>(() => portal.CreateTokenAsync(DemoUsers.Operator, name, days));
        Assert.Equal([field], e.Errors.Keys);
    }

    [Fact]
    public async Task The_browser_reaches_the_API_with_its_sign_in_cookie_and_an_unknown_route_is_not_a_redirect()
    {
        var client = portal.CreatePortalClient();
        await client.SignInAsync(DemoUsers.Operator);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/filings")).StatusCode);
        var bad = await client.GetAsync("/api/v1/filings?from=2026-13");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("validation", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}

/// <summary>A token acts as its creator: when the creator is locked out or loses the token's role, it stops at once.</summary>
public sealed class ApiTokenCreatorTests : IAsyncLifetime
{
    private readonly ApiPortal _portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task A_locked_creators_tokens_answer_401()
    {
        var token = await _portal.CreateTokenAsync(DemoUsers.OperatorQfen, "qfen job");
        Assert.Equal(HttpStatusCode.OK, (await _portal.Bearer(token.Secret).GetAsync("/api/v1/filings")).StatusCode);

        await WithUserAsync(DemoUsers.OperatorQfen, (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));

        Assert.Equal(HttpStatusCode.Unauthorized, (await _portal.Bearer(token.Secret).GetAsync("/api/v1/filings")).StatusCode);
    }

    [Fact]
    public async Task A_demoted_creators_tokens_answer_401()
    {
        var token = await _portal.CreateTokenAsync(DemoUsers.OperatorHbxy, "hbxy job");
        Assert.Equal(HttpStatusCode.OK, (await _portal.Bearer(token.Secret).GetAsync("/api/v1/filings")).StatusCode);

        await WithUserAsync(DemoUsers.OperatorHbxy, async (users, user) =>
        {
            await users.RemoveFromRoleAsync(user, Roles.Operator);
            return await users.AddToRoleAsync(user, Roles.Analyst);
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await _portal.Bearer(token.Secret).GetAsync("/api/v1/filings")).StatusCode);
    }

    private async Task WithUserAsync(string email, Func<UserManager<PortalUser>, PortalUser, Task<IdentityResult>> change)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
        Assert.True((await change(users, user)).Succeeded);
    }
}
