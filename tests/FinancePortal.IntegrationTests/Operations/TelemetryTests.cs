using FinancePortal.Application;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FinancePortal.IntegrationTests.Operations;

/// <summary>The FinancePortal meter and the structured log events, observed while the real services do the work.</summary>
public class TelemetryTests : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private PortalServices _portal = default!;
    private MetricCapture _metrics = default!;

    public async Task InitializeAsync()
    {
        _portal = await PortalServices.CreateAsync(configure: s => s.AddLogging(b => b
            .AddProvider(_logs)
            .AddFilter<LogCapture>("FinancePortal", LogLevel.Information)));
        _metrics = new MetricCapture(_portal.Provider);
    }

    public async Task DisposeAsync()
    {
        _metrics.Dispose();
        await _portal.DisposeAsync();
    }

    private async Task<long> UploadAndCheckAsync(MemoryStream csv)
    {
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var service = op.Get<SubmissionService>();
        var id = (await service.SubmitAsync("2024-10", "tape.csv", csv)).Id;
        return id;
    }

    [Fact]
    public async Task Checking_and_signing_a_tape_record_outcomes_rows_and_durations_tagged_by_platform()
    {
        var id = await UploadAndCheckAsync(TapeFiles.Csv("JDBT", "2024-10", 25));

        var check = Assert.Single(_metrics.Of("financeportal.imports.tapes_checked"));
        Assert.Equal((1d, "JDBT", "csv", "ready_to_sign"), (check.Value, check.Tag("platform"), check.Tag("format"), check.Tag("result")));
        var checkedRows = Assert.Single(_metrics.Of("financeportal.imports.rows"));
        Assert.Equal((25d, "check", "JDBT"), (checkedRows.Value, checkedRows.Tag("stage"), checkedRows.Tag("platform")));
        Assert.Contains(_metrics.Of("financeportal.imports.duration"), m => m.Tag("stage") == "check" && m.Tag("result") == "ready_to_sign");

        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            var service = op.Get<SubmissionService>();
            await service.SignAsync(id, "Sun Hao", true, (await service.GetAsync(id))!.ConcurrencyStamp);
        }

        var signed = Assert.Single(_metrics.Of("financeportal.imports.tapes_signed"));
        Assert.Equal((1d, "JDBT", "signed"), (signed.Value, signed.Tag("platform"), signed.Tag("result")));
        Assert.Contains(_metrics.Of("financeportal.imports.rows"), m => m.Tag("stage") == "sign" && m.Value == 25);
        Assert.Contains(_metrics.Of("financeportal.imports.duration"), m => m.Tag("stage") == "sign" && m.Tag("result") == "signed");

        // The signing also queued a metrics rebuild; running it records the job's duration.
        await _portal.Provider.GetRequiredService<MetricsJobRunner>().ProcessPendingAsync();
        Assert.Contains(_metrics.Of("financeportal.jobs.metrics_rebuild.duration"), m => m.Tag("result") == "completed");
        Assert.Contains(_metrics.Of("financeportal.jobs.metrics_rebuild.runs"), m => m.Tag("result") == "completed" && m.Value == 1);
    }

    [Fact]
    public async Task A_tape_with_errors_is_counted_as_errors_to_fix()
    {
        await UploadAndCheckAsync(TapeFiles.Csv("JDBT", "2024-10", 10, i => i == 3 ? [("status", "DEFALTED")] : []));

        var check = Assert.Single(_metrics.Of("financeportal.imports.tapes_checked"));
        Assert.Equal("errors_to_fix", check.Tag("result"));
        Assert.Empty(_metrics.Of("financeportal.imports.tapes_signed"));
    }

    [Fact]
    public async Task Signing_a_tape_logs_a_structured_event_with_the_submission_platform_and_rows()
    {
        var id = await UploadAndCheckAsync(TapeFiles.Csv("JDBT", "2024-10", 25));
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            var service = op.Get<SubmissionService>();
            await service.SignAsync(id, "Sun Hao", true, (await service.GetAsync(id))!.ConcurrencyStamp);
        }

        var signed = Assert.Single(_logs.Events, e => e.EventId.Id == 2004);
        Assert.Equal(typeof(SubmissionService).FullName, signed.Category);
        Assert.Equal(LogLevel.Information, signed.Level);
        Assert.Equal(id, signed.Properties["SubmissionId"]);
        Assert.Equal("JDBT", signed.Properties["PlatformCode"]);
        Assert.Equal(25L, signed.Properties["Rows"]);
        Assert.Equal(1, signed.Properties["Version"]);
        Assert.Equal("Loan tape {SubmissionId} of {PlatformCode} {Period} signed as version {Version}: {Rows} rows in {ElapsedMs} ms", signed.Template);

        var checkedEvent = Assert.Single(_logs.Events, e => e.EventId.Id == 2002);
        Assert.Equal("ready_to_sign", checkedEvent.Properties["Result"]);
        Assert.Equal(25L, checkedEvent.Properties["Rows"]);
    }

    [Fact]
    public async Task Generating_and_downloading_a_report_record_the_export_by_kind_with_its_bytes()
    {
        GeneratedReportItem report;
        await using (var analyst = await _portal.AsAsync(DemoUsers.Analyst))
        {
            var service = analyst.Get<ReportService>();
            var period = (await service.GetPeriodsAsync())[0];
            report = await service.GenerateAsync(new ReportRequest(period));
            await using var file = (await service.OpenFileAsync(report.Id)).Content;
        }

        var generated = Assert.Single(_metrics.Of("financeportal.exports.generated"));
        Assert.Equal((1d, ReportService.ExportKind, "xlsx"), (generated.Value, generated.Tag("kind"), generated.Tag("format")));
        var bytes = Assert.Single(_metrics.Of("financeportal.exports.bytes"));
        Assert.Equal(report.SizeBytes, (long)bytes.Value);
        Assert.True(Assert.Single(_metrics.Of("financeportal.exports.rows")).Value > 0);
        Assert.Single(_metrics.Of("financeportal.exports.duration"));
        var download = Assert.Single(_metrics.Of("financeportal.exports.downloads"));
        Assert.Equal(ReportService.ExportKind, download.Tag("kind"));
        Assert.Equal(report.SizeBytes, (long)Assert.Single(_metrics.Of("financeportal.exports.download_bytes")).Value);

        var log = Assert.Single(_logs.Events, e => e.EventId.Id == 4001);
        Assert.Equal(report.Id, log.Properties["ReportId"]);
        Assert.Equal(ReportService.ExportKind, log.Properties["Kind"]);
    }

    [Fact]
    public async Task A_grid_export_records_its_kind_format_rows_and_the_bytes_written()
    {
        using var target = new MemoryStream();
        long rows;
        await using (var risk = await _portal.AsAsync(DemoUsers.RiskOfficer))
        {
            await using var export = await risk.Get<GridExports>().AlertsAsync(new FinancePortal.Application.Features.Alerts.AlertQuery(), "none", CancellationToken.None);
            rows = await export.WriteAsync(ExportFormat.Csv, target, null, CancellationToken.None);
        }

        Assert.True(rows > 0);
        var generated = Assert.Single(_metrics.Of("financeportal.exports.generated"));
        Assert.Equal((1d, "Alert", "csv"), (generated.Value, generated.Tag("kind"), generated.Tag("format")));
        Assert.Equal(rows, (long)Assert.Single(_metrics.Of("financeportal.exports.rows")).Value);
        Assert.Equal(target.Length, (long)Assert.Single(_metrics.Of("financeportal.exports.bytes")).Value);
        Assert.Single(_metrics.Of("financeportal.exports.duration"));
    }
}
