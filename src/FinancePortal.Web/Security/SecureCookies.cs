using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace FinancePortal.Web.Security;

/// <summary>
/// Cookie flags for the Identity cookies and the antiforgery cookie: HttpOnly, SameSite=Strict (the portal has no
/// cross-site sign-in flow), and Secure always outside Development. Development and the tests run over plain HTTP on
/// loopback, where the cookies are secure only when the request is.
/// </summary>
public sealed class SecureCookies(IHostEnvironment environment)
    : IPostConfigureOptions<CookieAuthenticationOptions>, IPostConfigureOptions<AntiforgeryOptions>
{
    public const string AntiforgeryCookieName = "FinancePortal.Antiforgery";

    private CookieSecurePolicy SecurePolicy =>
        environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        options.Cookie.HttpOnly = true;
        options.Cookie.SecurePolicy = SecurePolicy;
    }

    public void PostConfigure(string? name, AntiforgeryOptions options)
    {
        options.Cookie.Name = AntiforgeryCookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = SecurePolicy;
    }
}
