using System.Net;
using FinancePortal.Application;
using FinancePortal.Infrastructure.Data;

namespace FinancePortal.Web.Operations;

/// <summary>
/// A request that fails because the database cannot be reached (sign-in form, downloads, static-rendered pages) gets
/// HTTP 503 with a plain explanation and <c>Retry-After</c>, never a stack trace — in every environment. Interactive
/// pages handle the same <see cref="DatabaseUnavailableException"/> in their forms and in the layout's error boundary.
/// </summary>
public sealed partial class DatabaseUnavailableMiddleware(RequestDelegate next, ILogger<DatabaseUnavailableMiddleware> logger)
{
    public const int RetryAfterSeconds = 10;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex) && !context.Response.HasStarted)
        {
            LogUnavailable(logger, ex, context.Request.Method, context.Request.Path);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentType = "text/html; charset=utf-8";
            var message = WebUtility.HtmlEncode(DatabaseUnavailableException.UserMessage);
            await context.Response.WriteAsync(
                $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>FinancePortal: database unavailable</title></head>" +
                $"<body><main><h1>Database unavailable</h1><p>{message}</p><p><a href=\"{WebUtility.HtmlEncode(context.Request.PathBase + context.Request.Path)}\">Try again</a></p></main></body></html>",
                context.RequestAborted);
        }
    }

    [LoggerMessage(EventId = 5030, Level = LogLevel.Error, Message = "Database unavailable while serving {Method} {Path}")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, PathString path);
}
