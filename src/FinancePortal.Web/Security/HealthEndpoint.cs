using System.Text.Json;
using FinancePortal.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FinancePortal.Web.Security;

/// <summary>
/// GET /health, anonymous, for load balancers and monitoring: 200 when every check is Healthy or Degraded, 503 when
/// one is Unhealthy. The JSON names each check, its status and duration — never an exception, a connection string
/// or a file path.
/// </summary>
public static class HealthEndpoint
{
    public const string Path = "/health";

    public const string DatabaseCheck = "database";

    public static IServiceCollection AddPortalHealthChecks(this IServiceCollection services)
    {
        // Opens a connection and queries a real table: proves the connection and the schema.
        services.AddHealthChecks().AddDbContextCheck<PortalDbContext>(
            DatabaseCheck,
            customTestQuery: async (db, ct) =>
            {
                await db.Roles.AnyAsync(ct);
                return true;
            });
        return services;
    }

    /// <summary>
    /// Middleware on a fixed path rather than a routed endpoint: it answers before authentication, the fallback
    /// policy and HTTPS redirection, so a load balancer can probe it over plain HTTP without signing in.
    /// </summary>
    public static IApplicationBuilder UsePortalHealthChecks(this IApplicationBuilder app) =>
        app.UseHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteAsync });

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1) }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
