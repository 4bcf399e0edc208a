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
        services.AddSessionRevocation(configuration);
        services.AddPortalForwardedHeaders(configuration);
        services.AddPortalHealthChecks();
        return services;
    }

    /// <summary>
    /// First in the pipeline: headers go on every response and /health answers before HTTPS redirection and sign-in.
    /// The sign-in rate limiter is a policy on the sign-in endpoint; <c>UseRateLimiter</c> runs after request
    /// localization (Program.cs), so its refusal page speaks the user's language, and before the endpoint runs.
    /// </summary>
    public static IApplicationBuilder UsePortalHardening(this IApplicationBuilder app) =>
        app.UsePortalSecurityHeaders()
            .UsePortalHealthChecks();
}
