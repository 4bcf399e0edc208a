using System.Net;
using System.Text.Json;
using FinancePortal.TestSupport;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FinancePortal.IntegrationTests;

/// <summary>Security headers, cookie flags, the sign-in rate limit and /health, over HTTP against the real portal.</summary>
public class SecurityHeadersTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var what = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery} ({(int)response.StatusCode})";
        var csp = Header(response, "Content-Security-Policy");
        Assert.True(csp is not null, $"{what} has no Content-Security-Policy.");
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("default-src 'self'", directives["default-src"]);
        Assert.Matches("^script-src 'self' 'nonce-[0-9A-F]{32}'$", directives["script-src"]);
        Assert.Equal("style-src 'self' 'unsafe-inline'", directives["style-src"]);
        Assert.Equal("img-src 'self' data:", directives["img-src"]);
        Assert.StartsWith("connect-src 'self'", directives["connect-src"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.Equal("base-uri 'self'", directives["base-uri"]);
        Assert.Equal("form-action 'self'", directives["form-action"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", $"{what}: X-Content-Type-Options");
        Assert.True(Header(response, "X-Frame-Options") == "DENY", $"{what}: X-Frame-Options");
        Assert.True(Header(response, "Referrer-Policy") == "strict-origin-when-cross-origin", $"{what}: Referrer-Policy");
        Assert.Contains("camera=()", Header(response, "Permissions-Policy") ?? "");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;

    private static string SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal)) is { } cookie
            ? cookie.ToLowerInvariant()
            : throw new Xunit.Sdk.XunitException($"No Set-Cookie for {name} in {(int)response.StatusCode} {response.RequestMessage!.RequestUri}.");

    [Fact]
    public async Task Pages_endpoints_static_files_redirects_and_errors_carry_the_security_headers()
    {
        var client = _factory.CreatePortalClient();
        AssertSecurityHeaders(await client.GetAsync("/Account/Login"));
        AssertSecurityHeaders(await client.GetAsync("/"));
        AssertSecurityHeaders(await client.GetAsync("/brand/portal.css"));
        AssertSecurityHeaders(await client.GetAsync("/culture/set?culture=en&redirectUri=%2F"));
        AssertSecurityHeaders(await client.GetAsync("/health"));

        await client.SignInAsync(DemoUsers.Admin);
        AssertSecurityHeaders(await client.GetAsync("/platforms"));
        AssertSecurityHeaders(await client.GetAsync("/no-such-page"));
        var bad = await client.GetAsync("/culture/set?culture=xx-XX");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        AssertSecurityHeaders(bad);
    }

    [Fact]
    public async Task Each_page_gets_its_own_script_nonce_and_the_import_map_carries_it()
    {
        var client = _factory.CreatePortalClient();
        var first = await client.GetAsync("/Account/Login");
        var second = await client.GetAsync("/Account/Login");
        var nonce = System.Text.RegularExpressions.Regex.Match(Header(first, "Content-Security-Policy")!, "'nonce-([^']+)'").Groups[1].Value;

        Assert.NotEqual(Header(first, "Content-Security-Policy"), Header(second, "Content-Security-Policy"));
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", await first.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Antiforgery_and_sign_in_cookies_are_HttpOnly_and_SameSite_strict_and_not_secure_over_plain_http_in_development()
    {
        var client = _factory.CreatePortalClient();
        var form = await client.GetAsync("/Account/Login");
        var antiforgery = SetCookie(form, SecureCookies.AntiforgeryCookieName);
        Assert.Contains("httponly", antiforgery);
        Assert.Contains("samesite=strict", antiforgery);
        Assert.DoesNotContain("secure", antiforgery);

        var signIn = await client.PostSignInAsync(DemoUsers.Analyst, DemoUsers.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var auth = SetCookie(signIn, "FinancePortal.Auth");
        Assert.Contains("httponly", auth);
        Assert.Contains("samesite=strict", auth);
        Assert.DoesNotContain("secure", auth);
    }

    [Fact]
    public async Task Outside_development_plain_http_is_redirected_except_health_and_the_cookies_are_always_secure()
    {
        await using var production = new EnvironmentFactory("Production");
        var cookie = production.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).Cookie;
        var antiforgeryOptions = production.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie;
        Assert.Equal(CookieSecurePolicy.Always, cookie.SecurePolicy);
        Assert.Equal(CookieSecurePolicy.Always, antiforgeryOptions.SecurePolicy);

        var http = production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://portal.example") });
        var plain = await http.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal("https://portal.example/Account/Login", plain.Headers.Location!.ToString());
        AssertSecurityHeaders(plain);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);

        var https = production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://portal.example") });
        var form = await https.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.StartsWith("max-age=", Header(form, "Strict-Transport-Security"));
        AssertSecurityHeaders(form);
        var antiforgery = SetCookie(form, SecureCookies.AntiforgeryCookieName);
        Assert.Contains("secure", antiforgery);
        Assert.Contains("httponly", antiforgery);
        Assert.Contains("samesite=strict", antiforgery);

        var signIn = await https.PostSignInAsync(DemoUsers.Analyst, DemoUsers.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var auth = SetCookie(signIn, "FinancePortal.Auth");
        Assert.Contains("secure", auth);
        Assert.Contains("httponly", auth);
        Assert.Contains("samesite=strict", auth);
    }

    [Fact]
    public async Task Behind_a_tls_terminating_proxy_with_forwarded_headers_enabled_the_portal_sees_https()
    {
        await using var production = new EnvironmentFactory("Production", forwardedHeaders: true);
        var client = production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://portal.example") });
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        var form = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("secure", SetCookie(form, SecureCookies.AntiforgeryCookieName));
    }

    [Fact]
    public async Task Sign_in_posts_beyond_the_limit_from_one_client_get_429_while_other_clients_still_sign_in()
    {
        await using var limited = new RateLimitedFactory(permitLimit: 3);
        var attacker = limited.CreatePortalClient();
        attacker.DefaultRequestHeaders.Add(RateLimitedFactory.ClientAddressHeader, "10.0.0.1");
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var failed = await attacker.PostSignInAsync(DemoUsers.Reviewer, $"Wrong!Password{attempt}");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            Assert.Contains("Invalid e-mail or password.", await failed.Content.ReadAsStringAsync());
        }

        var refused = await attacker.PostSignInAsync(DemoUsers.Approver, DemoUsers.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains(SignInRateLimiting.RefusedMessage, await refused.Content.ReadAsStringAsync());
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 60);
        AssertSecurityHeaders(refused);
        Assert.Equal(HttpStatusCode.OK, (await attacker.GetAsync("/Account/Login")).StatusCode);

        var colleague = limited.CreatePortalClient();
        colleague.DefaultRequestHeaders.Add(RateLimitedFactory.ClientAddressHeader, "10.0.0.2");
        await colleague.SignInAsync(DemoUsers.Approver);
    }

    [Fact]
    public async Task Health_is_public_json_and_reports_the_database_healthy_without_revealing_where_it_is()
    {
        var response = await _factory.CreatePortalClient().GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-store", Header(response, "Cache-Control") ?? "");
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty(HealthEndpoint.DatabaseCheck).GetProperty("status").GetString());
        AssertRevealsNothing(body);
    }

    [Fact]
    public async Task Health_probe_query_raises_no_entity_framework_warning()
    {
        // A load balancer probes every few seconds: a query EF Core warns about would fill the log.
        var logs = new LogCapture();
        await using var factory = new PortalAppFactory { ConfigureServices = s => s.AddLogging(b => b.AddProvider(logs)) };
        var client = factory.CreatePortalClient();
        logs.Clear();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        Assert.Empty(logs.Events.Where(e => e.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) && e.Level >= LogLevel.Warning)
            .Select(e => $"{e.EventId}: {e.Message}"));
    }

    [Fact]
    public async Task Health_answers_503_with_the_database_unhealthy_when_the_database_cannot_be_opened()
    {
        var client = _factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        // The database file becomes a directory: SQLite cannot open it ("unable to open database file").
        SqliteConnection.ClearAllPools();
        TestDatabase.Delete(_factory.DatabasePath);
        Directory.CreateDirectory(_factory.DatabasePath);
        try
        {
            var response = await client.GetAsync("/health");
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("Unhealthy", json.RootElement.GetProperty("status").GetString());
            Assert.Equal("Unhealthy", json.RootElement.GetProperty("checks").GetProperty(HealthEndpoint.DatabaseCheck).GetProperty("status").GetString());
            AssertRevealsNothing(body);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_factory.DatabasePath, recursive: true);
        }
    }

    private void AssertRevealsNothing(string body)
    {
        Assert.DoesNotContain("Data Source", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Path.GetFileName(_factory.DatabasePath), body);
        Assert.DoesNotContain("financeportal-tests", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("SQLite", body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The portal in another environment (HTTPS redirection, HSTS and always-secure cookies outside Development).</summary>
    private sealed class EnvironmentFactory(string environment, bool forwardedHeaders = false) : PortalAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(environment);
            builder.UseSetting("https_port", "443");
            if (forwardedHeaders)
            {
                // What ASPNETCORE_FORWARDEDHEADERS_ENABLED=true does in a deployment (security.md).
                builder.UseSetting("ForwardedHeaders_Enabled", "true");
            }
        }
    }

    /// <summary>A small sign-in limit; clients are told apart by X-Forwarded-For, as behind the production proxy.</summary>
    private sealed class RateLimitedFactory(int permitLimit) : PortalAppFactory
    {
        public const string ClientAddressHeader = "X-Forwarded-For";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:SignInRateLimit:PermitLimit", permitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Security:SignInRateLimit:WindowSeconds", "60");
            builder.UseSetting("ForwardedHeaders_Enabled", "true");
        }
    }
}
