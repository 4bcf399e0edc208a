using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Features.Submissions;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace FinancePortal.Web.Endpoints;

public static class SubmissionEndpoints
{
    /// <summary>Downloads of a submission: the original file and the XLSX error report. 404 outside the user's scope.</summary>
    public static IEndpointRouteBuilder MapSubmissionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/submissions/{id:long}").RequireAuthorization(Policies.SignedIn);

        group.MapGet("/file", async (long id, [FromServices] SubmissionService submissions, CancellationToken ct) =>
            await submissions.OpenOriginalAsync(id, ct) is { } file
                ? Results.File(file.Content, "application/octet-stream", file.FileName, enableRangeProcessing: true)
                : Results.NotFound());

        // The error report: every finding of the submission, through the one export service (the findings grid's
        // export with no filter), so it streams, continues past a full sheet and is audited like every export.
        group.MapGet("/errors.xlsx", (long id, HttpContext http, [FromServices] GridExports grids) =>
            ExportEndpoints.ExportAsync(http, ct => grids.FindingsAsync(id, new FindingQuery(), "all findings (error report)", ct), ExportFormat.Xlsx));

        return endpoints;
    }
}
