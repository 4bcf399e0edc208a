using System.Net;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Users;
using FinancePortal.TestSupport;
using FinancePortal.TestSupport.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FinancePortal.IntegrationTests;

/// <summary>
/// Issue 16, observation 3: locking, deactivating, changing roles or provinces, resetting the password and signing out
/// everywhere end every existing session within the validation interval (default 30 s), over HTTP and in a live circuit.
/// The cookie validator's clock is a fake one that the tests move past the interval, so nothing here waits on time.
/// </summary>
public sealed class SessionRevocationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalAppFactory _factory;

    public SessionRevocationTests() =>
        _factory = new PortalAppFactory
        {
            ConfigureServices = services => services.Configure<SecurityStampValidatorOptions>(o => o.TimeProvider = _clock),
        };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    public static TheoryData<string> Revocations => ["lock", "roles", "provinces", "password", "admin-sign-out-everywhere", "own-sign-out-everywhere", "failed-sign-ins"];

    [Fact]
    public void The_default_validation_interval_ends_sessions_within_60_seconds()
    {
        Assert.InRange(_factory.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.InRange(_factory.Services.GetRequiredService<IOptions<FinancePortal.Web.Security.SessionOptions>>().Value.ValidationInterval, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task An_untouched_session_survives_the_validation()
    {
        var client = _factory.CreatePortalClient();
        await client.SignInAsync(DemoUsers.Analyst);

        _clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/exports/audit?format=csv")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Revocations))]
    public async Task An_old_cookie_stops_working_within_a_minute_after(string revocation)
    {
        var client = _factory.CreatePortalClient();
        await client.SignInAsync(DemoUsers.Analyst);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/exports/audit?format=csv")).StatusCode);

        await RevokeAsync(revocation, DemoUsers.Analyst);
        _clock.Advance(TimeSpan.FromSeconds(61));

        foreach (var path in new[] { "/exports/audit?format=csv", "/audit" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task A_live_circuit_loses_its_session_when_an_admin_locks_the_user()
    {
        await using var fast = new FastRevalidationFactory();
        var baseAddress = new Uri(fast.StartKestrel() + "/");
        await using var client = new BlazorCircuitClient(baseAddress);
        var timeout = TimeSpan.FromSeconds(60);
        await SupervisorJourney.SignInAndOpenDashboardAsync(client, DemoUsers.Analyst, DemoUsers.Password, timeout, CancellationToken.None);
        Assert.NotNull(client.Read(dom => dom.FindByTestId("kpi-default-rate-value")));

        await RevokeAsync(fast, "lock", DemoUsers.Analyst);

        // The circuit's provider re-checks the stamp every second here: the user becomes anonymous, the page is replaced
        // by the redirect to sign in.
        await client.WaitForAsync(dom => dom.FindByTestId("kpi-default-rate-value") is null, timeout, CancellationToken.None);
    }

    private Task RevokeAsync(string revocation, string email) => RevokeAsync(_factory, revocation, email);

    private static async Task RevokeAsync(PortalAppFactory factory, string revocation, string email)
    {
        if (revocation == "failed-sign-ins")
        {
            var guesser = factory.CreatePortalClient();
            for (var i = 0; i < FinancePortal.Infrastructure.Identity.IdentitySetup.MaxFailedSignIns; i++)
            {
                await guesser.PostSignInAsync(email, $"Wrong!Password{i}");
            }

            return;
        }

        if (revocation == "own-sign-out-everywhere")
        {
            var other = factory.CreatePortalClient();
            await other.SignInAsync(email);
            var home = await other.GetStringAsync("/");
            var token = System.Text.RegularExpressions.Regex.Match(home, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
            var response = await other.PostAsync("/Account/LogoutEverywhere", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            return;
        }

        await using var admin = await factory.ActAsAsync(DemoUsers.Admin);
        var users = admin.ServiceProvider.GetRequiredService<UserAdminService>();
        var id = (await admin.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email))!.Id;
        var input = (await users.GetForEditAsync(id))!;
        switch (revocation)
        {
            case "lock":
                await users.SetLockedAsync(id, locked: true);
                break;
            case "roles":
                input.Roles = [Roles.Reviewer];
                await users.UpdateAsync(id, input);
                break;
            case "provinces":
                input.Provinces = ["Guangdong"];
                await users.UpdateAsync(id, input);
                break;
            case "password":
                await users.ResetPasswordAsync(id, "Another!Portal2027");
                break;
            case "admin-sign-out-everywhere":
                await users.SignOutEverywhereAsync(id);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(revocation));
        }
    }

    /// <summary>Circuits re-check their user's stamp every second (the setting; 30 s by default).</summary>
    private sealed class FastRevalidationFactory : PortalAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:Sessions:ValidationIntervalSeconds", "1");
        }
    }
}
