using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace FinancePortal.Infrastructure.Import;

/// <summary>
/// A forward-only scanner of a worksheet part's UTF-8 bytes that reads rows the way <see cref="XlsxLoanTapeReader"/>'s
/// <c>XmlReader</c> pass does, at a fraction of the cost (no node objects, no name table, no per-node state). It
/// checks what it passes over (tags nest, names and attributes are well formed, text is valid UTF-8 without
/// forbidden characters, entity references are known) and understands only the plain shape that spreadsheet
/// writers produce: the SpreadsheetML namespace declared once on the root (as the default namespace or one prefix).
/// Anything else — a DTD, CDATA, entity references in attributes, a carriage return, a namespace declared again, a
/// tag longer than a megabyte, an encoding other than UTF-8 — raises <see cref="SheetXmlScanner.NotPlainException"/>
/// before the row it is in is returned, and the caller reads the part again with the XmlReader from that row on, so
/// every file gives exactly the rows (or the error) it gave before.
/// </summary>
internal sealed class SheetXmlScanner : IDisposable
{
    private const int MaxTag = 1 << 20;

    private static readonly byte[] MainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"u8.ToArray();

    /// <summary>Bytes that end a run of plain text: markup, references, carriage returns and the control characters XML forbids.</summary>
    private static readonly SearchValues<byte> TextStops = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(b => b is not ('\t' or '\n')).Select(b => (byte)b), (byte)'<', (byte)'&', (byte)'>']);

    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 17];
    private int _position;
    private int _length;
    private bool _endOfStream;
    private bool _started;

    // The open elements' names, one after another in _names; _nameEnds[d] is where the name at depth d ends.
    private byte[] _names = new byte[256];
    private int[] _nameEnds = new int[16];
    private int _depth;
    private bool _rootSeen;
    private bool _rootClosed;
    private byte[]? _mainPrefix;

    // The current token.
    private Token _token;
    private int _tokenDepth;
    private bool _isEmpty;
    private bool _isMain;
    private LocalName _localName;

    // Unprefixed r, t and s attributes of the current start tag.
    private readonly Attribute _r = new();
    private readonly Attribute _t = new();
    private readonly Attribute _s = new();

    // Text captured while Capture is set.
    private char[] _text = new char[256];
    private int _textLength;
    private bool _capture;

    public SheetXmlScanner(Stream utf8Xml)
    {
        _stream = utf8Xml;
    }

    /// <summary>The part is not in the plain shape this scanner reads: read it with the XmlReader instead.</summary>
    public sealed class NotPlainException(string reason) : Exception(reason);

    private enum Token
    {
        None,
        Start,
        End,
        Text,
        EndOfDocument,
    }

    /// <summary>The element names the row reader cares about (any other name is <see cref="Other"/>).</summary>
    private enum LocalName
    {
        Other,
        Row,
        C,
        V,
        Is,
        T,
        R,
    }

    /// <summary>Rows read so far (the XmlReader fallback skips this many).</summary>
    public long RowsRead { get; private set; }

    public void Dispose() => _stream.Dispose();

    /// <summary>Reads the next row element into <paramref name="row"/>; false at the end of the document.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool ReadRow(ScannedRow row)
    {
        while (Read())
        {
            if (_token == Token.Start && _isMain && _localName == LocalName.Row)
            {
                FillRow(row);
                RowsRead++;
                return true;
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillRow(ScannedRow row)
    {
        row.Clear();
        row.SetReference(_r);
        if (_isEmpty)
        {
            return;
        }

        var depth = _tokenDepth;
        while ((_depth == depth + 1 && TryPlainCellStart()) || (Read() && !(_token == Token.End && _tokenDepth == depth)))
        {
            if (_token != Token.Start || _tokenDepth != depth + 1 || !_isMain || _localName != LocalName.C)
            {
                continue;
            }

            var cell = row.AddCell(_r, _t, _s);
            if (!_isEmpty && !TryPlainCell(row, cell))
            {
                ReadCell(row, cell);
            }
        }
    }

    /// <summary>
    /// A cell's start tag in its usual form, matched byte for byte: <c>&lt;c</c>, then only r, t or s attributes with
    /// letters and digits in double quotes, each after one space, then <c>&gt;</c> or <c>/&gt;</c> (SpreadsheetML as the
    /// default namespace). Anything else is read by the general path; the token is the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryPlainCellStart()
    {
        if (_mainPrefix is not { Length: 0 } || _length - _position < 64)
        {
            return false;
        }

        var tag = _buffer.AsSpan(_position, 64);
        if (tag[0] != (byte)'<' || tag[1] != (byte)'c')
        {
            return false;
        }

        var at = 2;
        Attribute? r = null, t = null, s = null;
        while (true)
        {
            if (at + 1 >= tag.Length)
            {
                return false;
            }

            if (tag[at] == (byte)'>' || (tag[at] == (byte)'/' && tag[at + 1] == (byte)'>'))
            {
                break;
            }

            if (tag[at] != (byte)' ' || at + 4 >= tag.Length || tag[at + 2] != (byte)'=' || tag[at + 3] != (byte)'"')
            {
                return false;
            }

            var target = tag[at + 1] switch
            {
                (byte)'r' when r is null => r = _r,
                (byte)'t' when t is null => t = _t,
                (byte)'s' when s is null => s = _s,
                _ => null,
            };
            if (target is null)
            {
                return false;
            }

            var value = tag[(at + 4)..];
            var end = value.IndexOfAnyExcept(PlainValue);
            if (end < 0 || value[end] != (byte)'"')
            {
                return false;
            }

            target.Set(value[..end]);
            at += 4 + end + 1;
        }

        if (r is null)
        {
            _r.Clear();
        }

        if (t is null)
        {
            _t.Clear();
        }

        if (s is null)
        {
            _s.Clear();
        }

        _isEmpty = tag[at] == (byte)'/';
        _isMain = true;
        _localName = LocalName.C;
        _token = Token.Start;
        _tokenDepth = _depth;
        if (!_isEmpty)
        {
            Push("c"u8);
        }

        _position += at + (_isEmpty ? 2 : 1);
        return true;
    }

    private static readonly SearchValues<byte> PlainValue = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"u8);

    /// <summary>
    /// The two shapes nearly every cell has, matched byte for byte after the cell's start tag: <c>&lt;v&gt;text&lt;/v&gt;&lt;/c&gt;</c>
    /// and <c>&lt;is&gt;&lt;t&gt;text&lt;/t&gt;&lt;/is&gt;&lt;/c&gt;</c> (SpreadsheetML as the default namespace, plain ASCII text, all of it
    /// in the buffer). Anything else (or a shape cut by the buffer's end) is read by the general path; the result is the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryPlainCell(ScannedRow row, int cell)
    {
        if (_mainPrefix is not { Length: 0 })
        {
            return false;
        }

        var available = _buffer.AsSpan(_position, _length - _position);
        ReadOnlySpan<byte> close;
        int open;
        bool inline;
        if (available.StartsWith("<v>"u8))
        {
            open = 3;
            close = "</v></c>"u8;
            inline = false;
        }
        else if (available.StartsWith("<is><t>"u8))
        {
            open = 7;
            close = "</t></is></c>"u8;
            inline = true;
        }
        else
        {
            return false;
        }

        var text = available[open..];
        var end = text.IndexOf((byte)'<');
        if (end < 0)
        {
            return false;
        }

        var content = text[..end];
        if (content.IndexOfAny(TextStops) >= 0 || !Ascii.IsValid(content) || !text[end..].StartsWith(close))
        {
            return false;
        }

        if (inline)
        {
            row.SetInline(cell, content);
        }
        else
        {
            row.SetValue(cell, content);
        }

        _position += open + end + close.Length;
        Close();
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadCell(ScannedRow row, int cell)
    {
        var depth = _tokenDepth;
        var haveValue = false;
        var haveInline = false;
        while (Read() && !(_token == Token.End && _tokenDepth == depth))
        {
            if (_token != Token.Start)
            {
                continue;
            }

            if (_tokenDepth == depth + 1 && _isMain && _localName == LocalName.V)
            {
                ReadContent();
                if (!haveValue)
                {
                    row.SetValue(cell, _text.AsSpan(0, _textLength));
                    haveValue = true;
                }
            }
            else if (_tokenDepth == depth + 1 && _isMain && _localName == LocalName.Is)
            {
                var text = InlineText();
                if (!haveInline)
                {
                    row.SetInline(cell, text);
                    haveInline = true;
                }
            }
            else
            {
                Skip();
            }
        }
    }

    /// <summary>The text of the value or text element the scanner is on, into the text buffer; an element inside is not plain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadContent()
    {
        _textLength = 0;
        if (_isEmpty)
        {
            return;
        }

        var depth = _tokenDepth;
        _capture = true;
        try
        {
            while (Read() && !(_token == Token.End && _tokenDepth == depth))
            {
                if (_token == Token.Start)
                {
                    throw new NotPlainException("An element inside a value.");
                }
            }
        }
        finally
        {
            _capture = false;
        }
    }

    /// <summary>An inline string: its first direct t element, else the first t element of each rich-text run, joined.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<char> InlineText()
    {
        if (_isEmpty)
        {
            return [];
        }

        var depth = _tokenDepth;
        var direct = -1;
        _runsLength = 0;
        while (Read() && !(_token == Token.End && _tokenDepth == depth))
        {
            if (_token != Token.Start)
            {
                continue;
            }

            if (_tokenDepth == depth + 1 && _isMain && _localName == LocalName.T)
            {
                ReadContent();
                if (direct < 0)
                {
                    direct = Copy(ref _direct, 0);
                }
            }
            else if (_tokenDepth == depth + 1 && _isMain && _localName == LocalName.R && !_isEmpty)
            {
                var runDepth = _tokenDepth;
                var runText = false;
                while (Read() && !(_token == Token.End && _tokenDepth == runDepth))
                {
                    if (_token != Token.Start)
                    {
                        continue;
                    }

                    if (_tokenDepth == runDepth + 1 && _isMain && _localName == LocalName.T && !runText)
                    {
                        ReadContent();
                        _runsLength = Copy(ref _runs, _runsLength);
                        runText = true;
                    }
                    else
                    {
                        Skip();
                    }
                }
            }
            else
            {
                Skip();
            }
        }

        return direct >= 0 ? _direct.AsSpan(0, direct) : _runs.AsSpan(0, _runsLength);
    }

    private char[] _direct = new char[64];
    private char[] _runs = new char[64];
    private int _runsLength;

    /// <summary>Appends the text buffer to <paramref name="buffer"/> at <paramref name="start"/>; returns the new length.</summary>
    private int Copy(ref char[] buffer, int start)
    {
        if (start + _textLength > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, start + _textLength));
        }

        _text.AsSpan(0, _textLength).CopyTo(buffer.AsSpan(start));
        return start + _textLength;
    }

    /// <summary>Passes over the element the scanner is on (checking it) to its end tag.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Skip()
    {
        if (_isEmpty)
        {
            return;
        }

        var depth = _tokenDepth;
        while (Read() && !(_token == Token.End && _tokenDepth == depth))
        {
        }
    }

    /// <summary>The next start tag, end tag or text run; false at the end of the document.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Read()
    {
        if (!_started)
        {
            _started = true;
            if (Ensure(3) && _buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
            {
                _position = 3;
            }
        }

        while (true)
        {
            if (!Ensure(1))
            {
                if (!_rootClosed)
                {
                    throw new NotPlainException("The document ends inside an element.");
                }

                _token = Token.EndOfDocument;
                return false;
            }

            if (_buffer[_position] != (byte)'<')
            {
                ReadText();
                if (_token == Token.Text)
                {
                    return true;
                }

                continue;
            }

            if (!Ensure(2))
            {
                throw new NotPlainException("The document ends inside a tag.");
            }

            switch (_buffer[_position + 1])
            {
                case (byte)'/':
                    ReadEndTag();
                    return true;
                case (byte)'?':
                    SkipProcessingInstruction();
                    continue;
                case (byte)'!':
                    SkipComment();
                    continue;
                default:
                    ReadStartTag();
                    return true;
            }
        }
    }

    /// <summary>A run of text up to the next tag: checked, decoded into the text buffer when capturing; white space outside the root is skipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadText()
    {
        var outside = _depth == 0;
        var any = false;
        while (Ensure(1) && _buffer[_position] != (byte)'<')
        {
            var span = _buffer.AsSpan(_position, _length - _position);
            var stop = span.IndexOfAny(TextStops);
            var run = stop < 0 ? span : span[..stop];
            if (run.Length > 0)
            {
                if (outside && run.TrimStart(" \t\n"u8).Length > 0)
                {
                    throw new NotPlainException("Text outside the root element.");
                }

                var consumed = Decode(run, stop < 0 && !_endOfStream);
                _position += consumed;
                any |= consumed > 0;
                if (consumed < run.Length)
                {
                    // An incomplete UTF-8 sequence at the end of the buffer: read more and decode it whole.
                    if (!Ensure(run.Length - consumed + 4) && _length - _position == run.Length - consumed)
                    {
                        throw new NotPlainException("Invalid UTF-8.");
                    }

                    continue;
                }
            }

            if (stop < 0)
            {
                continue;
            }

            var b = _buffer[_position];
            if (b == (byte)'<')
            {
                break;
            }

            if (b == (byte)'&' && !outside)
            {
                ReadReference();
                any = true;
                continue;
            }

            if (b == (byte)'>' && !ClosesCdata())
            {
                Append('>');
                _position++;
                any = true;
                continue;
            }

            throw new NotPlainException("A character this scanner leaves to the XML reader.");
        }

        _token = any && !outside ? Token.Text : Token.None;
    }

    /// <summary>"]]>" in text is not allowed in XML.</summary>
    private bool ClosesCdata() =>
        _position >= 2 && _buffer[_position - 1] == (byte)']' && _buffer[_position - 2] == (byte)']';

    /// <summary>Checks (and when capturing, appends) UTF-8 text; returns the bytes consumed (an incomplete sequence at the end is left).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Decode(ReadOnlySpan<byte> bytes, bool mayContinue)
    {
        var ascii = System.Text.Ascii.IsValid(bytes);
        if (!_capture)
        {
            if (ascii)
            {
                return bytes.Length;
            }
        }

        var read = 0;
        while (read < bytes.Length)
        {
            GrowText(bytes.Length - read);
            var status = Utf8.ToUtf16(bytes[read..], _text.AsSpan(_textLength), out var bytesRead, out var charsWritten, replaceInvalidSequences: false, isFinalBlock: !mayContinue);
            if (!ascii)
            {
                foreach (var c in _text.AsSpan(_textLength, charsWritten))
                {
                    if (c is '\uFFFE' or '\uFFFF')
                    {
                        throw new NotPlainException("A character XML does not allow.");
                    }
                }
            }

            if (_capture)
            {
                _textLength += charsWritten;
            }

            read += bytesRead;
            switch (status)
            {
                case OperationStatus.Done:
                    return read;
                case OperationStatus.DestinationTooSmall:
                    continue;
                case OperationStatus.NeedMoreData:
                    return read;
                default:
                    throw new NotPlainException("Invalid UTF-8.");
            }
        }

        return read;
    }

    private void GrowText(int bytes)
    {
        if (_textLength + bytes > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + bytes));
        }
    }

    private void Append(char c)
    {
        if (_capture)
        {
            GrowText(1);
            _text[_textLength++] = c;
        }
    }

    /// <summary>An entity or character reference in text: the five predefined entities and numeric references to allowed characters.</summary>
    private void ReadReference()
    {
        if (!Ensure(3))
        {
            throw new NotPlainException("The document ends inside a reference.");
        }

        var window = _buffer.AsSpan(_position, Math.Min(_length - _position, 12));
        var end = window.IndexOf((byte)';');
        if (end < 0 && !Ensure(12))
        {
            throw new NotPlainException("An unterminated reference.");
        }

        window = _buffer.AsSpan(_position, Math.Min(_length - _position, 12));
        end = window.IndexOf((byte)';');
        if (end < 2)
        {
            throw new NotPlainException("A reference this scanner leaves to the XML reader.");
        }

        var name = window[1..end];
        if (name.SequenceEqual("amp"u8))
        {
            Append('&');
        }
        else if (name.SequenceEqual("lt"u8))
        {
            Append('<');
        }
        else if (name.SequenceEqual("gt"u8))
        {
            Append('>');
        }
        else if (name.SequenceEqual("quot"u8))
        {
            Append('"');
        }
        else if (name.SequenceEqual("apos"u8))
        {
            Append('\'');
        }
        else if (name[0] == (byte)'#' && TryCodePoint(name[1..], out var code) && IsXmlChar(code))
        {
            if (_capture)
            {
                GrowText(2);
                _textLength += new Rune(code).EncodeToUtf16(_text.AsSpan(_textLength));
            }
        }
        else
        {
            throw new NotPlainException("A reference this scanner leaves to the XML reader.");
        }

        _position += end + 1;
    }

    private static bool TryCodePoint(ReadOnlySpan<byte> digits, out int code)
    {
        code = 0;
        var hex = digits.Length > 0 && digits[0] == (byte)'x';
        if (hex)
        {
            digits = digits[1..];
        }

        if (digits.Length is 0 or > 7)
        {
            return false;
        }

        foreach (var d in digits)
        {
            int value = d switch
            {
                >= (byte)'0' and <= (byte)'9' => d - '0',
                >= (byte)'a' and <= (byte)'f' when hex => d - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' when hex => d - 'A' + 10,
                _ => -1,
            };
            if (value < 0)
            {
                return false;
            }

            code = (code * (hex ? 16 : 10)) + value;
        }

        return true;
    }

    private static bool IsXmlChar(int code) =>
        code is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadStartTag()
    {
        if (_rootClosed)
        {
            throw new NotPlainException("A second root element.");
        }

        var tag = Tag();
        var span = _buffer.AsSpan(_position + 1, tag - 1);
        var nameLength = NameLength(span);
        var name = span[..nameLength];
        var rest = span[nameLength..];
        _isEmpty = rest.Length > 0 && rest[^1] == (byte)'/';
        if (_isEmpty)
        {
            rest = rest[..^1];
        }

        if (_attributePrefixes.Count > 0)
        {
            _attributePrefixes.Clear();
        }

        ReadAttributes(rest);
        var colon = name.IndexOf((byte)':');
        var prefix = colon < 0 ? [] : name[..colon];
        if (prefix.Length > 0)
        {
            RequireDeclared(prefix);
        }

        foreach (var attributePrefix in _attributePrefixes)
        {
            RequireDeclared(attributePrefix);
        }
        var local = colon < 0 ? name : name[(colon + 1)..];
        if (!_rootSeen)
        {
            _rootSeen = true;
            if (_mainPrefix is null || !prefix.SequenceEqual(_mainPrefix))
            {
                throw new NotPlainException("The root element does not declare the SpreadsheetML namespace for its own name.");
            }
        }

        _isMain = _mainPrefix is not null && prefix.SequenceEqual(_mainPrefix);
        _localName = local.Length switch
        {
            1 when local[0] == (byte)'c' => LocalName.C,
            1 when local[0] == (byte)'v' => LocalName.V,
            1 when local[0] == (byte)'t' => LocalName.T,
            1 when local[0] == (byte)'r' => LocalName.R,
            2 when local.SequenceEqual("is"u8) => LocalName.Is,
            3 when local.SequenceEqual("row"u8) => LocalName.Row,
            _ => LocalName.Other,
        };
        _token = Token.Start;
        _tokenDepth = _depth;
        if (_isEmpty)
        {
            Undeclare();
            if (_depth == 0)
            {
                _rootClosed = true;
            }
        }
        else
        {
            Push(name);
        }

        _position += tag + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadEndTag()
    {
        // The common case: "</" + the open element's name + ">".
        if (_depth > 0)
        {
            var open = _depth == 1 ? 0 : _nameEnds[_depth - 2];
            var expected = _names.AsSpan(open, _nameEnds[_depth - 1] - open);
            if (Ensure(expected.Length + 3)
                && _buffer[_position + 2 + expected.Length] == (byte)'>'
                && _buffer.AsSpan(_position + 2, expected.Length).SequenceEqual(expected))
            {
                _position += expected.Length + 3;
                Close();
                return;
            }
        }

        var tag = Tag();
        var span = _buffer.AsSpan(_position + 2, tag - 2);
        var nameLength = NameLength(span);
        var name = span[..nameLength];
        if (span[nameLength..].TrimStart(" \t\n\r"u8).Length != 0 || _depth == 0)
        {
            throw new NotPlainException("A malformed end tag.");
        }

        var start = _depth == 1 ? 0 : _nameEnds[_depth - 2];
        if (!name.SequenceEqual(_names.AsSpan(start, _nameEnds[_depth - 1] - start)))
        {
            throw new NotPlainException("An end tag that does not match its start tag.");
        }

        _position += tag + 1;
        Close();
    }

    private void Close()
    {
        _depth--;
        Undeclare();
        _rootClosed = _depth == 0;
        _token = Token.End;
        _tokenDepth = _depth;
    }

    private void Push(ReadOnlySpan<byte> name)
    {
        var start = _depth == 0 ? 0 : _nameEnds[_depth - 1];
        if (start + name.Length > _names.Length)
        {
            Array.Resize(ref _names, Math.Max(_names.Length * 2, start + name.Length));
        }

        if (_depth == _nameEnds.Length)
        {
            Array.Resize(ref _nameEnds, _nameEnds.Length * 2);
        }

        name.CopyTo(_names.AsSpan(start));
        _nameEnds[_depth++] = start + name.Length;
    }

    /// <summary>The offset from the position of the '&gt;' that ends the tag starting there (reading more as needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Tag()
    {
        var searched = 1;
        while (true)
        {
            var at = _buffer.AsSpan(_position + searched, _length - _position - searched).IndexOf((byte)'>');
            if (at >= 0)
            {
                return searched + at;
            }

            searched = _length - _position;
            if (searched > MaxTag || !Ensure(searched + 1))
            {
                throw new NotPlainException("A tag that does not end.");
            }
        }
    }

    /// <summary>The length of the XML name at the start of <paramref name="span"/> (ASCII names with at most one colon).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int NameLength(ReadOnlySpan<byte> span)
    {
        var length = 0;
        var colons = 0;
        foreach (var b in span)
        {
            var ok = b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_'
                     || (length > 0 && b is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.');
            if (b == (byte)':' && length > 0)
            {
                colons++;
                ok = true;
            }

            if (!ok)
            {
                break;
            }

            length++;
        }

        if (length == 0 || colons > 1 || span[length - 1] == (byte)':')
        {
            throw new NotPlainException("A name this scanner leaves to the XML reader.");
        }

        return length;
    }

    private readonly Range[] _seen = new Range[16];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadAttributes(ReadOnlySpan<byte> span)
    {
        _r.Clear();
        _t.Clear();
        _s.Clear();
        var seen = _seen;
        var count = 0;
        var offset = 0;
        while (true)
        {
            var trimmed = span[offset..].TrimStart(" \t\n\r"u8);
            var gap = span.Length - offset - trimmed.Length;
            if (trimmed.Length == 0)
            {
                return;
            }

            if (gap == 0)
            {
                throw new NotPlainException("Attributes not separated by white space.");
            }

            offset += gap;
            var nameLength = NameLength(trimmed);
            var name = trimmed[..nameLength];
            var afterName = trimmed[nameLength..].TrimStart(" \t\n\r"u8);
            if (afterName.Length == 0 || afterName[0] != (byte)'=')
            {
                throw new NotPlainException("An attribute without a value.");
            }

            var afterEquals = afterName[1..].TrimStart(" \t\n\r"u8);
            if (afterEquals.Length == 0 || afterEquals[0] is not ((byte)'"' or (byte)'\''))
            {
                throw new NotPlainException("An unquoted attribute value.");
            }

            var close = afterEquals[1..].IndexOf(afterEquals[0]);
            if (close < 0)
            {
                throw new NotPlainException("An unterminated attribute value.");
            }

            var value = afterEquals.Slice(1, close);
            if (value.IndexOfAny(AttributeStops) >= 0 || !Ascii.IsValid(value))
            {
                throw new NotPlainException("An attribute value this scanner leaves to the XML reader.");
            }

            var nameStart = offset;
            for (var i = 0; i < count; i++)
            {
                if (span[seen[i]].SequenceEqual(name))
                {
                    throw new NotPlainException("A repeated attribute.");
                }
            }

            if (count == seen.Length)
            {
                throw new NotPlainException("Too many attributes.");
            }

            seen[count++] = new Range(nameStart, nameStart + nameLength);
            OnAttribute(name, value);
            offset = span.Length - afterEquals.Length + close + 2;
        }
    }

    /// <summary>Bytes an attribute value may not hold here: markup, references, white space the XML reader would normalise, control characters.</summary>
    private static readonly SearchValues<byte> AttributeStops = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'<', (byte)'&']);

    /// <summary>Prefixes declared on open elements, with the depth of the element that declared them.</summary>
    private readonly List<(byte[] Prefix, int Depth)> _declared = [];
    private readonly List<byte[]> _attributePrefixes = [];

    private void Declare(ReadOnlySpan<byte> prefix) => _declared.Add((prefix.ToArray(), _depth));

    /// <summary>A prefix must be declared (on this element or an open ancestor), as the XML reader requires; "xml" always is.</summary>
    private void RequireDeclared(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length == 0 || prefix.SequenceEqual("xml"u8) || (_mainPrefix is not null && prefix.SequenceEqual(_mainPrefix)))
        {
            return;
        }

        foreach (var (declared, _) in _declared)
        {
            if (prefix.SequenceEqual(declared))
            {
                return;
            }
        }

        throw new NotPlainException("An undeclared prefix.");
    }

    /// <summary>Declarations made by elements that are closed now go out of scope.</summary>
    private void Undeclare()
    {
        for (var i = _declared.Count - 1; i >= 0 && _declared[i].Depth >= _depth; i--)
        {
            _declared.RemoveAt(i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnAttribute(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (name.Length == 1)
        {
            switch (name[0])
            {
                case (byte)'r':
                    _r.Set(value);
                    return;
                case (byte)'t':
                    _t.Set(value);
                    return;
                case (byte)'s':
                    _s.Set(value);
                    return;
            }
        }

        if (name.SequenceEqual("xmlns"u8) || name.StartsWith("xmlns:"u8))
        {
            var prefix = name.Length == 5 ? [] : name[6..];
            var main = value.SequenceEqual(MainNamespace);
            if (!_rootSeen && main && _mainPrefix is null)
            {
                _mainPrefix = prefix.ToArray();
                return;
            }

            // Any other declaration of the main namespace, or of the prefix that stands for it, changes what names mean.
            if (main || (_mainPrefix is not null && prefix.SequenceEqual(_mainPrefix)) || value.Length == 0)
            {
                throw new NotPlainException("A namespace declaration this scanner leaves to the XML reader.");
            }

            if (prefix.Length > 0)
            {
                Declare(prefix);
            }

            return;
        }

        var colon = name.IndexOf((byte)':');
        if (colon >= 0)
        {
            _attributePrefixes.Add(name[..colon].ToArray());
        }
    }

    private void SkipProcessingInstruction()
    {
        var tag = Tag();
        if (_buffer[_position + tag - 1] != (byte)'?')
        {
            // "?>" may come later: a '>' inside the instruction.
            throw new NotPlainException("A processing instruction with '>' inside.");
        }

        var body = _buffer.AsSpan(_position + 2, tag - 3);
        var target = body[..NameLength(body)];
        if (target.Length == 3 && Ascii.EqualsIgnoreCase(target, "xml"u8))
        {
            // The XML declaration: only at the very start of the part, and only UTF-8.
            var atStart = _position == 0 || (_position == 3 && _buffer[0] == 0xEF);
            var encoding = body.IndexOf("encoding"u8);
            if (!atStart || !target.SequenceEqual("xml"u8) || _rootSeen
                || (encoding >= 0 && body[encoding..].IndexOf("utf-8"u8) < 0 && body[encoding..].IndexOf("UTF-8"u8) < 0 && body[encoding..].IndexOf("Utf-8"u8) < 0))
            {
                throw new NotPlainException("An XML declaration this scanner leaves to the XML reader.");
            }
        }

        _position += tag + 1;
    }

    private void SkipComment()
    {
        if (!Ensure(4) || !_buffer.AsSpan(_position, 4).SequenceEqual("<!--"u8))
        {
            // CDATA sections and document type declarations.
            throw new NotPlainException("Markup this scanner leaves to the XML reader.");
        }

        var searched = 4;
        while (true)
        {
            var at = _buffer.AsSpan(_position + searched, _length - _position - searched).IndexOf("--"u8);
            if (at >= 0)
            {
                var end = _position + searched + at;
                if (!Ensure(end - _position + 3))
                {
                    throw new NotPlainException("An unterminated comment.");
                }

                end = _position + searched + at;
                if (_buffer[end + 2] != (byte)'>')
                {
                    throw new NotPlainException("'--' inside a comment.");
                }

                var body = _buffer.AsSpan(_position + 4, end - _position - 4);
                if (body.IndexOfAny(CommentStops) >= 0 || !Utf8.IsValid(body))
                {
                    throw new NotPlainException("A character this scanner leaves to the XML reader.");
                }

                _position = end + 3;
                return;
            }

            searched = Math.Max(4, _length - _position - 1);
            if (searched > MaxTag || !Ensure(searched + 2))
            {
                throw new NotPlainException("An unterminated comment.");
            }
        }
    }

    private static readonly SearchValues<byte> CommentStops = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(b => b is not ('\t' or '\n')).Select(b => (byte)b)]);

    /// <summary>Makes at least <paramref name="count"/> bytes available from the position (moving and growing the buffer); false when the part ends first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Ensure(int count)
    {
        while (_length - _position < count)
        {
            if (_endOfStream)
            {
                return false;
            }

            if (_position > 0)
            {
                // Keep "]]" before a '>' visible to ClosesCdata.
                var keep = Math.Min(_position, 2);
                Buffer.BlockCopy(_buffer, _position - keep, _buffer, 0, _length - _position + keep);
                _length -= _position - keep;
                _position = keep;
            }

            if (_length + count > _buffer.Length || _length == _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
            }

            var read = _stream.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                _endOfStream = true;
            }

            _length += read;
        }

        return true;
    }

    /// <summary>An attribute value (ASCII or UTF-8) as characters.</summary>
    internal sealed class Attribute
    {
        private char[] _chars = new char[16];

        public bool Present { get; private set; }

        public int Length { get; private set; }

        public ReadOnlySpan<char> Value => _chars.AsSpan(0, Length);

        public void Clear() => Present = false;

        public void Set(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length > _chars.Length)
            {
                _chars = new char[utf8.Length];
            }

            Length = Encoding.UTF8.GetChars(utf8, _chars);
            Present = true;
        }
    }
}

/// <summary>A row as the scanner read it: the row's r attribute and, per cell element, its r, t and s attributes, first value and first inline string.</summary>
internal sealed class ScannedRow
{
    private char[] _chars = new char[4096];
    private int _used;
    private Cell[] _cells = new Cell[32];

    public int CellCount { get; private set; }

    public bool HasReference { get; private set; }

    public ReadOnlySpan<char> Reference => Slice(_reference);

    private Piece _reference;

    public void Clear()
    {
        _used = 0;
        CellCount = 0;
        HasReference = false;
    }

    public void SetReference(SheetXmlScanner.Attribute r)
    {
        HasReference = r.Present;
        _reference = r.Present ? Store(r.Value) : default;
    }

    public int AddCell(SheetXmlScanner.Attribute r, SheetXmlScanner.Attribute t, SheetXmlScanner.Attribute s)
    {
        if (CellCount == _cells.Length)
        {
            Array.Resize(ref _cells, _cells.Length * 2);
        }

        _cells[CellCount] = new Cell(
            r.Present ? Store(r.Value) : Piece.Missing,
            t.Present ? Store(t.Value) : Piece.Missing,
            s.Present ? Store(s.Value) : Piece.Missing,
            Piece.Missing,
            Piece.Missing);
        return CellCount++;
    }

    public void SetValue(int cell, ReadOnlySpan<char> text) => _cells[cell] = _cells[cell] with { Value = Store(text) };

    /// <summary>The value of <paramref name="cell"/> from ASCII bytes.</summary>
    public void SetValue(int cell, ReadOnlySpan<byte> ascii) => _cells[cell] = _cells[cell] with { Value = Store(ascii) };

    /// <summary>The inline string of <paramref name="cell"/> from ASCII bytes.</summary>
    public void SetInline(int cell, ReadOnlySpan<byte> ascii) => _cells[cell] = _cells[cell] with { Inline = Store(ascii) };

    public void SetInline(int cell, ReadOnlySpan<char> text) => _cells[cell] = _cells[cell] with { Inline = Store(text) };

    public ScannedCell this[int index]
    {
        get
        {
            var c = _cells[index];
            return new ScannedCell(this, c);
        }
    }

    internal ReadOnlySpan<char> Slice(Piece piece) => piece.Start < 0 ? [] : _chars.AsSpan(piece.Start, piece.Length);

    private Piece Store(ReadOnlySpan<byte> ascii)
    {
        if (_used + ascii.Length > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + ascii.Length));
        }

        Ascii.ToUtf16(ascii, _chars.AsSpan(_used), out var written);
        var piece = new Piece(_used, written);
        _used += written;
        return piece;
    }

    private Piece Store(ReadOnlySpan<char> text)
    {
        if (_used + text.Length > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + text.Length));
        }

        text.CopyTo(_chars.AsSpan(_used));
        var piece = new Piece(_used, text.Length);
        _used += text.Length;
        return piece;
    }

    internal readonly record struct Piece(int Start, int Length)
    {
        public static readonly Piece Missing = new(-1, 0);

        public bool Present => Start >= 0;
    }

    internal readonly record struct Cell(Piece Reference, Piece Type, Piece Style, Piece Value, Piece Inline);
}

/// <summary>One cell of a <see cref="ScannedRow"/>; a missing attribute or element reads as not present.</summary>
internal readonly ref struct ScannedCell
{
    private readonly ScannedRow _row;
    private readonly ScannedRow.Cell _cell;

    internal ScannedCell(ScannedRow row, ScannedRow.Cell cell)
    {
        _row = row;
        _cell = cell;
    }

    public bool HasReference => _cell.Reference.Present;

    public ReadOnlySpan<char> Reference => _row.Slice(_cell.Reference);

    public bool HasType => _cell.Type.Present;

    public ReadOnlySpan<char> Type => _row.Slice(_cell.Type);

    public bool HasStyle => _cell.Style.Present;

    public ReadOnlySpan<char> Style => _row.Slice(_cell.Style);

    public ReadOnlySpan<char> Value => _row.Slice(_cell.Value);

    public bool HasInline => _cell.Inline.Present;

    public ReadOnlySpan<char> Inline => _row.Slice(_cell.Inline);
}
