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

/// <summary>
/// CSV through Sep: UTF-8 with a byte-order mark (so Excel reads Chinese text), comma-separated, RFC 4180 quoting,
/// invariant numbers (money with two decimals, rates as fractions), dates <c>yyyy-MM-dd</c>, times
/// <c>yyyy-MM-dd HH:mm:ss</c> (UTC). Text that looks like a formula (<see cref="SafeCell"/>) is prefixed with an
/// apostrophe, the OWASP advice for CSV, so a spreadsheet shows it as text. Sep writes each row synchronously into a
/// memory buffer of about 64 K characters, which goes out to the target asynchronously when full (a response stream takes
/// asynchronous writes only): no asynchronous call per row or per cell, memory bounded by the buffer.
/// </summary>
public sealed class CsvExportWriter : IExportWriter
{
    /// <summary>Characters buffered before they are encoded and written out.</summary>
    private const int FlushAt = 64 * 1024;

    private readonly Stream _target;
    private readonly CharBuffer _buffer = new(FlushAt + 4 * 1024);
    private readonly SepWriter _sep;
    private readonly ExportCellKind[] _kinds;
    private readonly string?[] _texts;
    private readonly long?[] _integers;
    private readonly decimal?[] _decimals;
    private readonly DateTime?[] _times;
    private byte[] _bytes = [];
    private int _column;

    private CsvExportWriter(Stream target, IReadOnlyList<ExportColumnInfo> columns)
    {
        _target = target;
        _sep = Sep.New(',').Writer(o => o with { WriteHeader = false, Escape = true, CultureInfo = CultureInfo.InvariantCulture }).To(_buffer, leaveOpen: true);
        _kinds = columns.Select(c => c.Kind).ToArray();
        _texts = new string?[columns.Count];
        _integers = new long?[columns.Count];
        _decimals = new decimal?[columns.Count];
        _times = new DateTime?[columns.Count];
    }

    public static async ValueTask<CsvExportWriter> CreateAsync(Stream target, IReadOnlyList<ExportColumnInfo> columns, CancellationToken ct)
    {
        var writer = new CsvExportWriter(target, columns);
        await target.WriteAsync(Encoding.UTF8.Preamble.ToArray(), ct);
        using (var row = writer._sep.NewRow())
        {
            for (var i = 0; i < columns.Count; i++)
            {
                row[i].Set(columns[i].Header);
            }
        }

        return writer;
    }

    public void Text(string? value) => _texts[_column++] = value;

    public void Integer(long? value) => _integers[_column++] = value;

    public void Decimal(decimal? value) => _decimals[_column++] = value;

    public void Date(DateOnly? value) => _times[_column++] = value?.ToDateTime(TimeOnly.MinValue);

    public void Time(DateTime? value) => _times[_column++] = value;

    public ValueTask EndRowAsync(CancellationToken ct)
    {
        var columns = _column;
        _column = 0;
        using (var row = _sep.NewRow())
        {
            Fill(row, columns);
        }

        return _buffer.Length >= FlushAt ? WriteOutAsync(ct) : ValueTask.CompletedTask;
    }

    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        _sep.Flush();
        await WriteOutAsync(ct);
        await _target.FlushAsync(ct);
    }

    public ValueTask DisposeAsync()
    {
        // Whatever Sep still holds goes to the memory buffer only; an incomplete file is not written further.
        _sep.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The buffered text as UTF-8, to the target. It is written out between rows only, and Sep hands a row to the
    /// buffer whole, so no character pair is ever split (tested with characters outside the basic plane).
    /// </summary>
    private async ValueTask WriteOutAsync(CancellationToken ct)
    {
        var chars = _buffer.Written;
        var needed = Encoding.UTF8.GetMaxByteCount(chars.Length);
        if (_bytes.Length < needed)
        {
            _bytes = new byte[needed];
        }

        var length = Encoding.UTF8.GetBytes(chars.Span, _bytes);
        _buffer.Clear();
        await _target.WriteAsync(_bytes.AsMemory(0, length), ct);
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

/// <summary>A text writer into a growable character array (the CSV writer's row buffer).</summary>
internal sealed class CharBuffer(int capacity) : TextWriter(CultureInfo.InvariantCulture)
{
    private char[] _chars = new char[capacity];

    public int Length { get; private set; }

    public ReadOnlyMemory<char> Written => _chars.AsMemory(0, Length);

    public override Encoding Encoding => Encoding.Unicode;

    public void Clear() => Length = 0;

    public override void Write(char value)
    {
        Ensure(1);
        _chars[Length++] = value;
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Ensure(buffer.Length);
        buffer.CopyTo(_chars.AsSpan(Length));
        Length += buffer.Length;
    }

    private void Ensure(int more)
    {
        if (_chars.Length - Length < more)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + more));
        }
    }
}
