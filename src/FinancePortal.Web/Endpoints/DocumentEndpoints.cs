using FinancePortal.Application.Features.Applications;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace FinancePortal.Web.Endpoints;

public static class DocumentEndpoints
{
    /// <summary>GET /documents/{id}: an application document, for the platform's own users and regulators in scope; 404 otherwise.</summary>
    public static IEndpointConventionBuilder MapDocumentEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/documents/{id:long}", async (long id, [FromServices] DocumentService documents, CancellationToken ct) =>
                await documents.DownloadAsync(id, ct) is { } file
                    ? Results.File(file.Bytes, file.ContentType, file.FileName)
                    : Results.NotFound())
            .RequireAuthorization(Policies.SignedIn);
}
