namespace FinancePortal.Application.Features.Exports;

/// <summary>
/// Writes one table, row by row, to a stream (XLSX through SpreadCheetah or CSV through Sep, in Infrastructure).
/// The header row is written on creation. A row is the cell calls in column order followed by <see cref="EndRowAsync"/>;
/// the writer knows each column's kind (money, rate, date...) from the <see cref="ExportColumnInfo"/> it was created with.
/// Text is always written as text, never as a formula (<see cref="SafeCell"/>).
/// </summary>
public interface IExportWriter : IAsyncDisposable
{
    void Text(string? value);

    void Integer(long? value);

    /// <summary>Money, rate or plain number, as the column's kind says.</summary>
    void Decimal(decimal? value);

    void Date(DateOnly? value);

    void Time(DateTime? value);

    ValueTask EndRowAsync(CancellationToken ct);

    /// <summary>Ends the table and flushes the file; without it the file is incomplete.</summary>
    ValueTask CompleteAsync(CancellationToken ct);
}

public interface IExportWriterFactory
{
    /// <summary>Starts a table on <paramref name="target"/> (written forward only; need not be seekable) and writes its header row.</summary>
    ValueTask<IExportWriter> CreateAsync(ExportFormat format, Stream target, string title, IReadOnlyList<ExportColumnInfo> columns, CancellationToken ct);
}
