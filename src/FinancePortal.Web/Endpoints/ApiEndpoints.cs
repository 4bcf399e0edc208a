using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace FinancePortal.Web.Endpoints;

/// <summary>
/// The filing API under <c>/api/v1</c> (docs/api.md): JSON, bearer API tokens or the sign-in cookie, the same services
/// and data scope as the pages. Errors are RFC 9457 problem details with a <c>code</c>; 401/403 never redirect.
/// </summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireAuthorization(Policies.SignedIn).AddEndpointFilter(ProblemFilter);

        // The filing calendar: months, deadlines, state and versions, one row per platform in the caller's scope
        // (an Operator's token: its own platform; an Analyst's: the platforms of their provinces).
        api.MapGet("/filings", async ([FromQuery] string? from, [FromQuery] string? to, SubmissionService submissions, FilingCalendar calendar,
            TimeProvider time, CancellationToken ct) =>
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var last = to ?? Periods.Of(today);
            var first = from ?? Periods.Of(today.AddMonths(-11));
            if (!Periods.TryParse(first, out var f) || !Periods.TryParse(last, out var l) || f > l || f < l.AddMonths(-35))
            {
                throw new ValidationFailedException("from", "Give 'from' and 'to' as YYYY-MM, 'from' not after 'to', at most 36 months apart.");
            }

            var grid = await submissions.GetMonthGridAsync(first, last, ct);
            return Results.Ok(grid.Select(p => new FilingPlatform(p.PlatformCode, p.PlatformName, p.Months.Select(m => new FilingMonth(
                m.Period, calendar.DeadlineDay(m.Period).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ApiWords.Of(m.State), m.Versions, m.LatestVersion, m.LatestSubmissionId, m.SignedUtc)).ToList())).ToList());
        });

        api.MapApiSubmissionEndpoints();
        return endpoints;
    }

    /// <summary>Service exceptions as problem details with the portal's code.</summary>
    private static async ValueTask<object?> ProblemFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ValidationFailedException e)
        {
            return Results.Problem(detail: e.Message, statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["code"] = "validation", ["errors"] = e.Errors });
        }
        catch (NotFoundException e)
        {
            return Results.Problem(detail: e.Message, statusCode: StatusCodes.Status404NotFound, extensions: new Dictionary<string, object?> { ["code"] = "not-found" });
        }
        catch (ForbiddenException e)
        {
            return Results.Problem(detail: e.Message, statusCode: StatusCodes.Status403Forbidden, extensions: new Dictionary<string, object?> { ["code"] = "forbidden" });
        }
        catch (ConcurrencyConflictException e)
        {
            return Results.Problem(detail: e.Message, statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["code"] = "conflict" });
        }
        catch (ApiProblemException e)
        {
            return Results.Problem(detail: e.Message, statusCode: e.Status, extensions: new Dictionary<string, object?> { ["code"] = e.Code });
        }
    }
}

public sealed record FilingPlatform(string Platform, string Name, IReadOnlyList<FilingMonth> Months);

/// <summary>One month of the calendar: its filing deadline (YYYY-MM-DD), state in plain words, versions signed.</summary>
public sealed record FilingMonth(string Period, string Deadline, string Status, int Versions, int? LatestVersion, long? LatestSubmissionId, DateTime? SignedUtc);

/// <summary>Plain status words of the API (stable, lower-case, documented in docs/api.md).</summary>
public static class ApiWords
{
    public static string Of(MonthState state) => state switch
    {
        MonthState.OnTime => "on-time",
        MonthState.Late => "late",
        MonthState.Missing => "missing",
        MonthState.Due => "due",
        MonthState.Unresolved => "unresolved",
        MonthState.NotRequired => "not-required",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>A submission's status: checking, errors (to fix), warnings (to confirm), ready (to sign), signed, failed.</summary>
    public static string Of(SubmissionStatus status) => status switch
    {
        SubmissionStatus.Checking => "checking",
        SubmissionStatus.ErrorsToFix => "errors",
        SubmissionStatus.WarningsToConfirm => "warnings",
        SubmissionStatus.ReadyToSign => "ready",
        SubmissionStatus.Signed => "signed",
        SubmissionStatus.Failed => "failed",
        _ => status.ToString().ToLowerInvariant(),
    };
}
