using System.Globalization;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace FinancePortal.Web.Endpoints;

/// <summary>
/// <c>/exports/{grid}?format=xlsx|csv&amp;...filters</c>: one endpoint family for the loan-level extract and every grid
/// export, each under the policy of its page. The feature's query runs with the user's scope; its first row is read
/// before the response starts, so a refusal is a plain 403/404/400. Then the file is written straight to the response
/// body (no buffering, no temporary file) and the request's abort token cancels the query and the writer.
/// An optional <c>progress</c> key registers an <see cref="ExportTracker"/> the page polls (rows written, cancel).
/// </summary>
public static class ExportEndpoints
{
    private static readonly HashSet<string> NotFilters = new(StringComparer.OrdinalIgnoreCase) { "format", "progress" };

    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/exports");

        group.MapGet("/loans", (HttpContext http, [FromServices] LoanExtractService loans) =>
                ExportAsync(http, ct => loans.PrepareAsync(LoanFilter(http.Request.Query), ct)))
            .RequireAuthorization(Policies.Extracts);

        group.MapGet("/applications", (HttpContext http, [FromServices] GridExports grids) =>
                ExportAsync(http, ct => grids.ApplicationsAsync(ApplicationQuery(http.Request.Query, http.User), Filters(http), ct)))
            .RequireAuthorization(Policies.SignedIn);

        group.MapGet("/findings", (HttpContext http, [FromServices] GridExports grids) =>
                Long(http.Request.Query, "submissionId") is { } id
                    ? ExportAsync(http, ct => grids.FindingsAsync(id, new FindingQuery { Code = Text(http.Request.Query, "code") }, Filters(http), ct))
                    : Task.FromResult(Results.Problem(statusCode: 400, detail: "Give the submission: submissionId=<id>.")))
            .RequireAuthorization(Policies.SignedIn);

        group.MapGet("/alerts", (HttpContext http, [FromServices] GridExports grids) =>
                ExportAsync(http, ct => grids.AlertsAsync(AlertQuery(http.Request.Query), Filters(http), ct)))
            .RequireAuthorization(Policies.AlertReader);

        group.MapGet("/audit", (HttpContext http, [FromServices] GridExports grids) =>
                ExportAsync(http, ct => grids.AuditAsync(AuditQuery(http.Request.Query), Filters(http), ct)))
            .RequireAuthorization(Policies.AuditReader);

        group.MapGet("/dashboard", (HttpContext http, [FromServices] GridExports grids) =>
                ExportAsync(http, ct => grids.DashboardAsync(DashboardFilter(http.Request.Query), Filters(http), ct)))
            .RequireAuthorization(Policies.MonitoringReader);

        group.MapGet("/peers", (HttpContext http, [FromServices] GridExports grids) =>
                ExportAsync(http, ct => grids.PeersAsync(DashboardFilter(http.Request.Query), Filters(http), ct)))
            .RequireAuthorization(Policies.MonitoringReader);

        group.MapGet("/roll-rates", (HttpContext http, [FromServices] GridExports grids) =>
                ExportAsync(http, ct => grids.RollRatesAsync(DashboardFilter(http.Request.Query), Filters(http), ct)))
            .RequireAuthorization(Policies.MonitoringReader);

        return endpoints;
    }

    public static LoanExtractFilter LoanFilter(IQueryCollection q)
    {
        var month = Text(q, "month");
        return new LoanExtractFilter(Int(q, "platformId"), Text(q, "from") ?? month, Text(q, "to") ?? month, Text(q, "status"), Text(q, "product"));
    }

    /// <summary>Prepares and streams one export in the format of the query's <c>format</c> key, or in <paramref name="fixedFormat"/>.</summary>
    internal static async Task<IResult> ExportAsync(HttpContext http, Func<CancellationToken, Task<IPreparedExport>> prepare, ExportFormat? fixedFormat = null)
    {
        ExportFormat format;
        if (fixedFormat is { } given)
        {
            format = given;
        }
        else if (!ExportService.TryParseFormat(http.Request.Query["format"], out format))
        {
            return Results.Problem(statusCode: 400, detail: "format must be xlsx or csv.");
        }

        var ct = http.RequestAborted;
        IPreparedExport prepared;
        try
        {
            prepared = await prepare(ct);
        }
        catch (ForbiddenException e)
        {
            return Results.Problem(statusCode: 403, title: "Outside your data scope", detail: e.Message);
        }
        catch (NotFoundException e)
        {
            return Results.Problem(statusCode: 404, detail: e.Message);
        }
        catch (ValidationFailedException e)
        {
            return Results.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => new[] { x.Value }));
        }

        http.Response.RegisterForDisposeAsync(prepared);
        var trackers = http.RequestServices.GetRequiredService<ExportTrackers>();
        var tracker = trackers.Start(http.Request.Query["progress"], http.User.Identity?.Name ?? "");
        return Results.Stream(async body =>
        {
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            try
            {
                await prepared.WriteAsync(format, body, tracker, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested || tracker?.Token.IsCancellationRequested == true)
            {
                // The client went away or pressed cancel: drop the connection so no truncated file looks complete.
                http.Abort();
            }
        }, ExportService.ContentType(format), prepared.FileName(format));
    }

    /// <summary>The query string minus format and progress key, for the audit entry.</summary>
    private static string Filters(HttpContext http) =>
        string.Join("; ", http.Request.Query.Where(p => !NotFilters.Contains(p.Key) && !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>The queue's filters; <c>assignee=me</c> is the signed-in reviewer, as on the page.</summary>
    private static ApplicationQuery ApplicationQuery(IQueryCollection q, System.Security.Claims.ClaimsPrincipal user) => new()
    {
        State = Enum<ApplicationState>(q, "state"),
        PlatformId = Int(q, "platformId"),
        Band = Enum<Band>(q, "band"),
        SubmittedFromUtc = Time(q, "submittedFrom"),
        SubmittedToUtc = Time(q, "submittedTo"),
        AssigneeId = Text(q, "assignee") == "me" ? user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value : Text(q, "assignee"),
        Search = Text(q, "search"),
        SortBy = Text(q, "sortBy"),
        Descending = Bool(q, "desc"),
    };

    private static AlertQuery AlertQuery(IQueryCollection q) => new()
    {
        State = Enum<AlertState>(q, "state"),
        OpenOnly = Bool(q, "openOnly"),
        Rule = Enum<AlertRule>(q, "rule"),
        Severity = Enum<AlertSeverity>(q, "severity"),
        PlatformId = Int(q, "platformId"),
        AssignedToMe = Bool(q, "mine"),
        SortBy = Text(q, "sortBy"),
        Descending = Bool(q, "desc"),
    };

    private static AuditQuery AuditQuery(IQueryCollection q) => new()
    {
        Actor = Text(q, "actor"),
        Action = Text(q, "action"),
        EntityType = Text(q, "entityType"),
        PlatformId = Int(q, "platformId"),
        FromUtc = Time(q, "from"),
        ToUtc = Time(q, "to"),
        Text = Text(q, "text"),
        SortBy = Text(q, "sortBy"),
        Descending = Bool(q, "desc"),
    };

    private static DashboardFilter DashboardFilter(IQueryCollection q) =>
        new(Int(q, "platformId"), Text(q, "product"), Text(q, "from"), Text(q, "to"));

    private static string? Text(IQueryCollection q, string key) => q[key].ToString() is { Length: > 0 } value ? value : null;

    private static int? Int(IQueryCollection q, string key) => int.TryParse(q[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static long? Long(IQueryCollection q, string key) => long.TryParse(q[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static bool Bool(IQueryCollection q, string key) => bool.TryParse(q[key], out var v) && v;

    private static DateTime? Time(IQueryCollection q, string key) =>
        DateTime.TryParse(q[key], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var v) ? v : null;

    private static T? Enum<T>(IQueryCollection q, string key) where T : struct, Enum =>
        System.Enum.TryParse<T>(q[key], ignoreCase: true, out var v) && System.Enum.IsDefined(v) ? v : null;
}
