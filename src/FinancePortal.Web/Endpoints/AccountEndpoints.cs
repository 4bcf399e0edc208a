using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Web.Localization;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace FinancePortal.Web.Endpoints;

public static class AccountEndpoints
{
    /// <summary>
    /// POST /Account/Logout (antiforgery-protected form post from the app bar) and POST /Account/LogoutEverywhere, which
    /// also renews the user's security stamp: every other session (other browsers, other instances, live circuits) ends
    /// within the session validation interval.
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/LogoutEverywhere", async (
                HttpContext context,
                [FromServices] SignInManager<PortalUser> signInManager,
                [FromServices] AuditService audit) =>
            {
                var user = CurrentUser.FromPrincipal(context.User);
                if (await signInManager.UserManager.GetUserAsync(context.User) is { } account)
                {
                    await signInManager.UserManager.UpdateSecurityStampAsync(account);
                }

                await signInManager.SignOutAsync();
                await audit.RecordAsync(user, AuditActions.UserSignedOutEverywhere, nameof(PortalUser), user.UserId, $"{user.UserName} signed out everywhere.");
                return TypedResults.LocalRedirect("/Account/Login");
            })
            .RequireAuthorization(Policies.SignedIn);
        endpoints.MapPost("/Account/Logout", async (
                HttpContext context,
                [FromServices] SignInManager<PortalUser> signInManager,
                [FromServices] AuditService audit,
                [FromForm] string? returnUrl) =>
            {
                var user = CurrentUser.FromPrincipal(context.User);
                await signInManager.SignOutAsync();
                await audit.RecordAsync(user, AuditActions.SignOut, nameof(PortalUser), user.UserId, $"{user.UserName} signed out.");
                return TypedResults.LocalRedirect(CultureEndpoints.IsLocal(returnUrl) ? returnUrl! : "/Account/Login");
            })
            .RequireAuthorization(Policies.SignedIn);
        return endpoints;
    }
}
