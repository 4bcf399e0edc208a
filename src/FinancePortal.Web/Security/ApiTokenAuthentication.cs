using System.Security.Claims;
using System.Text.Encodings.Web;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.ApiTokens;
using FinancePortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FinancePortal.Web.Security;

/// <summary>
/// Bearer API tokens for <c>/api/</c> (docs/api.md). Requests under <c>/api/</c> that carry <c>Authorization: Bearer</c>
/// are authenticated by <see cref="ApiTokenAuthenticationHandler"/>; every other request (and the browser's own calls to
/// the API) by the sign-in cookie. Under <c>/api/</c> a missing or bad credential is 401 and a missing role 403, never a
/// redirect to the sign-in page.
/// </summary>
public static class ApiTokenAuthentication
{
    public const string Scheme = "ApiToken";

    /// <summary>The default scheme: picks the token or the cookie per request.</summary>
    public const string Selector = "PortalSelector";

    /// <summary>The claim that carries the token's name into <c>UserContext.ApiTokenName</c> and the audit log.</summary>
    public const string TokenNameClaim = "api_token";

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public static AuthenticationBuilder AddApiTokens(this AuthenticationBuilder builder) =>
        builder
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(Scheme, null)
            .AddPolicyScheme(Selector, null, o => o.ForwardDefaultSelector = context =>
                IsApi(context.Request) && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? Scheme
                    : IdentityConstants.ApplicationScheme);

    /// <summary>The cookie answers 401/403 under /api/ instead of redirecting.</summary>
    public static void AnswerApiWithStatusCodes(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions cookie)
    {
        var login = cookie.Events.OnRedirectToLogin;
        var denied = cookie.Events.OnRedirectToAccessDenied;
        cookie.Events.OnRedirectToLogin = context => IsApi(context.Request) ? Problem(context.HttpContext, StatusCodes.Status401Unauthorized) : login(context);
        cookie.Events.OnRedirectToAccessDenied = context => IsApi(context.Request) ? Problem(context.HttpContext, StatusCodes.Status403Forbidden) : denied(context);
    }

    internal static Task Problem(HttpContext context, int status)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        var (code, detail) = status == StatusCodes.Status401Unauthorized
            ? ("unauthenticated", "Send a valid API token as 'Authorization: Bearer fpt_…' (it may have expired or been revoked, or its creator can no longer act in its role).")
            : ("forbidden", "Your token's role may not use this endpoint.");
        return Results.Problem(detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code }).ExecuteAsync(context);
    }
}

/// <summary>
/// Turns a bearer token into its creator's principal, in the token's role only, after checking on every call that the
/// creator is not locked out, still holds that role and (an Operator) still belongs to the token's platform.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    UserManager<PortalUser> users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = await tokens.FindActiveAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (token is null)
        {
            return AuthenticateResult.Fail("The API token is unknown, expired or revoked.");
        }

        var user = await users.FindByIdAsync(token.CreatedByUserId);
        if (user is null || await users.IsLockedOutAsync(user) || !await users.IsInRoleAsync(user, token.Role) ||
            (token.Role == Roles.Operator && user.PlatformId != token.PlatformId))
        {
            return AuthenticateResult.Fail("The API token's creator can no longer act in its role.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id),
                new Claim(ClaimTypes.Name, user.UserName ?? user.Id),
                new Claim(ClaimTypes.Role, token.Role),
                new Claim(PortalClaimsPrincipalFactory.DisplayNameClaim, user.DisplayName),
                new Claim(ApiTokenAuthentication.TokenNameClaim, token.Name),
            ],
            Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiTokenAuthentication.Problem(Context, StatusCodes.Status401Unauthorized);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiTokenAuthentication.Problem(Context, StatusCodes.Status403Forbidden);
}
