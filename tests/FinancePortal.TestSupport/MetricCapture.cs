using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FinancePortal.Application.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.TestSupport;

/// <summary>One measurement of a FinancePortal instrument, with its tags.</summary>
public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
{
    public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// Listens to the FinancePortal meter of ONE service provider (meters are matched by their IMeterFactory scope, so tests
/// running in parallel with other providers do not see each other's measurements).
/// </summary>
public sealed class MetricCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MetricCapture(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _ = services.GetRequiredService<PortalMetrics>(); // make sure the meter exists before listening
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PortalMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<Measurement> All => _measurements.ToArray();

    public IReadOnlyList<Measurement> Of(string instrument) => _measurements.Where(m => m.Instrument == instrument).ToList();

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }

        _measurements.Enqueue(new Measurement(instrument.Name, value, copy));
    }
}
