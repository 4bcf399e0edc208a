using System.Globalization;
using FinancePortal.Application;
using FinancePortal.Application.Features.Exports;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace FinancePortal.Infrastructure.Exports;

/// <summary>
/// XLSX through SpreadCheetah: forward-only, constant memory (a row buffer and the zip deflater), straight to the target
/// stream. Header row bold and frozen with an autofilter; money <c>¥#,##0.00</c>, rates <c>0.00%</c>, dates as date
/// cells. Text is an inline-string cell (never a formula); text that looks like a formula also gets the text number
/// format <c>@</c>, so editing the cell in Excel keeps it text (<see cref="SafeCell"/>). A sheet holds at most
/// <see cref="MaxRowsPerSheet"/> rows (Excel's limit): the rows after that go on to "Title (2)", "Title (3)"..., each
/// with the same header, widths, frozen row and autofilter, so a multi-million-row extract still opens whole.
/// </summary>
public sealed class XlsxExportWriter : IExportWriter
{
    /// <summary>Excel's rows per worksheet, the header row included.</summary>
    public const int MaxRowsPerSheet = 1_048_576;

    public const string MoneyFormat = "¥#,##0.00";
    public const string RateFormat = "0.00%";
    public const string IntegerFormat = "#,##0";
    public const string DateFormat = "yyyy-mm-dd";
    public const string TimeFormat = "yyyy-mm-dd hh:mm:ss";

    private readonly Spreadsheet _spreadsheet;
    private readonly AsyncOnlyStream _target;
    private readonly ExportCellKind[] _kinds;
    private readonly StyleId?[] _styles;
    private readonly StyleId _textSafe;
    private readonly Cell[] _cells;
    private readonly string _title;
    private readonly IReadOnlyList<ExportColumnInfo> _columns;
    private readonly StyleId _header;
    private readonly int _rowsPerSheet;
    private int _column;
    private int _rowsInSheet;
    private int _sheets;
    private bool _done;

    private XlsxExportWriter(Spreadsheet spreadsheet, AsyncOnlyStream target, string title, IReadOnlyList<ExportColumnInfo> columns, int rowsPerSheet)
    {
        _spreadsheet = spreadsheet;
        _target = target;
        _title = title;
        _columns = columns;
        _rowsPerSheet = rowsPerSheet;
        _header = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
        _kinds = columns.Select(c => c.Kind).ToArray();
        var money = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(MoneyFormat) });
        var rate = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(RateFormat) });
        var integer = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(IntegerFormat) });
        var date = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(DateFormat) });
        var time = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(TimeFormat) });
        _textSafe = spreadsheet.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.Text) });
        _styles = _kinds.Select(k => k switch
        {
            ExportCellKind.Money => money,
            ExportCellKind.Rate => rate,
            ExportCellKind.Integer => integer,
            ExportCellKind.Date => date,
            ExportCellKind.DateTime => time,
            _ => (StyleId?)null,
        }).ToArray();
        _cells = new Cell[columns.Count];
    }

    /// <param name="rowsPerSheet">Rows per worksheet, header included; Excel's limit unless a test needs a small one.</param>
    public static async ValueTask<XlsxExportWriter> CreateAsync(Stream target, string title, IReadOnlyList<ExportColumnInfo> columns, CancellationToken ct, int rowsPerSheet = MaxRowsPerSheet)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerSheet, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowsPerSheet, MaxRowsPerSheet);

        // The zip writer under SpreadCheetah makes small synchronous writes, which Kestrel refuses: see AsyncOnlyStream.
        var stream = new AsyncOnlyStream(target);
        var spreadsheet = await Spreadsheet.CreateNewAsync(stream, new SpreadCheetahOptions { BufferSize = 64 * 1024 }, ct);
        try
        {
            var writer = new XlsxExportWriter(spreadsheet, stream, title, columns, rowsPerSheet);
            await writer.StartSheetAsync(ct);
            return writer;
        }
        catch
        {
            await spreadsheet.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new worksheet (the first, or the next when one is full) with its header row.</summary>
    private async ValueTask StartSheetAsync(CancellationToken ct)
    {
        var options = new WorksheetOptions { FrozenRows = 1, AutoFilter = new AutoFilterOptions($"A1:{ColumnLetters(_columns.Count)}1") };
        for (var i = 0; i < _columns.Count; i++)
        {
            options.Column(i + 1).Width = _columns[i].Width;
        }

        _sheets++;
        await _spreadsheet.StartWorksheetAsync(SheetName(_title, _sheets), options, ct);
        await _spreadsheet.AddRowAsync(_columns.Select(c => new Cell(c.Header, _header)).ToArray(), ct);
        _rowsInSheet = 1;
    }

    public void Text(string? value) =>
        _cells[_column++] = SafeCell.LooksLikeFormula(value) ? new Cell(value, _textSafe) : new Cell(value);

    public void Integer(long? value) => _cells[_column] = new Cell(value, Style(_column++));

    public void Decimal(decimal? value) => _cells[_column] = new Cell(value, Style(_column++));

    public void Date(DateOnly? value) =>
        _cells[_column] = new Cell(value?.ToDateTime(TimeOnly.MinValue), Style(_column++));

    public void Time(DateTime? value) => _cells[_column] = new Cell(value, Style(_column++));

    public ValueTask EndRowAsync(CancellationToken ct)
    {
        _column = 0;
        if (_rowsInSheet == _rowsPerSheet)
        {
            return NextSheetAsync(ct);
        }

        _rowsInSheet++;
        return _spreadsheet.AddRowAsync(_cells, ct);
    }

    private async ValueTask NextSheetAsync(CancellationToken ct)
    {
        await StartSheetAsync(ct);
        _rowsInSheet++;
        await _spreadsheet.AddRowAsync(_cells, ct);
    }

    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        await _spreadsheet.FinishAsync(ct);
        await _spreadsheet.DisposeAsync();
        _done = true;
        await _target.FlushAsync(ct);
    }

    /// <summary>After <see cref="CompleteAsync"/> nothing is left; otherwise (cancelled, failed) the incomplete file is dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_done)
        {
            _done = true;
            await _spreadsheet.DisposeAsync();
        }

        await _target.DisposeAsync();
    }

    private StyleId? Style(int column) => _styles[column];

    /// <summary>Excel sheet names: at most 31 characters, none of <c>[]:*?/\</c>; the second sheet on gets " (n)".</summary>
    private static string SheetName(string title, int sheet)
    {
        var name = new string(title.Select(c => c is '[' or ']' or ':' or '*' or '?' or '/' or '\\' ? ' ' : c).ToArray()).Trim();
        var suffix = sheet == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({sheet})");
        name = name.Length == 0 ? "Export" : name;
        return (name.Length > 31 - suffix.Length ? name[..(31 - suffix.Length)].TrimEnd() : name) + suffix;
    }

    private static string ColumnLetters(int column)
    {
        var letters = "";
        for (; column > 0; column = (column - 1) / 26)
        {
            letters = (char)('A' + (column - 1) % 26) + letters;
        }

        return letters;
    }
}
