using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;

namespace FinancePortal.Web.Security;

/// <summary>
/// Writes one audit entry for every API call made with a token (who, which token, method, path and status), after the
/// call finished. Calls from the browser with the sign-in cookie are audited by the services like the pages.
/// </summary>
public sealed class ApiCallAudit(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ICurrentUser current, IPortalDbFactory dbFactory)
    {
        await next(context);
        if (!ApiTokenAuthentication.IsApi(context.Request))
        {
            return;
        }

        var user = await current.GetAsync(context.RequestAborted);
        if (user.ApiTokenName is null)
        {
            return;
        }

        await using var db = await dbFactory.CreateForAsync(user, CancellationToken.None);
        int? platform = db.Scope.IsAll || db.Scope.PlatformIds.Count != 1 ? null : db.Scope.PlatformIds.First();
        db.Audit(AuditActions.ApiCall, "Api", null, platform,
            $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} → {context.Response.StatusCode}");
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
