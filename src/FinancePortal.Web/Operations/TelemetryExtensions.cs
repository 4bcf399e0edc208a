using FinancePortal.Application.Diagnostics;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FinancePortal.Web.Operations;

/// <summary>
/// Metrics, traces and logs for operations (docs/operations.md): the FinancePortal meter plus ASP.NET Core, Blazor
/// circuit, EF Core and runtime instruments through OpenTelemetry, exported over OTLP only when an endpoint is set
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>Telemetry:OtlpEndpoint</c>); JSON console logs with scopes outside
/// Development (<c>Logging:Format</c>: json or simple).
/// </summary>
public static class TelemetryExtensions
{
    public const string OtlpEndpointKey = "Telemetry:OtlpEndpoint";

    /// <summary>Meters exported besides the portal's own (built into ASP.NET Core and EF Core 10).</summary>
    public static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Components",
        "Microsoft.AspNetCore.Components.Server.Circuits",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.EntityFrameworkCore",
    ];

    /// <summary>The OTLP endpoint in force, or null when nothing is exported.</summary>
    public static Uri? OtlpEndpoint(IConfiguration configuration)
    {
        var value = configuration[OtlpEndpointKey] is { Length: > 0 } configured ? configured : configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
    }

    public static WebApplicationBuilder AddPortalTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var json = (configuration["Logging:Format"] ?? (builder.Environment.IsDevelopment() ? "simple" : "json"))
            .Equals("json", StringComparison.OrdinalIgnoreCase);
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (json)
        {
            // One JSON object per line with the message template's properties and the request/trace scope.
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.IncludeScopes = true);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitMetricsHandler>());

        var endpoint = OtlpEndpoint(configuration);
        var serviceName = configuration["Telemetry:ServiceName"] is { Length: > 0 } name ? name : "FinancePortal";
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(PortalMetrics.MeterName)
                    .AddMeter(FrameworkMeters)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation();
                if (endpoint is not null)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = endpoint);
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/_framework"));
                if (endpoint is not null)
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = endpoint);
                }
            });
        return builder;
    }
}
