using FinancePortal.Application.Features.Exports;

namespace FinancePortal.Infrastructure.Exports;

/// <summary>Creates the XLSX (SpreadCheetah) or CSV (Sep) writer of an export.</summary>
public sealed class ExportWriterFactory : IExportWriterFactory
{
    public async ValueTask<IExportWriter> CreateAsync(ExportFormat format, Stream target, string title, IReadOnlyList<ExportColumnInfo> columns, CancellationToken ct) =>
        format == ExportFormat.Xlsx
            ? await XlsxExportWriter.CreateAsync(target, title, columns, ct)
            : await CsvExportWriter.CreateAsync(target, columns, ct);
}
