using System.Net;
using FinancePortal.TestSupport;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Hosting;

namespace FinancePortal.IntegrationTests;

/// <summary>
/// Issue 16, observation 1 and deliverable 1: the portal in Production on a real loopback Kestrel port, reached over plain
/// HTTP the way a TLS-terminating proxy reaches it. The ForwardedHeaders settings decide whose X-Forwarded-* headers
/// count; with them the sign-in form answers 200 with Secure cookies, HSTS and the browser's host, and without a trusted
/// proxy plain HTTP is redirected to HTTPS.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static HttpClient Client(string baseAddress) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(baseAddress) };

    private static HttpRequestMessage ViaProxy(string path, string clientAddress = "203.0.113.9")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", clientAddress);
        request.Headers.Add("X-Forwarded-Host", "portal.example");
        return request;
    }

    private static string Cookie(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name + "=", StringComparison.Ordinal)).ToLowerInvariant();

    [Fact]
    public async Task A_trusted_proxys_headers_make_the_sign_in_form_secure_and_strict()
    {
        await using var portal = new ProductionBehindProxy();
        using var http = Client(portal.StartKestrel());

        var form = await http.SendAsync(ViaProxy("/Account/Login"));

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("secure", Cookie(form, SecureCookies.AntiforgeryCookieName));
        Assert.StartsWith("max-age=", form.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Contains("wss://portal.example", form.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Plain_http_without_the_proxys_headers_is_redirected_to_https()
    {
        await using var portal = new ProductionBehindProxy();
        using var http = Client(portal.StartKestrel());

        var plain = await http.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal(Uri.UriSchemeHttps, plain.Headers.Location!.Scheme);
    }

    [Fact]
    public async Task Headers_from_an_address_that_is_not_a_listed_proxy_are_ignored()
    {
        await using var portal = new ProductionBehindProxy(("ForwardedHeaders:KnownProxies:0", "10.9.9.9"));
        using var http = Client(portal.StartKestrel());

        var spoofed = await http.SendAsync(ViaProxy("/Account/Login"));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, spoofed.StatusCode);
        Assert.DoesNotContain("portal.example", spoofed.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Each_forwarded_client_address_gets_its_own_sign_in_window()
    {
        await using var portal = new ProductionBehindProxy(("Security:SignInRateLimit:PermitLimit", "1"));
        using var http = Client(portal.StartKestrel());

        async Task<HttpStatusCode> PostAsync(string clientAddress)
        {
            var request = ViaProxy("/Account/Login", clientAddress);
            request.Method = HttpMethod.Post;
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "login" });
            return (await http.SendAsync(request)).StatusCode;
        }

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync("203.0.113.1"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostAsync("203.0.113.2"));
    }

    /// <summary>Production, forwarded headers on (loopback proxies trusted unless settings list others), HTTPS on 443 at the proxy.</summary>
    private sealed class ProductionBehindProxy(params (string Key, string Value)[] settings) : PortalAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.UseSetting("https_port", "443");
            builder.UseSetting("ForwardedHeaders:Enabled", "true");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
