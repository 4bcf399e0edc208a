using FinancePortal.Application.Features.Submissions;
using FinancePortal.Infrastructure.Export;
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

        group.MapGet("/errors.xlsx", async (long id, HttpContext http, [FromServices] SubmissionService submissions, CancellationToken ct) =>
        {
            if (await submissions.StreamFindingsAsync(id, ct) is not { } report)
            {
                return Results.NotFound();
            }

            // The SDK needs a seekable stream: build the workbook in a temporary file, then stream that file.
            var temp = Path.Combine(Path.GetTempPath(), $"fp-errors-{Guid.NewGuid():N}.xlsx");
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite))
            {
                await FindingsWorkbook.WriteAsync(file, $"{report.Submission.Platform!.Code} {report.Submission.Period} · {report.Submission.FileName}", report.Findings, ct);
            }

            var name = $"{report.Submission.Platform!.Code}-{report.Submission.Period}-findings-{id}.xlsx";
            var stream = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            return Results.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
        });

        return endpoints;
    }
}
