using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using FinancePortal.TestSupport.Circuits;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Load;

/// <summary>
/// Keeps the load benchmark's headless circuit client honest (the benchmark project is not run by CI): one circuit
/// against the real portal on a loopback Kestrel port signs in, renders the dashboard, navigates inside the circuit and
/// pages a grid with a dispatched click — the same <see cref="SupervisorJourney"/> every benchmark circuit runs.
/// </summary>
public sealed class CircuitClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly PortalAppFactory _app = new();
    private Uri _baseAddress = default!;

    public Task InitializeAsync()
    {
        _baseAddress = new Uri(_app.StartKestrel() + "/");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_headless_circuit_renders_the_dashboard_and_pages_the_audit_log_with_a_click()
    {
        // A second page of audit rows (50 a page), recorded through the audit service itself.
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var audit = scope.ServiceProvider.GetRequiredService<AuditService>();
            for (var i = 0; i < 60; i++)
            {
                await audit.RecordAsync(new UserContext(null, $"nobody{i}@load.invalid", []), AuditActions.SignInFailed, "PortalUser", null, $"Failed sign-in {i}.");
            }
        }

        await using var client = new BlazorCircuitClient(_baseAddress);
        await SupervisorJourney.SignInAndOpenDashboardAsync(client, DemoUsers.Analyst, DemoUsers.Password, Timeout, CancellationToken.None);

        Assert.Equal("yes", client.Read(dom => dom.Find(e => e.Attributes.ContainsKey("data-interactive"))?.Attribute("data-interactive")));
        Assert.Matches(@"\d", client.Read(dom => dom.FindByTestId("kpi-default-rate-value")?.Text) ?? "");

        await SupervisorJourney.OpenGridAsync(client, Timeout, CancellationToken.None);
        var first = client.Read(SupervisorJourney.PagerCaption);
        Assert.StartsWith("1-50 of ", first);

        var latency = await SupervisorJourney.PageAsync(client, Timeout, CancellationToken.None);

        Assert.StartsWith("51-", client.Read(SupervisorJourney.PagerCaption));
        Assert.True(latency > TimeSpan.Zero);
        Assert.Contains(client.Read(dom => dom.Elements.Select(e => e.Text).ToArray()), text => text.Contains("Failed sign-in", StringComparison.Ordinal));
    }
}
