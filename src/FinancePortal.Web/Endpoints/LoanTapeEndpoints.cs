using System.Globalization;
using System.Net;
using System.Text;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Web.Components.Pages.LoanTapes;
using FinancePortal.Web.Localization;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Localization;
using Microsoft.AspNetCore.Mvc;

namespace FinancePortal.Web.Endpoints;

public static class LoanTapeEndpoints
{
    /// <summary>Downloads of a submission: the original file and the XLSX error report. 404 outside the user's scope.</summary>
    public static IEndpointRouteBuilder MapLoanTapeEndpoints(this IEndpointRouteBuilder endpoints)
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

        // The filing receipt as one self-contained, printable HTML file (the receipt page's content), audited.
        group.MapGet("/receipt.html", async (long id, HttpContext http, [FromServices] SubmissionService submissions, CancellationToken ct) =>
            await submissions.DownloadReceiptAsync(id, ct) is { } receipt
                ? Results.File(await ReceiptDocumentAsync(http.RequestServices, receipt), "text/html; charset=utf-8",
                    $"receipt-{receipt.PlatformCode}-{receipt.Period}-v{receipt.Version}.html")
                : Results.NotFound());

        return endpoints;
    }

    /// <summary>Renders <see cref="FilingReceiptView"/> to a whole HTML document in the request's language.</summary>
    public static async Task<byte[]> ReceiptDocumentAsync(IServiceProvider services, FilingReceipt receipt)
    {
        var l = services.GetRequiredService<IStringLocalizer<SharedResource>>();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var body = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<FilingReceiptView>(ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(FilingReceiptView.Receipt)] = receipt }));
            return output.ToHtmlString();
        });
        var title = WebUtility.HtmlEncode($"{l["Filing receipt"]} {receipt.ConfirmationNumber}");
        var html = $$"""
            <!DOCTYPE html>
            <html lang="{{CultureInfo.CurrentUICulture.Name}}">
            <head><meta charset="utf-8"><title>{{title}}</title><style>body { font-family: system-ui, sans-serif; margin: 2rem; }</style></head>
            <body>
            {{body}}
            </body>
            </html>
            """;
        return Encoding.UTF8.GetBytes(html);
    }
}
