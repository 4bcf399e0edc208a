using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Web.Endpoints;

/// <summary>
/// The <c>Idempotency-Key</c> header on create and sign (docs/api.md): the same key from the same token (or signed-in
/// user) within 24 hours replays the first successful answer (status, <c>Location</c>, body) with
/// <c>Idempotency-Replayed: true</c> instead of filing or signing again. A key still running is 409
/// "idempotency-in-progress"; a key used for another call is 422 "idempotency-key-reused"; a failed call keeps no key.
/// </summary>
public static class ApiIdempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";

    public static TBuilder WithIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(FilterAsync);

    private static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }

        if (key.Length > 200 || key.Any(c => c < 0x21 || c > 0x7e))
        {
            throw new ValidationFailedException(Header, "Idempotency-Key must be 1 to 200 visible ASCII characters, e.g. a UUID.");
        }

        var services = http.RequestServices;
        var time = services.GetRequiredService<TimeProvider>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var caller = CallerOf(http);
        var operation = $"{http.Request.Method} {http.Request.Path}";
        var now = time.GetUtcNow().UtcDateTime;
        var ct = http.RequestAborted;

        ApiIdempotencyKey row;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var keys = db.Set<ApiIdempotencyKey>();
            await keys.Where(k => k.CreatedUtc < now - ApiIdempotencyKey.Lifetime).ExecuteDeleteAsync(ct);
            if (await keys.AsNoTracking().SingleOrDefaultAsync(k => k.Caller == caller && k.Key == key, ct) is { } first)
            {
                return Replay(http, first, operation);
            }

            row = new ApiIdempotencyKey { Caller = caller, Key = key, Operation = operation, CreatedUtc = now };
            keys.Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same key arrived twice at once: the other call holds it.
                return InProgress();
            }
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await ForgetAsync(dbFactory, row.Id);
            throw;
        }

        if (result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } ok && result is IValueHttpResult value)
        {
            var json = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Set<ApiIdempotencyKey>().Where(k => k.Id == row.Id).ExecuteUpdateAsync(s => s
                .SetProperty(k => k.StatusCode, ok.StatusCode)
                .SetProperty(k => k.Location, LocationOf(result))
                .SetProperty(k => k.Body, JsonSerializer.Serialize(value.Value, json)), CancellationToken.None);
        }
        else
        {
            await ForgetAsync(dbFactory, row.Id);
        }

        return result;
    }

    private static string? LocationOf(object? result) => result switch
    {
        Microsoft.AspNetCore.Http.HttpResults.Accepted<ApiSubmission> accepted => accepted.Location,
        _ => null,
    };

    private static IResult Replay(HttpContext http, ApiIdempotencyKey first, string operation)
    {
        if (first.Operation != operation)
        {
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused",
                $"This Idempotency-Key was sent with {first.Operation}; use a new key for another call.");
        }

        if (first.StatusCode is not { } status)
        {
            return InProgress();
        }

        http.Response.Headers[ReplayedHeader] = "true";
        if (first.Location is { } location)
        {
            http.Response.Headers.Location = location;
        }

        return Results.Content(first.Body ?? "", "application/json; charset=utf-8", Encoding.UTF8, status);
    }

    private static IResult InProgress() => throw new ApiProblemException(StatusCodes.Status409Conflict, "idempotency-in-progress",
        "A call with this Idempotency-Key is still running; ask again when it has answered.");

    private static async Task ForgetAsync(IDbContextFactory<PortalDbContext> dbFactory, long id)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.Set<ApiIdempotencyKey>().Where(k => k.Id == id).ExecuteDeleteAsync(CancellationToken.None);
    }

    /// <summary>The token (by its SHA-256, as stored) or, for the sign-in cookie, the user.</summary>
    private static string CallerOf(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? "token:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim())))
            : "user:" + (http.User.Identity?.Name ?? "");
    }
}
