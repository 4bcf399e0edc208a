using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FinancePortal.Application.Features.LoanTapes;

namespace FinancePortal.Infrastructure.LoanTapes;

/// <summary>
/// Streams the first worksheet of an XLSX loan tape with <see cref="SheetXmlScanner"/> over the sheet part's bytes (no
/// element objects are built); the package, workbook, shared strings and styles are read with the Open XML SDK. Before
/// the package is opened, the zip directory is checked against <see cref="LoanTapeLimits"/> (.NET stops inflating an
/// entry at its declared size, so checking declared sizes bounds the work). Shared strings are each cut to
/// <see cref="RawRow.MaxStoredLength"/> + 1 characters and held by a <see cref="SharedStringStore"/>. Cells formatted
/// as dates become YYYY-MM-DD; other sheets are ignored.
/// </summary>
internal sealed class XlsxLoanTapeReader(SpreadsheetDocument document, WorksheetPart sheet, SharedStringStore sharedStrings, bool[] dateStyles)
    : ILoanTapeReader
{
    private const int MaxColumnIndex = 16_383; // XFD, the last Excel column
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private SheetXmlScanner _scanner = SheetXmlScanner.Open(() => sheet.GetStream(FileMode.Open, FileAccess.Read));
    private long _lastRowIndex;
    private int _width;

    public static XlsxLoanTapeReader Open(Stream stream, LoanTapeLimits limits)
    {
        var origin = stream.Position;
        CheckZip(stream, limits);
        stream.Position = origin;
        SpreadsheetDocument? document = null;
        SharedStringStore? strings = null;
        try
        {
            document = SpreadsheetDocument.Open(stream, isEditable: false);
            var workbook = document.WorkbookPart ?? throw new LoanTapeUnreadableException(EditRules.S02);
            var first = workbook.Workbook?.Sheets?.Elements<Sheet>().FirstOrDefault();
            if (first?.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart sheet)
            {
                throw new LoanTapeUnreadableException(EditRules.S06);
            }

            strings = ReadSharedStrings(workbook, limits);
            return new XlsxLoanTapeReader(document, sheet, strings, ReadDateStyles(workbook));
        }
        catch (Exception e)
        {
            strings?.Dispose();
            document?.Dispose();
            if (IsDamaged(e) || e is ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                throw new LoanTapeUnreadableException(EditRules.S02);
            }

            throw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask<bool> ReadAsync(RawRow row, CancellationToken ct)
    {
        try
        {
            if (!_scanner.NextRow())
            {
                return ValueTask.FromResult(false);
            }

            Fill(row);
            return ValueTask.FromResult(true);
        }
        catch (Exception e) when (IsDamaged(e))
        {
            throw new LoanTapeUnreadableException(EditRules.S02);
        }
    }

    public ValueTask RewindAsync(CancellationToken ct)
    {
        _scanner.Dispose();
        _lastRowIndex = 0;
        _width = 0;
        try
        {
            _scanner = SheetXmlScanner.Open(() => sheet.GetStream(FileMode.Open, FileAccess.Read));
            return ValueTask.CompletedTask;
        }
        catch (Exception e) when (IsDamaged(e))
        {
            throw new LoanTapeUnreadableException(EditRules.S02);
        }
    }

    public void Dispose()
    {
        _scanner.Dispose();
        document.Dispose();
        sharedStrings.Dispose();
    }

    /// <summary>What a damaged or unusual package throws (unsupported compression methods included).</summary>
    private static bool IsDamaged(Exception e) =>
        e is OpenXmlPackageException or InvalidDataException or XmlException or FormatException or IOException or NotSupportedException;

    private static void CheckZip(Stream stream, LoanTapeLimits limits)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                var tooBig = entry.Length < 0 || entry.Length > limits.MaxUncompressedBytes - total;
                var tooCompressed = entry.Length > limits.RatioCheckMinBytes
                                    && entry.Length / Math.Max(entry.CompressedLength, 1) > limits.MaxCompressionRatio;
                if (tooBig || tooCompressed)
                {
                    throw new LoanTapeUnreadableException(EditRules.S04);
                }

                total += entry.Length;
            }
        }
        catch (Exception e) when (IsDamaged(e))
        {
            throw new LoanTapeUnreadableException(EditRules.S02);
        }
    }

    private static SharedStringStore ReadSharedStrings(WorkbookPart workbook, LoanTapeLimits limits)
    {
        var strings = new SharedStringStore(limits.SharedStringsInMemoryChars);
        try
        {
            if (workbook.SharedStringTablePart is { } part)
            {
                using var reader = OpenXmlReader.Create(part);
                while (reader.Read())
                {
                    if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
                    {
                        var item = (SharedStringItem)reader.LoadCurrentElement()!;
                        strings.Add(Cut(item.Text?.Text ?? string.Concat(item.Elements<Run>().Select(r => r.Text?.Text))));
                    }
                }
            }

            strings.Complete();
            return strings;
        }
        catch
        {
            strings.Dispose();
            throw;
        }
    }

    /// <summary>For each cell style index: does its number format show a date?</summary>
    private static bool[] ReadDateStyles(WorkbookPart workbook)
    {
        var stylesheet = workbook.WorkbookStylesPart?.Stylesheet;
        if (stylesheet?.CellFormats is not { } formats)
        {
            return [];
        }

        var custom = stylesheet.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null)
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode?.Value ?? "") ?? [];
        return formats.Elements<CellFormat>()
            .Select(f => f.NumberFormatId?.Value is { } id && IsDateFormat(id, custom.GetValueOrDefault(id)))
            .ToArray();
    }

    private static bool IsDateFormat(uint id, string? code)
    {
        // Built-in date formats (14-17, 22) and the East Asian built-in date formats (27-36, 50-58).
        if (id is (>= 14 and <= 17) or 22 or (>= 27 and <= 36) or (>= 50 and <= 58))
        {
            return true;
        }

        if (id < 164 || string.IsNullOrEmpty(code))
        {
            return false;
        }

        // A custom format is a date format when it has day or year codes outside quoted text and [..] sections.
        var plain = System.Text.RegularExpressions.Regex.Replace(code, "\"[^\"]*\"|\\[[^\\]]*\\]", "");
        return plain.Contains('y', StringComparison.OrdinalIgnoreCase) || plain.Contains('d', StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads the row the scanner is on: each cell's text at its column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Fill(RawRow row)
    {
        row.Clear();
        var r = _scanner.Reference;
        row.Index = r.Present ? uint.Parse(r.Value, NumberStyles.None, Inv) : _lastRowIndex + 1;
        _lastRowIndex = row.Index;
        var next = 0;
        while (_scanner.NextCell())
        {
            var column = _scanner.Reference.Present ? ColumnIndex(_scanner.Reference.Value) : next;
            if (column > MaxColumnIndex)
            {
                throw new LoanTapeUnreadableException(EditRules.S02);
            }

            var style = _scanner.Style.Present ? uint.Parse(_scanner.Style.Value, NumberStyles.None, Inv) : 0;
            Place(row, ref next, column, Shown(_scanner.Type, style));
        }

        EndRow(row, next);
    }

    /// <summary>Adds a cell's text at its column (empty fields for the columns skipped); a cell left of the last one is ignored.</summary>
    private static void Place(RawRow row, ref int next, int column, ReadOnlySpan<char> text)
    {
        if (column < next)
        {
            return;
        }

        for (; next < column; next++)
        {
            row.Add([]);
        }

        row.Add(text);
        next++;
    }

    private void EndRow(RawRow row, int next)
    {
        for (; next < _width; next++)
        {
            row.Add([]);
        }

        // Empty cells that only carry formatting must not count as extra fields.
        row.TrimEmptyTail(_width);
        if (_width == 0 && !row.IsBlank)
        {
            _width = row.Count;
        }
    }

    /// <summary>A cell's text as the filer sees it, from its type, style, first value and first inline string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<char> Shown(SheetXmlScanner.Attribute type, uint style)
    {
        var value = _scanner.Value;
        return !type.Present ? NumberText(value, style) : type.Value switch
        {
            "n" => NumberText(value, style),
            "s" when int.TryParse(value, NumberStyles.None, Inv, out var i) && i < sharedStrings.Count => sharedStrings[i],
            "inlineStr" => Cut(_scanner.Inline),
            "b" => value is "1" ? "TRUE" : "FALSE",
            "d" when DateTime.TryParse(value, Inv, DateTimeStyles.None, out var stamp) => stamp.ToString("yyyy-MM-dd", Inv),
            "d" or "str" or "e" => value,
            _ => throw new LoanTapeUnreadableException(EditRules.S02),
        };
    }

    /// <summary>
    /// A numeric cell as text: a date when its style shows a date; otherwise the stored number, rounded to the 15
    /// significant digits Excel shows when it was stored with more (0.1 + 0.2) or with an exponent.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<char> NumberText(ReadOnlySpan<char> value, uint style)
    {
        var dateStyle = style < dateStyles.Length && dateStyles[style];
        var digits = 0;
        var exponent = false;
        foreach (var c in value)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
            exponent |= c is 'E' or 'e';
        }

        // Not a date and short enough to be shown as stored: the text as stored (whether or not it is a number).
        if ((!dateStyle && digits <= 15 && !exponent) || !double.TryParse(value, NumberStyles.Float, Inv, out var number))
        {
            return value;
        }

        if (dateStyle && number is >= 1 and < 2958466)
        {
            return DateOnly.FromDateTime(DateTime.FromOADate(number)).ToString("yyyy-MM-dd", Inv);
        }

        return (digits <= 15 && !exponent) || Math.Abs(number) >= 7.9e27 ? value : ((decimal)number).ToString(Inv);
    }

    private static int ColumnIndex(ReadOnlySpan<char> reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z' || index > MaxColumnIndex + 1)
            {
                break;
            }

            index = (index * 26) + (c - 'A' + 1);
        }

        return index - 1;
    }

    private static ReadOnlySpan<char> Cut(ReadOnlySpan<char> text) => text.Length > RawRow.MaxStoredLength ? text[..(RawRow.MaxStoredLength + 1)] : text;

    private static string Cut(string text) => text.Length > RawRow.MaxStoredLength ? text[..(RawRow.MaxStoredLength + 1)] : text;
}
