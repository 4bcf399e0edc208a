using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Web.Localization;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace FinancePortal.Web.Endpoints;

public static class AccountEndpoints
{
    /// <summary>POST /Account/Logout (antiforgery-protected form post from the app bar).</summary>
    public static IEndpointConventionBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints) =>
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
}
