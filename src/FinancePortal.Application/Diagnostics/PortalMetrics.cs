using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FinancePortal.Application.Diagnostics;

/// <summary>
/// The portal's own instruments on the <see cref="MeterName"/> meter (created through <see cref="IMeterFactory"/>, so
/// OpenTelemetry, dotnet-counters or a test's MeterListener see them). Names, units and tags are listed in
/// docs/operations.md; tags carry only low-cardinality values (platform code, result, kind, format), never ids.
/// </summary>
public sealed class PortalMetrics
{
    public const string MeterName = "FinancePortal";

    private readonly Counter<long> _tapesChecked;
    private readonly Counter<long> _tapesSigned;
    private readonly Counter<long> _importRows;
    private readonly Histogram<double> _importDuration;
    private readonly Counter<long> _exports;
    private readonly Counter<long> _exportRows;
    private readonly Counter<long> _exportBytes;
    private readonly Histogram<double> _exportDuration;
    private readonly Counter<long> _downloads;
    private readonly Counter<long> _downloadBytes;
    private readonly UpDownCounter<long> _circuitsActive;
    private readonly Counter<long> _circuitsOpened;
    private readonly Histogram<double> _circuitDuration;
    private readonly Histogram<double> _rebuildDuration;
    private readonly Counter<long> _rebuildJobs;

    public PortalMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _tapesChecked = meter.CreateCounter<long>("financeportal.imports.tapes_checked", "{tape}", "Loan tapes checked, by platform, format and result.");
        _tapesSigned = meter.CreateCounter<long>("financeportal.imports.tapes_signed", "{tape}", "Loan tapes signed (committed as a new version), by platform.");
        _importRows = meter.CreateCounter<long>("financeportal.imports.rows", "{row}", "Loan-tape rows read by a check or written by a signing, by stage and platform.");
        _importDuration = meter.CreateHistogram<double>("financeportal.imports.duration", "s", "Time to check or sign one loan tape, by stage and result.");
        _exports = meter.CreateCounter<long>("financeportal.exports.generated", "{export}", "Reports and exports generated, by kind and format.");
        _exportRows = meter.CreateCounter<long>("financeportal.exports.rows", "{row}", "Rows written into generated reports and exports, by kind and format.");
        _exportBytes = meter.CreateCounter<long>("financeportal.exports.bytes", "By", "Bytes of generated reports and exports, by kind and format.");
        _exportDuration = meter.CreateHistogram<double>("financeportal.exports.duration", "s", "Time to generate one report or export, by kind and format.");
        _downloads = meter.CreateCounter<long>("financeportal.exports.downloads", "{download}", "Stored reports downloaded, by kind and format.");
        _downloadBytes = meter.CreateCounter<long>("financeportal.exports.download_bytes", "By", "Bytes of stored reports downloaded, by kind and format.");
        _circuitsActive = meter.CreateUpDownCounter<long>("financeportal.circuits.active", "{circuit}", "Blazor Server circuits open now on this instance.");
        _circuitsOpened = meter.CreateCounter<long>("financeportal.circuits.opened", "{circuit}", "Blazor Server circuits opened on this instance.");
        _circuitDuration = meter.CreateHistogram<double>("financeportal.circuits.duration", "s", "How long a Blazor Server circuit stayed open.");
        _rebuildDuration = meter.CreateHistogram<double>("financeportal.jobs.metrics_rebuild.duration", "s", "Time of one metrics rebuild job (aggregates, alerts), by result.");
        _rebuildJobs = meter.CreateCounter<long>("financeportal.jobs.metrics_rebuild.runs", "{job}", "Metrics rebuild jobs run, by result.");
    }

    /// <summary>A check finished: <paramref name="result"/> is the submission's next step (ready_to_sign, warnings_to_confirm, errors_to_fix) or failed.</summary>
    public void TapeChecked(string platform, string format, string result, long rows, TimeSpan duration)
    {
        var tags = new TagList { { "platform", platform }, { "format", format }, { "result", result } };
        _tapesChecked.Add(1, tags);
        _importRows.Add(rows, new TagList { { "stage", "check" }, { "platform", platform } });
        _importDuration.Record(duration.TotalSeconds, new TagList { { "stage", "check" }, { "result", result } });
    }

    /// <summary>A signing finished: <paramref name="result"/> is signed or failed.</summary>
    public void TapeSigned(string platform, string result, long rows, TimeSpan duration)
    {
        _tapesSigned.Add(1, new TagList { { "platform", platform }, { "result", result } });
        if (rows > 0)
        {
            _importRows.Add(rows, new TagList { { "stage", "sign" }, { "platform", platform } });
        }

        _importDuration.Record(duration.TotalSeconds, new TagList { { "stage", "sign" }, { "result", result } });
    }

    /// <summary>A report or export was generated (kind e.g. supervision_report, findings; format xlsx or csv).</summary>
    public void RecordExport(string kind, string format, long rows, long bytes, TimeSpan duration)
    {
        var tags = new TagList { { "kind", kind }, { "format", format } };
        _exports.Add(1, tags);
        _exportRows.Add(rows, tags);
        _exportBytes.Add(bytes, tags);
        _exportDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A stored report was downloaded.</summary>
    public void RecordDownload(string kind, string format, long bytes)
    {
        var tags = new TagList { { "kind", kind }, { "format", format } };
        _downloads.Add(1, tags);
        _downloadBytes.Add(bytes, tags);
    }

    public void CircuitOpened()
    {
        _circuitsOpened.Add(1);
        _circuitsActive.Add(1);
    }

    public void CircuitClosed(TimeSpan lifetime)
    {
        _circuitsActive.Add(-1);
        _circuitDuration.Record(lifetime.TotalSeconds);
    }

    /// <summary>A metrics rebuild job ended: completed or failed.</summary>
    public void MetricsRebuilt(string result, TimeSpan duration)
    {
        var tags = new TagList { { "result", result } };
        _rebuildJobs.Add(1, tags);
        _rebuildDuration.Record(duration.TotalSeconds, tags);
    }
}
