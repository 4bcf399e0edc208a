using System.Net;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests;

/// <summary>The real portal over HTTP (WebApplicationFactory, real SQLite file seeded by the app's own start-up).</summary>
public class HttpSecurityTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private async Task<int> PlatformIdAsync(string code)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System);
        return await db.Platforms.Where(p => p.Code == code).Select(p => p.Id).SingleAsync();
    }

    private async Task<List<string>> AuditActionsAsync(string actor)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System);
        return await db.AuditEntries.Where(a => a.Actor == actor).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/platforms")]
    [InlineData("/platforms/1")]
    [InlineData("/audit")]
    [InlineData("/admin/users")]
    [InlineData("/admin/platforms/new")]
    [InlineData("/not-found")]
    public async Task Anonymous_visitors_are_sent_to_sign_in(string path)
    {
        var response = await _factory.CreatePortalClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_sign_in_page_is_public_and_served_quickly()
    {
        var response = await _factory.CreatePortalClient().GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Sign in", html);
        Assert.Contains("name=\"Input.Password\"", html);
    }

    [Fact]
    public async Task Brand_assets_and_MudBlazor_assets_are_served_to_anonymous_visitors()
    {
        var client = _factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/brand/portal.css")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/brand/logo.svg")).StatusCode);
        var login = await client.GetStringAsync("/Account/Login");
        var mudCss = System.Text.RegularExpressions.Regex.Match(login, "_content/MudBlazor/MudBlazor[^\"]*\\.css").Value;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/" + mudCss)).StatusCode);
    }

    [Fact]
    public async Task Operator_who_types_another_platforms_url_gets_not_found()
    {
        var own = await PlatformIdAsync("JDBT");
        var other = await PlatformIdAsync("HBXY");
        var client = _factory.CreatePortalClient();
        await client.SignInAsync(DemoUsers.Operator);

        var mine = await client.GetAsync($"/platforms/{own}");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Contains("JDBT", await mine.Content.ReadAsStringAsync());

        var theirs = await client.GetAsync($"/platforms/{other}");
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        var html = await theirs.Content.ReadAsStringAsync();
        Assert.DoesNotContain("HBXY", html);
        Assert.DoesNotContain("Hangzhou Huabei", html);
    }

    [Theory]
    [InlineData(DemoUsers.RiskOfficer, "/alerts/987654")]
    [InlineData(DemoUsers.Admin, "/scorecards/98765")]
    [InlineData(DemoUsers.Admin, "/admin/platforms/98765/edit")]
    public async Task A_missing_id_answers_404_with_the_not_found_notice(string user, string path)
    {
        var client = _factory.CreatePortalClient();
        await client.SignInAsync(user);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("data-testid=\"not-found\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Province_limited_reviewer_gets_not_found_outside_their_provinces()
    {
        var beijing = await PlatformIdAsync("JDBT");
        var guangdong = await PlatformIdAsync("FQLE");
        var client = _factory.CreatePortalClient();
        await client.SignInAsync(DemoUsers.ReviewerGuangdong);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/platforms/{guangdong}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/platforms/{beijing}")).StatusCode);
    }

    [Theory]
    [InlineData(DemoUsers.Analyst, "/admin/users")]
    [InlineData(DemoUsers.Operator, "/audit")]
    [InlineData(DemoUsers.Reviewer, "/admin/platforms/new")]
    [InlineData(DemoUsers.RiskOfficer, "/audit")]
    public async Task Signed_in_users_are_denied_pages_outside_their_role(string email, string path)
    {
        var client = _factory.CreatePortalClient();
        await client.SignInAsync(email);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData(DemoUsers.Admin, "/admin/users")]
    [InlineData(DemoUsers.Analyst, "/audit")]
    [InlineData(DemoUsers.Operator, "/platforms")]
    public async Task Signed_in_users_open_pages_of_their_role(string email, string path)
    {
        var client = _factory.CreatePortalClient();
        await client.SignInAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_is_audited()
    {
        var client = _factory.CreatePortalClient();
        var response = await client.PostSignInAsync(DemoUsers.Analyst, "Wrong!Password1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid e-mail or password.", await response.Content.ReadAsStringAsync());
        Assert.Equal([AuditActions.SignInFailed], await AuditActionsAsync(DemoUsers.Analyst));
    }

    [Fact]
    public async Task Five_failed_sign_ins_lock_the_account_so_the_sixth_attempt_is_refused_even_with_the_right_password()
    {
        var client = _factory.CreatePortalClient();
        for (var i = 1; i <= 4; i++)
        {
            var failed = await client.PostSignInAsync(DemoUsers.RiskOfficer, $"Wrong!Password{i}");
            Assert.Contains("Invalid e-mail or password.", await failed.Content.ReadAsStringAsync());
        }

        await client.PostSignInAsync(DemoUsers.RiskOfficer, "Wrong!Password5");
        var sixth = await client.PostSignInAsync(DemoUsers.RiskOfficer, DemoUsers.Password);

        Assert.Equal(HttpStatusCode.Redirect, sixth.StatusCode);
        Assert.Equal("/Account/Lockout", sixth.Headers.Location!.OriginalString.Replace("http://localhost", ""));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        Assert.Contains(AuditActions.SignInLockedOut, await AuditActionsAsync(DemoUsers.RiskOfficer));
    }

    [Fact]
    public async Task Sign_in_and_sign_out_are_audited()
    {
        var client = _factory.CreatePortalClient();
        await client.SignInAsync(DemoUsers.Approver);
        var home = await client.GetStringAsync("/");
        var token = System.Text.RegularExpressions.Regex.Match(home, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        var signOut = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal([AuditActions.SignIn, AuditActions.SignOut], await AuditActionsAsync(DemoUsers.Approver));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_entries_carry_the_accounts_platform_so_another_provinces_analyst_does_not_read_them()
    {
        const string guangdongAnalyst = "analyst.gd@financeportal.demo";
        await using (var admin = await _factory.ActAsAsync(DemoUsers.Admin))
        {
            await admin.ServiceProvider.GetRequiredService<FinancePortal.Application.Features.Users.UserAdminService>().CreateAsync(new FinancePortal.Application.Features.Users.UserInput
            {
                Email = guangdongAnalyst, DisplayName = "Guangdong analyst", Roles = [Roles.Analyst], Provinces = ["Guangdong"], Password = DemoUsers.Password,
            });
        }

        await _factory.CreatePortalClient().SignInAsync(DemoUsers.Operator);
        await _factory.CreatePortalClient().PostSignInAsync(DemoUsers.OperatorHbxy, "Wrong!Password1");
        await _factory.CreatePortalClient().SignInAsync(DemoUsers.Approver);

        async Task<List<AuditItem>> SignInsAsync(string reader)
        {
            await using var scope = await _factory.ActAsAsync(reader);
            var audit = scope.ServiceProvider.GetRequiredService<AuditService>();
            var page = await audit.GetPageAsync(new AuditQuery { EntityType = nameof(PortalUser), PageSize = PageRequest.MaxPageSize });
            return page.Items.Where(e => e.Action is AuditActions.SignIn or AuditActions.SignInFailed).ToList();
        }

        var national = await SignInsAsync(DemoUsers.Analyst);
        Assert.Contains(national, e => e.Actor == DemoUsers.Operator && e.Action == AuditActions.SignIn && e.PlatformCode == "JDBT");
        Assert.Contains(national, e => e.Actor == DemoUsers.OperatorHbxy && e.Action == AuditActions.SignInFailed && e.PlatformCode == "HBXY");
        Assert.Contains(national, e => e.Actor == DemoUsers.Approver && e.PlatformId is null);

        var guangdong = await SignInsAsync(guangdongAnalyst);
        Assert.DoesNotContain(guangdong, e => e.Actor is DemoUsers.Operator or DemoUsers.OperatorHbxy || e.Summary.Contains("operator", StringComparison.Ordinal));
        // Regulators' own sign-ins belong to no platform: every audit reader sees them.
        Assert.Contains(guangdong, e => e.Actor == DemoUsers.Approver);
    }

    [Fact]
    public async Task Choosing_Chinese_translates_the_sign_in_page()
    {
        var client = _factory.CreatePortalClient();
        var set = await client.GetAsync("/culture/set?culture=zh-CN&redirectUri=%2FAccount%2FLogin");
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("/Account/Login", set.Headers.Location!.OriginalString);

        var html = await client.GetStringAsync("/Account/Login");
        Assert.Contains("登录", html);
        Assert.Contains("lang=\"zh-CN\"", html);
    }

    [Fact]
    public async Task The_culture_switch_refuses_unknown_cultures_and_foreign_redirects()
    {
        var client = _factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/culture/set?culture=xx-XX")).StatusCode);
        var foreign = await client.GetAsync("/culture/set?culture=en&redirectUri=https%3A%2F%2Fevil.example");
        Assert.Equal("/", foreign.Headers.Location!.OriginalString);
    }
}
