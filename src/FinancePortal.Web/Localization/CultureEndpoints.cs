using Microsoft.AspNetCore.Localization;

namespace FinancePortal.Web.Localization;

public static class CultureEndpoints
{
    public static readonly string[] Supported = ["en", "zh-CN"];

    /// <summary>GET /culture/set?culture=zh-CN&amp;redirectUri=/ — stores the choice in a cookie. Public: the sign-in page uses it.</summary>
    public static IEndpointConventionBuilder MapCultureEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/culture/set", (string culture, string? redirectUri, HttpContext context) =>
            {
                if (!Supported.Contains(culture, StringComparer.OrdinalIgnoreCase))
                {
                    return Results.BadRequest($"Unsupported culture '{culture}'. Use one of: {string.Join(", ", Supported)}.");
                }

                context.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = context.Request.IsHttps });
                return Results.LocalRedirect(IsLocal(redirectUri) ? redirectUri! : "/");
            })
            .AllowAnonymous()
            .WithName("SetCulture");

    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
