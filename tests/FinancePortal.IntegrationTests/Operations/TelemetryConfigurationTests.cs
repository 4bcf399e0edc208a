using FinancePortal.TestSupport;
using FinancePortal.Web.Operations;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace FinancePortal.IntegrationTests.Operations;

/// <summary>How the host wires logs and telemetry: JSON console outside Development, OTLP only when an endpoint is set.</summary>
public class TelemetryConfigurationTests
{
    [Fact]
    public async Task Outside_development_the_console_writes_json_with_scopes_and_the_circuit_handler_is_registered()
    {
        await using var factory = new PortalAppFactory();
        await using var production = factory.WithWebHostBuilder(b => b.UseEnvironment("Production"));

        var console = production.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal(ConsoleFormatterNames.Json, console.FormatterName);
        Assert.True(production.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
        await using var scope = production.Services.CreateAsyncScope();
        Assert.Contains(scope.ServiceProvider.GetServices<CircuitHandler>(), h => h is CircuitMetricsHandler);
        Assert.NotNull(production.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task In_development_the_console_stays_simple_unless_json_is_asked_for()
    {
        await using var factory = new PortalAppFactory();
        Assert.Equal(ConsoleFormatterNames.Simple, factory.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);

        await using var json = factory.WithWebHostBuilder(b => b.UseSetting("Logging:Format", "json"));
        Assert.Equal(ConsoleFormatterNames.Json, json.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("", "", null)]
    [InlineData(null, "http://collector:4317", "http://collector:4317/")]
    [InlineData("http://settings:4317", "http://env:4317", "http://settings:4317/")]
    public void The_otlp_endpoint_comes_from_the_setting_or_the_standard_variable(string? setting, string? variable, string? expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetryExtensions.OtlpEndpointKey] = setting,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = variable,
        }).Build();

        Assert.Equal(expected, TelemetryExtensions.OtlpEndpoint(configuration)?.ToString());
    }
}
