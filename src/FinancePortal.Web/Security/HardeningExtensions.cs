using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace FinancePortal.Web.Security;

/// <summary>Production hardening: security headers, cookie flags, sign-in rate limiting, /health (security.md).</summary>
public static class HardeningExtensions
{
    public static IServiceCollection AddPortalHardening(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<SecureCookies>();
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>>(sp => sp.GetRequiredService<SecureCookies>());
        services.AddSingleton<IPostConfigureOptions<AntiforgeryOptions>>(sp => sp.GetRequiredService<SecureCookies>());
        services.AddSignInRateLimiting(configuration);
        services.AddPortalHealthChecks();
        return services;
    }

    /// <summary>
    /// First in the pipeline: headers go on every response, /health answers before HTTPS redirection and sign-in,
    /// and refused sign-in posts never reach the form.
    /// </summary>
    public static IApplicationBuilder UsePortalHardening(this IApplicationBuilder app) =>
        app.UsePortalSecurityHeaders()
            .UsePortalHealthChecks()
            .UseRateLimiter();
}
