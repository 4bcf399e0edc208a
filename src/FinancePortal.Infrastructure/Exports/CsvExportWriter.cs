using System.Globalization;
using System.Text;
using FinancePortal.Application;
using FinancePortal.Application.Features.Exports;
using nietras.SeparatedValues;
using SpreadCheetah.Styling;

namespace FinancePortal.Infrastructure.Exports;

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
