using FinancePortal.Application;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace FinancePortal.Web.Endpoints;

public static class ReportEndpoints
{
    /// <summary>
    /// GET /reports/{id}/file: the stored workbook of a generated report, for analysts and risk officers who may see it
    /// (national users: every report; narrower scopes: their own reports); 404 otherwise. The download is audited.
    /// </summary>
    public static IEndpointConventionBuilder MapReportEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/reports/{id:long}/file", async (long id, [FromServices] ReportService reports, CancellationToken ct) =>
            {
                try
                {
                    var file = await reports.OpenFileAsync(id, ct);
                    return Results.File(file.Content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", file.FileName);
                }
                catch (Exception e) when (e is NotFoundException or FileNotFoundException)
                {
                    return Results.NotFound();
                }
            })
            .RequireAuthorization(Policies.ReportBuilder);
}
