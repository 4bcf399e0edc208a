using System.Security.Claims;
using FinancePortal.Application.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace FinancePortal.Web.Security;

/// <summary>
/// Holds the principal of the current HTTP request (set by <see cref="CurrentUserMiddleware"/>). Inside an interactive
/// circuit there is no request, so <see cref="CurrentUser"/> falls back to the circuit's authentication state.
/// </summary>
public sealed class RequestPrincipal
{
    public ClaimsPrincipal? Principal { get; set; }
}

public sealed class CurrentUser(RequestPrincipal request, AuthenticationStateProvider authentication) : ICurrentUser
{
    public async Task<UserContext> GetAsync(CancellationToken cancellationToken = default)
    {
        var principal = request.Principal ?? (await authentication.GetAuthenticationStateAsync()).User;
        return FromPrincipal(principal);
    }

    public static UserContext FromPrincipal(ClaimsPrincipal? principal)
    {
        var id = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal?.Identity?.IsAuthenticated != true || id is null)
        {
            return UserContext.Anonymous;
        }

        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().Order(StringComparer.Ordinal).ToArray();
        return new UserContext(id, principal.Identity.Name ?? id, roles) { ApiTokenName = principal.FindFirstValue(ApiTokenAuthentication.TokenNameClaim) };
    }
}

public sealed class CurrentUserMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, RequestPrincipal request)
    {
        request.Principal = context.User;
        return next(context);
    }
}
