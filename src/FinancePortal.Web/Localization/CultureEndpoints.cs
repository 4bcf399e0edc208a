using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>
    /// A path on this site that is safe to send back in a Location header: one the framework's own local-URL check
    /// accepts (no "//host", "/\\host", control characters such as "/%09/host"), starting with "/", and printable ASCII
    /// only (a header cannot carry "/%E3%80%82/host" decoded). Anything else is answered with a redirect to "/" by the
    /// callers, never a 500.
    /// </summary>
    public static bool IsLocal(string? url) =>
        RedirectHttpResult.IsLocalUrl(url) && url![0] == '/' && url.All(c => c is > ' ' and < (char)0x7F);
}
