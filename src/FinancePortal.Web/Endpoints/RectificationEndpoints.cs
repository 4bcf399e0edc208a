using FinancePortal.Application.Features.Rectifications;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace FinancePortal.Web.Endpoints;

public static class RectificationEndpoints
{
    /// <summary>GET /rectifications/attachments/{id}: a file attached to a reply, for the platform's users and regulators in scope; 404 otherwise.</summary>
    public static IEndpointConventionBuilder MapRectificationEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/rectifications/attachments/{id:long}", async (long id, [FromServices] RectificationService rectifications, CancellationToken ct) =>
                await rectifications.OpenAttachmentAsync(id, ct) is { } file
                    ? Results.File(file.Content, file.ContentType, file.FileName)
                    : Results.NotFound())
            .RequireAuthorization(Policies.MonitoringReader);
}
