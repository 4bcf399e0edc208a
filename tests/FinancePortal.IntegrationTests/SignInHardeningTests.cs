using System.Net;
using System.Text.RegularExpressions;
using FinancePortal.Application.Domain;
using FinancePortal.TestSupport;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FinancePortal.IntegrationTests;

/// <summary>
/// Issue 16, observations 2, 4 and 5 over HTTP against the real portal: the sign-in rate limit holds for every URL that
/// reaches the sign-in form, an unknown e-mail costs one password verification like a wrong password, and the culture
/// switch and sign-in never answer 500 for a return address they refuse.
/// </summary>
public partial class SignInHardeningTests
{
    [Theory]
    [InlineData("/Account/Login/")]
    [InlineData("/account/login")]
    [InlineData("/ACCOUNT/LOGIN/")]
    [InlineData("/Account/Login?returnUrl=%2Fplatforms")]
    [InlineData("/Account/Login/?x=1")]
    public async Task Sign_in_posts_share_one_limit_whatever_the_url_variant(string variant)
    {
        await using var limited = new RateLimitedFactory(permitLimit: 3);
        var client = limited.CreatePortalClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "10.0.0.9");

        // Two posts to the form's own URL and one to the variant use up the window.
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostSignInAsync(DemoUsers.Reviewer, $"Wrong!Password{attempt}")).StatusCode);
        }

        var third = await client.PostSignInAsync(DemoUsers.Reviewer, "Wrong!Password3", variant);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Contains("Invalid e-mail or password.", await third.Content.ReadAsStringAsync());

        // The observation: the right password through a variant used to sign in past the limit.
        var refused = await client.PostSignInAsync(DemoUsers.Approver, DemoUsers.Password, variant);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains(SignInRateLimiting.RefusedMessage, await refused.Content.ReadAsStringAsync());
        Assert.False(refused.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("FinancePortal.Auth=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostSignInAsync(DemoUsers.Approver, DemoUsers.Password)).StatusCode);

        // Showing the form is never limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(variant)).StatusCode);
    }

    [Fact]
    public async Task The_refusal_page_speaks_the_users_language()
    {
        await using var limited = new RateLimitedFactory(permitLimit: 1);
        var client = limited.CreatePortalClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "10.0.0.10");
        await client.GetAsync("/culture/set?culture=zh-CN&redirectUri=%2FAccount%2FLogin");
        await client.PostSignInAsync(DemoUsers.Reviewer, "Wrong!Password1");

        var refused = await client.PostSignInAsync(DemoUsers.Reviewer, "Wrong!Password2");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("登录尝试次数过多", html);
        Assert.Contains("lang=\"zh-CN\"", html);
    }

    [Fact]
    public async Task An_unknown_email_costs_one_password_verification_and_shows_the_same_page_as_a_wrong_password()
    {
        var counter = new VerificationCounter();
        await using var factory = new PortalAppFactory
        {
            ConfigureServices = services =>
            {
                services.AddSingleton(counter);
                services.AddScoped<IPasswordHasher<PortalUser>, CountingPasswordHasher>();
            },
        };
        var client = factory.CreatePortalClient();
        await client.GetAsync("/Account/Login");

        counter.Reset();
        var wrongPassword = await client.PostSignInAsync(DemoUsers.Analyst, "Wrong!Password1");
        var forWrongPassword = counter.Count;

        counter.Reset();
        var unknownEmail = await client.PostSignInAsync("nobody@example.org", "Wrong!Password1");
        var forUnknownEmail = counter.Count;

        Assert.Equal(1, forWrongPassword);
        Assert.Equal(forWrongPassword, forUnknownEmail);
        Assert.Equal(wrongPassword.StatusCode, unknownEmail.StatusCode);
        Assert.Equal(ErrorMessage(await wrongPassword.Content.ReadAsStringAsync()), ErrorMessage(await unknownEmail.Content.ReadAsStringAsync()));
        Assert.Equal("Invalid e-mail or password.", ErrorMessage(await unknownEmail.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%E3%80%82/evil")]
    [InlineData("//evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("https%3A%2F%2Fevil.example")]
    [InlineData("/%0D%0ASet-Cookie:x=1")]
    [InlineData("~/platforms")]
    public async Task The_culture_switch_answers_a_safe_redirect_for_a_refused_return_address(string redirectUri)
    {
        await using var factory = new PortalAppFactory();
        var response = await factory.CreatePortalClient().GetAsync($"/culture/set?culture=en&redirectUri={redirectUri}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_culture_switch_keeps_a_local_return_address()
    {
        await using var factory = new PortalAppFactory();
        var response = await factory.CreatePortalClient().GetAsync("/culture/set?culture=zh-CN&redirectUri=%2Fplatforms%3Fpage%3D2");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/platforms?page=2", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%E3%80%82/evil")]
    public async Task Signing_in_with_a_refused_return_address_lands_on_the_home_page(string returnUrl)
    {
        await using var factory = new PortalAppFactory();
        var client = factory.CreatePortalClient();

        var response = await client.PostSignInAsync(DemoUsers.Analyst, DemoUsers.Password, $"/Account/Login?ReturnUrl={returnUrl}");

        // The sign-in page redirects through NavigationManager, which sends an absolute address on this host.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("http://localhost/", new Uri(new Uri("http://localhost"), response.Headers.Location!).ToString());
    }

    private static string? ErrorMessage(string html) =>
        LoginError().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value).Trim() : null;

    [GeneratedRegex("data-testid=\"login-error\">([^<]*)<")]
    private static partial Regex LoginError();

    public sealed class VerificationCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);

        public void Reset() => Interlocked.Exchange(ref _count, 0);
    }

    /// <summary>Identity's own hasher, counting verifications (the expensive PBKDF2 step of a sign-in).</summary>
    private sealed class CountingPasswordHasher(VerificationCounter counter, IOptions<PasswordHasherOptions> options)
        : PasswordHasher<PortalUser>(options)
    {
        public override PasswordVerificationResult VerifyHashedPassword(PortalUser user, string hashedPassword, string providedPassword)
        {
            counter.Increment();
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    /// <summary>A small sign-in limit; clients are told apart by X-Forwarded-For, as behind the production proxy.</summary>
    private sealed class RateLimitedFactory(int permitLimit) : PortalAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:SignInRateLimit:PermitLimit", permitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Security:SignInRateLimit:WindowSeconds", "60");
            builder.UseSetting("ForwardedHeaders_Enabled", "true");
        }
    }
}
