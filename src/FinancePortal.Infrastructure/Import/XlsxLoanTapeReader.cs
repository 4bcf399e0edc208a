using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FinancePortal.Application.Features.Submissions;

namespace FinancePortal.Infrastructure.Import;

/// <summary>
/// Streams the first worksheet of an XLSX loan tape: with <see cref="SheetXmlScanner"/> over the sheet part's bytes,
/// or, from the first row the scanner leaves to it (anything beyond the plain shape spreadsheet writers produce), with
/// a plain <see cref="XmlReader"/> pass that gives the same rows (no element objects are built either way; the
/// package, workbook, shared strings and styles are read with the Open XML SDK). Before the package is opened, the zip directory is checked against <see cref="LoanTapeLimits"/> (.NET
/// stops inflating an entry at its declared size, so checking declared sizes bounds the work). Shared strings are
/// each cut to <see cref="RawRow.MaxStoredLength"/> + 1 characters and held by a <see cref="SharedStringStore"/> (in
/// memory while small, memory-mapped from a temporary file when large). Cells formatted as dates become
/// YYYY-MM-DD; other sheets are ignored.
/// </summary>
internal sealed class XlsxLoanTapeReader : ILoanTapeReader
{
    private const int MaxColumnIndex = 16_383; // XFD, the last Excel column
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly SpreadsheetDocument _document;
    private readonly WorksheetPart _sheet;
    private readonly SharedStringStore _sharedStrings;
    private readonly bool[] _dateStyles;
    private readonly XmlReaderSettings _settings;
    private readonly Names _names;
    private readonly bool _scan;
    private readonly ScannedRow _scanned = new();
    private SheetXmlScanner? _scanner;
    private XmlReader? _reader;
    private char[] _value = new char[64];
    private char[] _inlineText = new char[64];
    private char[] _runs = new char[64];
    private char[] _scratch = new char[64];
    private long _lastRowIndex;
    private int _width;

    private XlsxLoanTapeReader(SpreadsheetDocument document, WorksheetPart sheet, SharedStringStore sharedStrings, bool[] dateStyles, bool scan)
    {
        _scan = scan;
        _document = document;
        _sheet = sheet;
        _sharedStrings = sharedStrings;
        _dateStyles = dateStyles;
        _settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
            NameTable = new NameTable(),
        };
        _names = new Names(_settings.NameTable);
        Start();
    }

    /// <summary>The XmlReader pass, once it is in use.</summary>
    private XmlReader Xml => _reader ?? throw new InvalidOperationException("The sheet is being read by the scanner.");

    /// <summary>Whether the rows so far came from the scanner (false once the XmlReader took over, or when scanning is off).</summary>
    internal bool Scanning => _scanner is not null;

    private Stream SheetStream() => _sheet.GetStream(FileMode.Open, FileAccess.Read);

    private void Start()
    {
        _lastRowIndex = 0;
        _width = 0;
        if (_scan)
        {
            _scanner = new SheetXmlScanner(SheetStream());
        }
        else
        {
            _reader = XmlReader.Create(SheetStream(), _settings);
        }
    }

    /// <summary>
    /// The scanner met something it leaves to the XmlReader: read the part again with it, passing over the rows the
    /// scanner returned (read the same way, so row numbers and the header width come out as before).
    /// </summary>
    private void TakeOver()
    {
        var rows = _scanner!.RowsRead;
        _scanner.Dispose();
        _scanner = null;
        _reader = XmlReader.Create(SheetStream(), _settings);
        _lastRowIndex = 0;
        _width = 0;
        var passed = new RawRow();
        for (long i = 0; i < rows && NextRowElement(); i++)
        {
            Fill(passed);
        }
    }

    private bool NextRowElement()
    {
        while (Xml.Read())
        {
            if (Xml.NodeType == XmlNodeType.Element && IsMain(_names.Row))
            {
                return true;
            }
        }

        return false;
    }

    public static XlsxLoanTapeReader Open(Stream stream, LoanTapeLimits limits) => Open(stream, limits, scan: true);

    /// <summary>Opens the first sheet; <paramref name="scan"/> false reads it with the XmlReader only (tests compare both).</summary>
    internal static XlsxLoanTapeReader Open(Stream stream, LoanTapeLimits limits, bool scan)
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
            return new XlsxLoanTapeReader(document, sheet, strings, ReadDateStyles(workbook), scan);
        }
        catch (Exception e) when (IsDamaged(e) || e is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            strings?.Dispose();
            document?.Dispose();
            throw new LoanTapeUnreadableException(EditRules.S02);
        }
        catch
        {
            strings?.Dispose();
            document?.Dispose();
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask<bool> ReadAsync(RawRow row, CancellationToken ct)
    {
        try
        {
            if (_scanner is not null)
            {
                try
                {
                    if (!_scanner.ReadRow(_scanned))
                    {
                        return ValueTask.FromResult(false);
                    }

                    Fill(row, _scanned);
                    return ValueTask.FromResult(true);
                }
                catch (SheetXmlScanner.NotPlainException)
                {
                    TakeOver();
                }
            }

            if (NextRowElement())
            {
                Fill(row);
                return ValueTask.FromResult(true);
            }
        }
        catch (Exception e) when (IsDamaged(e))
        {
            throw new LoanTapeUnreadableException(EditRules.S02);
        }

        return ValueTask.FromResult(false);
    }

    public ValueTask RewindAsync(CancellationToken ct)
    {
        _scanner?.Dispose();
        _scanner = null;
        _reader?.Dispose();
        _reader = null;
        Start();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _scanner?.Dispose();
        _reader?.Dispose();
        _document.Dispose();
        _sharedStrings.Dispose();
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

    /// <summary>True when the reader is on an element of the SpreadsheetML main namespace with this (atomised) name.</summary>
    private bool IsMain(string localName) =>
        ReferenceEquals(Xml.LocalName, localName) && ReferenceEquals(Xml.NamespaceURI, _names.Main);

    /// <summary>Reads the row element the reader is on (a streaming XmlReader pass: no element objects are built).</summary>
    /// <summary>Fills the row from what the scanner read, exactly as <see cref="Fill(RawRow)"/> does from the XmlReader.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Fill(RawRow row, ScannedRow scanned)
    {
        row.Clear();
        row.Index = scanned.HasReference ? uint.Parse(scanned.Reference, NumberStyles.None, Inv) : _lastRowIndex + 1;
        _lastRowIndex = row.Index;
        var next = 0;
        for (var i = 0; i < scanned.CellCount; i++)
        {
            var cell = scanned[i];
            var column = cell.HasReference ? ColumnIndex(cell.Reference) : next;
            if (column > MaxColumnIndex)
            {
                throw new LoanTapeUnreadableException(EditRules.S02);
            }

            var style = cell.HasStyle ? uint.Parse(cell.Style, NumberStyles.None, Inv) : 0;
            Place(row, ref next, column, Shown(cell.HasType, cell.Type, style, cell.Value, cell.HasInline, cell.Inline));
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Fill(RawRow row)
    {
        row.Clear();
        row.Index = Xml.GetAttribute("r") is { } r ? uint.Parse(r, NumberStyles.None, Inv) : _lastRowIndex + 1;
        _lastRowIndex = row.Index;
        var next = 0;
        if (!Xml.IsEmptyElement)
        {
            var depth = Xml.Depth;
            while (Xml.Read() && !(Xml.NodeType == XmlNodeType.EndElement && Xml.Depth == depth))
            {
                if (Xml.NodeType != XmlNodeType.Element || Xml.Depth != depth + 1 || !IsMain(_names.C))
                {
                    continue;
                }

                // One sweep over the cell's attributes (names are atomised: compared by reference).
                string? reference = null, type = null, style = null;
                if (Xml.MoveToFirstAttribute())
                {
                    do
                    {
                        if (Xml.NamespaceURI.Length == 0)
                        {
                            var name = Xml.LocalName;
                            if (ReferenceEquals(name, _names.R))
                            {
                                reference = Xml.Value;
                            }
                            else if (ReferenceEquals(name, _names.T))
                            {
                                type = Xml.Value;
                            }
                            else if (ReferenceEquals(name, _names.S))
                            {
                                style = Xml.Value;
                            }
                        }
                    }
                    while (Xml.MoveToNextAttribute());

                    Xml.MoveToElement();
                }

                var column = reference is not null ? ColumnIndex(reference) : next;
                if (column > MaxColumnIndex)
                {
                    throw new LoanTapeUnreadableException(EditRules.S02);
                }

                Place(row, ref next, column, CellText(type, style));
            }
        }

        EndRow(row, next);
    }

    /// <summary>
    /// Reads the cell element the reader is on, up to its end tag, and returns its text as the filer sees it. The
    /// text of value and inline-string elements is read in chunks into reused buffers (no string per cell).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<char> CellText(string? type, string? styleText)
    {
        var style = styleText is not null ? uint.Parse(styleText, NumberStyles.None, Inv) : 0;
        var valueLength = -1;
        var inline = -1;
        if (!Xml.IsEmptyElement)
        {
            var depth = Xml.Depth;
            Xml.Read();
            while (!(Xml.NodeType == XmlNodeType.EndElement && Xml.Depth == depth))
            {
                if (Xml.NodeType == XmlNodeType.Element && Xml.Depth == depth + 1 && IsMain(_names.V))
                {
                    // Only the first value element counts.
                    if (valueLength < 0)
                    {
                        valueLength = ReadContent(ref _value, 0);
                    }
                    else
                    {
                        ReadContent(ref _scratch, 0);
                    }
                }
                else if (Xml.NodeType == XmlNodeType.Element && Xml.Depth == depth + 1 && IsMain(_names.Is))
                {
                    if (inline < 0)
                    {
                        inline = InlineText();
                    }
                    else
                    {
                        InlineText();
                    }
                }
                else if (Xml.NodeType == XmlNodeType.Element)
                {
                    Xml.Skip();
                }
                else
                {
                    Xml.Read();
                }
            }
        }

        return Shown(type is not null, type, style, _value.AsSpan(0, Math.Max(valueLength, 0)), inline >= 0, _inlineText.AsSpan(0, Math.Max(inline, 0)));
    }

    /// <summary>A cell's text as the filer sees it, from its type, style, first value and first inline string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<char> Shown(bool hasType, ReadOnlySpan<char> type, uint style, ReadOnlySpan<char> value, bool hasInline, ReadOnlySpan<char> inline)
    {
        if (!hasType || type.SequenceEqual("n"))
        {
            return NumberText(value, style);
        }

        if (type.SequenceEqual("s"))
        {
            return int.TryParse(value, NumberStyles.None, Inv, out var i) && i < _sharedStrings.Count
                ? _sharedStrings[i]
                : throw new LoanTapeUnreadableException(EditRules.S02);
        }

        if (type.SequenceEqual("inlineStr"))
        {
            var text = hasInline ? inline : [];
            return text.Length > RawRow.MaxStoredLength ? text[..(RawRow.MaxStoredLength + 1)] : text;
        }

        if (type.SequenceEqual("b"))
        {
            return value.SequenceEqual("1") ? "TRUE" : "FALSE";
        }

        if (type.SequenceEqual("d"))
        {
            return DateTime.TryParse(value, Inv, DateTimeStyles.None, out var stamp) ? stamp.ToString("yyyy-MM-dd", Inv) : value;
        }

        if (type.SequenceEqual("str") || type.SequenceEqual("e"))
        {
            return value;
        }

        throw new LoanTapeUnreadableException(EditRules.S02);
    }

    /// <summary>
    /// Reads the text content of the element the reader is on into <paramref name="buffer"/> from
    /// <paramref name="start"/> (growing it), as <see cref="XmlReader.ReadElementContentAsString()"/> would return it
    /// (text, CDATA and white space joined; an element inside is an error), and leaves the reader after its end tag.
    /// Returns the length of the buffer's content.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadContent(ref char[] buffer, int start)
    {
        if (Xml.IsEmptyElement)
        {
            Xml.Read();
            return start;
        }

        var length = start;
        var depth = Xml.Depth;
        Xml.Read();
        while (!(Xml.NodeType == XmlNodeType.EndElement && Xml.Depth == depth))
        {
            switch (Xml.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (!Xml.CanReadValueChunk)
                    {
                        var text = Xml.Value;
                        if (length + text.Length > buffer.Length)
                        {
                            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + text.Length));
                        }

                        text.CopyTo(buffer.AsSpan(length));
                        length += text.Length;
                    }
                    else
                    {
                        int read;
                        do
                        {
                            if (length == buffer.Length)
                            {
                                Array.Resize(ref buffer, buffer.Length * 2);
                            }

                            read = Xml.ReadValueChunk(buffer, length, buffer.Length - length);
                            length += read;
                        }
                        while (read > 0);
                    }

                    Xml.Read();
                    break;
                case XmlNodeType.Element:
                    throw new XmlException("A value element holds another element.");
                default:
                    Xml.Read();
                    break;
            }
        }

        Xml.Read();
        return length;
    }

    /// <summary>
    /// Reads the inline-string element the reader is on into the inline buffer (its first direct t element, else its
    /// rich-text runs' t elements joined); leaves the reader after its end tag and returns the text's length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int InlineText()
    {
        if (Xml.IsEmptyElement)
        {
            Xml.Read();
            return 0;
        }

        var direct = -1;
        var runs = 0;
        var depth = Xml.Depth;
        Xml.Read();
        while (!(Xml.NodeType == XmlNodeType.EndElement && Xml.Depth == depth))
        {
            if (Xml.NodeType == XmlNodeType.Element && Xml.Depth == depth + 1 && IsMain(_names.T))
            {
                if (direct < 0)
                {
                    direct = ReadContent(ref _inlineText, 0);
                }
                else
                {
                    ReadContent(ref _scratch, 0);
                }
            }
            else if (Xml.NodeType == XmlNodeType.Element && Xml.Depth == depth + 1 && IsMain(_names.R) && !Xml.IsEmptyElement)
            {
                var runDepth = Xml.Depth;
                var runText = false;
                Xml.Read();
                while (!(Xml.NodeType == XmlNodeType.EndElement && Xml.Depth == runDepth))
                {
                    if (Xml.NodeType == XmlNodeType.Element && Xml.Depth == runDepth + 1 && IsMain(_names.T) && !runText)
                    {
                        runs = ReadContent(ref _runs, runs);
                        runText = true;
                    }
                    else if (Xml.NodeType == XmlNodeType.Element)
                    {
                        Xml.Skip();
                    }
                    else
                    {
                        Xml.Read();
                    }
                }

                Xml.Read();
            }
            else if (Xml.NodeType == XmlNodeType.Element)
            {
                Xml.Skip();
            }
            else
            {
                Xml.Read();
            }
        }

        Xml.Read();
        if (direct >= 0)
        {
            return direct;
        }

        if (runs > _inlineText.Length)
        {
            Array.Resize(ref _inlineText, runs);
        }

        _runs.AsSpan(0, runs).CopyTo(_inlineText);
        return runs;
    }

    /// <summary>The atomised names the sheet reader compares by reference.</summary>
    private sealed class Names(XmlNameTable table)
    {
        public string Main { get; } = table.Add("http://schemas.openxmlformats.org/spreadsheetml/2006/main");

        public string Row { get; } = table.Add("row");

        public string C { get; } = table.Add("c");

        public string V { get; } = table.Add("v");

        public string Is { get; } = table.Add("is");

        public string T { get; } = table.Add("t");

        public string R { get; } = table.Add("r");

        public string S { get; } = table.Add("s");
    }

    /// <summary>
    /// A numeric cell as text: a date when its style shows a date; otherwise the stored number, rounded to the 15
    /// significant digits Excel shows when it was stored with more (0.1 + 0.2) or with an exponent.
    /// </summary>
    private static ReadOnlySpan<char> Shown(ReadOnlySpan<char> value) => value;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<char> NumberText(ReadOnlySpan<char> value, uint style)
    {
        var dateStyle = style < _dateStyles.Length && _dateStyles[style];
        var digits = 0;
        var exponent = false;
        foreach (var c in value)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
            exponent |= c is 'E' or 'e';
        }

        // Not a date and short enough to be shown as stored: the text as stored (whether or not it is a number).
        if (!dateStyle && digits <= 15 && !exponent)
        {
            return value;
        }

        if (!double.TryParse(value, NumberStyles.Float, Inv, out var number))
        {
            return value;
        }

        if (dateStyle && number is >= 1 and < 2958466)
        {
            return DateOnly.FromDateTime(DateTime.FromOADate(number)).ToString("yyyy-MM-dd", Inv);
        }

        if (digits <= 15 && !exponent)
        {
            return value;
        }

        return Math.Abs(number) < 7.9e27 ? ((decimal)number).ToString(Inv) : Shown(value);
    }

    private static int ColumnIndex(ReadOnlySpan<char> reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z')
            {
                break;
            }

            index = (index * 26) + (c - 'A' + 1);
            if (index > MaxColumnIndex + 1)
            {
                break;
            }
        }

        return index - 1;
    }

    private static string Cut(string text) => text.Length > RawRow.MaxStoredLength ? text[..(RawRow.MaxStoredLength + 1)] : text;
}
