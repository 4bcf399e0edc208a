using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using FinancePortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace FinancePortal.Web.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>Identity with EF stores, cookies, the six roles, password and lockout policy, authorization policies.</summary>
    public static IServiceCollection AddPortalSecurity(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<RequestPrincipal>();
        services.AddScoped<ICurrentUser, CurrentUser>();

        services.AddAuthentication(options =>
            {
                // The cookie, or under /api/ a bearer API token (ApiTokenAuthentication).
                options.DefaultScheme = ApiTokenAuthentication.Selector;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddApiTokens()
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/Account/Login";
            cookie.LogoutPath = "/Account/Logout";
            cookie.AccessDeniedPath = "/Account/AccessDenied";
            cookie.Cookie.Name = "FinancePortal.Auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            ApiTokenAuthentication.AnswerApiWithStatusCodes(cookie);
        });

        services.AddPortalIdentity()
            .AddSignInManager<PortalSignInManager>()
            .AddDefaultTokenProviders();

        services.AddAuthorization(Policies.Configure);
        return services;
    }
}
