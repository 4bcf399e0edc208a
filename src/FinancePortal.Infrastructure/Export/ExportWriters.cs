using System.Globalization;
using System.Text;
using FinancePortal.Application;
using FinancePortal.Application.Features.Exports;
using nietras.SeparatedValues;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace FinancePortal.Infrastructure.Export;

/// <summary>Creates the XLSX (SpreadCheetah) or CSV (Sep) writer of an export.</summary>
public sealed class ExportWriterFactory : IExportWriterFactory
{
    public async ValueTask<IExportWriter> CreateAsync(ExportFormat format, Stream target, string title, IReadOnlyList<ExportColumnInfo> columns, CancellationToken ct) =>
        format == ExportFormat.Xlsx
            ? await XlsxExportWriter.CreateAsync(target, title, columns, ct)
            : await CsvExportWriter.CreateAsync(target, columns, ct);
}

/// <summary>
/// XLSX through SpreadCheetah: forward-only, constant memory (a row buffer and the zip deflater), straight to the target
/// stream. Header row bold and frozen with an autofilter; money <c>¥#,##0.00</c>, rates <c>0.00%</c>, dates as date
/// cells. Text is an inline-string cell (never a formula); text that looks like a formula also gets the text number
/// format <c>@</c>, so editing the cell in Excel keeps it text (<see cref="SafeCell"/>).
/// </summary>
public sealed class XlsxExportWriter : IExportWriter
{
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
    private int _column;
    private bool _done;

    private XlsxExportWriter(Spreadsheet spreadsheet, AsyncOnlyStream target, IReadOnlyList<ExportColumnInfo> columns)
    {
        _spreadsheet = spreadsheet;
        _target = target;
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

    public static async ValueTask<XlsxExportWriter> CreateAsync(Stream target, string title, IReadOnlyList<ExportColumnInfo> columns, CancellationToken ct)
    {
        // The zip writer under SpreadCheetah makes small synchronous writes, which Kestrel refuses: see AsyncOnlyStream.
        var stream = new AsyncOnlyStream(target);
        var spreadsheet = await Spreadsheet.CreateNewAsync(stream, new SpreadCheetahOptions { BufferSize = 64 * 1024 }, ct);
        try
        {
            var options = new WorksheetOptions { FrozenRows = 1, AutoFilter = new AutoFilterOptions($"A1:{ColumnLetters(columns.Count)}1") };
            for (var i = 0; i < columns.Count; i++)
            {
                options.Column(i + 1).Width = columns[i].Width;
            }

            await spreadsheet.StartWorksheetAsync(SheetName(title), options, ct);
            var writer = new XlsxExportWriter(spreadsheet, stream, columns);
            var header = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
            await spreadsheet.AddRowAsync(columns.Select(c => new Cell(c.Header, header)).ToArray(), ct);
            return writer;
        }
        catch
        {
            await spreadsheet.DisposeAsync();
            throw;
        }
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
        return _spreadsheet.AddRowAsync(_cells, ct);
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

    /// <summary>Excel sheet names: at most 31 characters, none of <c>[]:*?/\</c>.</summary>
    private static string SheetName(string title)
    {
        var name = new string(title.Select(c => c is '[' or ']' or ':' or '*' or '?' or '/' or '\\' ? ' ' : c).ToArray()).Trim();
        return name.Length == 0 ? "Export" : name.Length > 31 ? name[..31] : name;
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

/// <summary>
/// CSV through Sep: UTF-8 with a byte-order mark (so Excel reads Chinese text), comma-separated, RFC 4180 quoting,
/// invariant numbers (money with two decimals, rates as fractions), dates <c>yyyy-MM-dd</c>, times
/// <c>yyyy-MM-dd HH:mm:ss</c> (UTC). Text that looks like a formula (<see cref="SafeCell"/>) is prefixed with an
/// apostrophe, the OWASP advice for CSV, so a spreadsheet shows it as text. Rows go out asynchronously.
/// </summary>
public sealed class CsvExportWriter : IExportWriter
{
    private readonly StreamWriter _text;
    private readonly SepWriter _sep;
    private readonly ExportCellKind[] _kinds;
    private readonly string?[] _texts;
    private readonly long?[] _integers;
    private readonly decimal?[] _decimals;
    private readonly DateTime?[] _times;
    private int _column;

    private CsvExportWriter(Stream target, IReadOnlyList<ExportColumnInfo> columns)
    {
        _text = new StreamWriter(target, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024, leaveOpen: true);
        _sep = Sep.New(',').Writer(o => o with { WriteHeader = false, Escape = true, CultureInfo = CultureInfo.InvariantCulture }).To(_text, leaveOpen: true);
        _kinds = columns.Select(c => c.Kind).ToArray();
        _texts = new string?[columns.Count];
        _integers = new long?[columns.Count];
        _decimals = new decimal?[columns.Count];
        _times = new DateTime?[columns.Count];
    }

    public static async ValueTask<CsvExportWriter> CreateAsync(Stream target, IReadOnlyList<ExportColumnInfo> columns, CancellationToken ct)
    {
        var writer = new CsvExportWriter(target, columns);
        var row = writer._sep.NewRow(ct);
        for (var i = 0; i < columns.Count; i++)
        {
            row[i].Set(columns[i].Header);
        }

        await row.DisposeAsync();
        return writer;
    }

    public void Text(string? value) => _texts[_column++] = value;

    public void Integer(long? value) => _integers[_column++] = value;

    public void Decimal(decimal? value) => _decimals[_column++] = value;

    public void Date(DateOnly? value) => _times[_column++] = value?.ToDateTime(TimeOnly.MinValue);

    public void Time(DateTime? value) => _times[_column++] = value;

    public async ValueTask EndRowAsync(CancellationToken ct)
    {
        var columns = _column;
        _column = 0;
        var row = _sep.NewRow(ct);
        Fill(row, columns);
        await row.DisposeAsync();
    }

    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        await _sep.FlushAsync(ct);
        await _text.FlushAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _sep.DisposeAsync();
        await _text.DisposeAsync();
    }

    private void Fill(SepWriter.Row row, int columns)
    {
        for (var i = 0; i < columns; i++)
        {
            var col = row[i];
            switch (_kinds[i])
            {
                case ExportCellKind.Text:
                    var text = _texts[i];
                    if (SafeCell.LooksLikeFormula(text))
                    {
                        col.Set("'" + text);
                    }
                    else
                    {
                        col.Set(text);
                    }

                    break;
                case ExportCellKind.Integer:
                    if (_integers[i] is { } integer)
                    {
                        col.Format(integer);
                    }
                    else
                    {
                        col.Set("");
                    }

                    break;
                case ExportCellKind.Money:
                    if (_decimals[i] is { } money)
                    {
                        col.Format(money, "0.00");
                    }
                    else
                    {
                        col.Set("");
                    }

                    break;
                case ExportCellKind.Rate or ExportCellKind.Number:
                    if (_decimals[i] is { } number)
                    {
                        col.Format(number);
                    }
                    else
                    {
                        col.Set("");
                    }

                    break;
                case ExportCellKind.Date:
                    if (_times[i] is { } date)
                    {
                        col.Format(date, "yyyy-MM-dd");
                    }
                    else
                    {
                        col.Set("");
                    }

                    break;
                default:
                    if (_times[i] is { } time)
                    {
                        col.Format(time, "yyyy-MM-dd HH:mm:ss");
                    }
                    else
                    {
                        col.Set("");
                    }

                    break;
            }
        }
    }
}
