using System.Globalization;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FinancePortal.Web.Endpoints;

/// <summary>
/// Loan-tape submissions over the filing API (docs/api.md): create by streaming the file in the body, status, findings,
/// error report, original file, confirm warnings, sign. Every call goes through <see cref="SubmissionService"/> like the
/// pages, so the data scope answers 404 for another platform's submission.
/// </summary>
public static class ApiSubmissionEndpoints
{
    public const string CsvType = "text/csv";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static RouteGroupBuilder MapApiSubmissionEndpoints(this RouteGroupBuilder api)
    {
        // Create: the body is the file, streamed to the file store (never buffered whole); the portal's own limit
        // (Uploads:MaxLoanTapeBytes) replaces the server's request-size limit.
        api.MapPost("/filings/{period}/submissions", CreateAsync)
            .RequireAuthorization(Policies.Operator)
            .WithMetadata(new DisableRequestSizeLimitAttribute())
            .WithIdempotencyKey();

        api.MapGet("/submissions/{id:long}", async (long id, SubmissionService submissions, CancellationToken ct) =>
            Results.Ok(await StatusAsync(submissions, id, ct)));

        var one = api.MapGroup("/submissions/{id:long}");
        // Numbers are read here, not bound, so a bad one is the API's 400 problem with its code.
        one.MapGet("/findings", async (long id, [FromQuery] string? code, [FromQuery] string? row, [FromQuery] string? page, [FromQuery] string? pageSize,
            IPortalDbFactory dbFactory, CancellationToken ct) =>
        {
            var (p, size) = ((int)Number(page, "page", 0), (int)Number(pageSize, "pageSize", 100));
            var found = await dbFactory.SearchAsync(id, code, row is null ? null : Number(row, "row", 0), p, size, ct);
            return Results.Ok(new ApiFindingPage(found.TotalCount, p, size, found.Items.Select(f =>
                new ApiFinding(f.Code, f.Blocking ? "error" : "warning", f.Row, f.LoanId, f.Column, f.Value, f.Message)).ToList()));
        });

        one.MapGet("/errors.xlsx", (long id, HttpContext http, SubmissionService submissions, GridExports grids) =>
            ErrorReportAsync(id, http, submissions, grids, ExportFormat.Xlsx));
        one.MapGet("/errors.csv", (long id, HttpContext http, SubmissionService submissions, GridExports grids) =>
            ErrorReportAsync(id, http, submissions, grids, ExportFormat.Csv));

        one.MapGet("/file", async (long id, SubmissionService submissions, CancellationToken ct) =>
        {
            var file = await submissions.OpenOriginalAsync(id, ct) ?? throw NotFound(id);
            var type = Path.GetExtension(file.FileName).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) ? XlsxType : CsvType;
            return Results.File(file.Content, type, file.FileName, enableRangeProcessing: true);
        });

        one.MapGet("/receipt", async (long id, SubmissionService submissions, CancellationToken ct) =>
            await submissions.GetReceiptAsync(id, ct) is { } receipt
                ? Results.Ok(ApiReceipt.Of(receipt))
                : throw new NotFoundException($"Submission {id} is not signed, does not exist or is outside your data scope: there is no receipt."));

        one.MapPost("/confirm", async (long id, HttpContext http, SubmissionService submissions, CancellationToken ct) =>
        {
            var stamp = await StampAsync(http, submissions, id, ct);
            await submissions.AcknowledgeWarningsAsync(id, stamp, ct);
            return Results.Ok(await StatusAsync(submissions, id, ct));
        }).RequireAuthorization(Policies.Operator);

        one.MapPost("/sign", SignAsync).RequireAuthorization(Policies.Operator).WithIdempotencyKey();
        return api;
    }

    private static async Task<IResult> CreateAsync(string period, [FromQuery] string? fileName, HttpContext http, SubmissionService submissions,
        IOptions<UploadOptions> uploads, CancellationToken ct)
    {
        var name = FileNameFor(http.Request, fileName, period);
        var max = uploads.Value.MaxLoanTapeBytes;
        if (http.Request.ContentLength > max)
        {
            throw TooLarge(name, max);
        }

        long read = 0;
        var body = new CountingReadStream(http.Request.Body, n => read = n);
        SubmitResult result;
        try
        {
            result = await submissions.SubmitAsync(period, name, body, null, ct);
        }
        catch (ValidationFailedException) when (read > max)
        {
            throw TooLarge(name, max);
        }

        var status = await StatusAsync(submissions, result.Id, ct);
        return Results.Accepted(status.Links.Self, status);
    }

    private static async Task<IResult> SignAsync(long id, HttpContext http, SubmissionService submissions, CancellationToken ct)
    {
        if (!http.Request.HasJsonContentType())
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "unsupported-type",
                "Send the attestation as JSON (Content-Type: application/json): { \"attestedName\": \"Your Name\", \"confirm\": true }.");
        }

        SignRequest? request;
        try
        {
            request = await http.Request.ReadFromJsonAsync<SignRequest>(ct);
        }
        catch (System.Text.Json.JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            throw new ValidationFailedException("body", "Send { \"attestedName\": \"Your Name\", \"confirm\": true }.");
        }

        var stamp = await StampAsync(http, submissions, id, ct);
        await submissions.SignAndIssueReceiptAsync(id, request.AttestedName ?? "", request.Confirm, stamp, ct);
        var receipt = await submissions.GetReceiptAsync(id, ct) ?? throw NotFound(id);
        return Results.Ok(ApiReceipt.Of(receipt));
    }

    private static async Task<IResult> ErrorReportAsync(long id, HttpContext http, SubmissionService submissions, GridExports grids, ExportFormat format)
    {
        // The scope check first, so a submission outside it is the API's 404 problem with its code.
        await submissions.PlatformOfAsync(id, http.RequestAborted);
        return await ExportEndpoints.ExportAsync(http, ct => grids.FindingsAsync(id, new FindingQuery(), "all findings (error report)", ct), format);
    }

    /// <summary>The submission's status body; <see cref="NotFoundException"/> outside the scope.</summary>
    public static async Task<ApiSubmission> StatusAsync(SubmissionService submissions, long id, CancellationToken ct) =>
        ApiSubmission.Of(await submissions.GetAsync(id, ct) ?? throw NotFound(id));

    /// <summary>The concurrency stamp: the client's <c>If-Match</c> when it sends one, else the current one.</summary>
    private static async Task<Guid> StampAsync(HttpContext http, SubmissionService submissions, long id, CancellationToken ct)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0)
        {
            var text = ifMatch.Trim();
            text = text.StartsWith("W/", StringComparison.Ordinal) ? text[2..] : text;
            return Guid.TryParse(text.Trim('"'), out var given)
                ? given
                : throw new ValidationFailedException("If-Match", "If-Match must be the submission's \"stamp\" (a GUID) as read from GET /api/v1/submissions/{id}.");
        }

        return (await submissions.GetAsync(id, ct) ?? throw NotFound(id)).ConcurrencyStamp;
    }

    /// <summary>
    /// The file name the service will read the file as: the query's, checked against the Content-Type; without one,
    /// a name from the type. A type that is not a loan tape is 415.
    /// </summary>
    private static string FileNameFor(HttpRequest request, string? fileName, string period)
    {
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        var type = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        var expected = type switch
        {
            CsvType => ".csv",
            XlsxType => ".xlsx",
            "application/octet-stream" when extension is ".csv" or ".xlsx" => extension,
            _ => null,
        };
        if (expected is null || (extension.Length > 0 && extension != expected))
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "unsupported-type",
                $"Send the loan tape as Content-Type {CsvType} (a .csv file) or {XlsxType} (a .xlsx file), or application/octet-stream with fileName=….csv or ….xlsx; " +
                $"got {(string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : request.ContentType)}{(fileName is null ? "" : $" with fileName={fileName}")}.");
        }

        return string.IsNullOrWhiteSpace(fileName) ? $"loan-tape-{period}{expected}" : fileName;
    }

    private static long Number(string? text, string name, long fallback) =>
        text is null ? fallback
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= int.MaxValue ? n
        : throw new ValidationFailedException(name, $"{name} must be a whole number from 0.");

    private static ApiProblemException TooLarge(string name, long max) =>
        new(StatusCodes.Status413PayloadTooLarge, "too-large", $"\"{name}\" is larger than the {FileSizeLimit.Size(max)} limit for loan tapes.");

    private static NotFoundException NotFound(long id) => new($"Submission {id} does not exist or is outside your data scope.");
}
