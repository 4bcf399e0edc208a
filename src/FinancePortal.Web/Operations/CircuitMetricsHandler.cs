using FinancePortal.Application.Diagnostics;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace FinancePortal.Web.Operations;

/// <summary>One per circuit (scoped): counts circuits opened, keeps the active gauge and records how long each lived.</summary>
public sealed class CircuitMetricsHandler(PortalMetrics metrics, TimeProvider time) : CircuitHandler
{
    private long _openedAt;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _openedAt = time.GetTimestamp();
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitClosed(time.GetElapsedTime(_openedAt));
        return Task.CompletedTask;
    }
}
