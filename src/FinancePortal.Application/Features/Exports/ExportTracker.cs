using System.Collections.Concurrent;

namespace FinancePortal.Application.Features.Exports;

public enum ExportState
{
    Running,
    Completed,
    Cancelled,
    Failed,
}

/// <summary>
/// Progress and cancel button of one running download. The page that starts a download picks a key, the download
/// endpoint registers a tracker under it (for the same user), the export service reports rows into it, and the page
/// (a Blazor Server circuit, so the same process) polls it and may cancel it.
/// </summary>
public sealed class ExportTracker(string owner)
{
    private readonly CancellationTokenSource _cancel = new();
    private long _rows;

    public string Owner { get; } = owner;

    public long Rows => Interlocked.Read(ref _rows);

    public ExportState State { get; private set; } = ExportState.Running;

    public string? Error { get; private set; }

    public CancellationToken Token => _cancel.Token;

    public void Report(long rows) => Interlocked.Exchange(ref _rows, rows);

    public void Complete(long rows)
    {
        Report(rows);
        State = ExportState.Completed;
    }

    public void Cancelled(long rows)
    {
        Report(rows);
        State = ExportState.Cancelled;
    }

    public void Failed(long rows, string error)
    {
        Report(rows);
        Error = error;
        State = ExportState.Failed;
    }

    public void Cancel() => _cancel.Cancel();
}

/// <summary>The trackers of running and recently finished downloads of this instance, by key (singleton).</summary>
public sealed class ExportTrackers
{
    private const int MaxTrackers = 1_000;
    private readonly ConcurrentDictionary<string, ExportTracker> _trackers = new(StringComparer.Ordinal);

    /// <summary>A new tracker under <paramref name="key"/> for <paramref name="owner"/>; null for a bad or taken key.</summary>
    public ExportTracker? Start(string? key, string owner)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 64 || !key.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        if (_trackers.Count >= MaxTrackers)
        {
            foreach (var done in _trackers.Where(t => t.Value.State != ExportState.Running).Select(t => t.Key).ToList())
            {
                _trackers.TryRemove(done, out _);
            }
        }

        var tracker = new ExportTracker(owner);
        return _trackers.TryAdd(key, tracker) ? tracker : null;
    }

    /// <summary>The tracker under <paramref name="key"/> if <paramref name="owner"/> started it.</summary>
    public ExportTracker? Find(string key, string owner) =>
        _trackers.TryGetValue(key, out var tracker) && tracker.Owner == owner ? tracker : null;

    public void Forget(string key, string owner)
    {
        if (Find(key, owner) is not null)
        {
            _trackers.TryRemove(key, out _);
        }
    }
}
