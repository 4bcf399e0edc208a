using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using System.Xml;

namespace FinancePortal.Infrastructure.LoanTapes;

/// <summary>
/// Reads the rows and cells of a worksheet part straight from its bytes, as a conforming XML reader would see them (no
/// node objects, no name table). It checks what it passes over: tags nest, names and attributes are well formed,
/// prefixes are declared, text is valid UTF-8 without characters XML forbids, references are known. Namespaces are
/// resolved with their scope, CDATA, references and carriage returns are read as XML says, and a part in another
/// encoding is transcoded to UTF-8 first (<see cref="XmlEncoding"/>). A document type declaration is refused (DTDs are
/// prohibited). Damage throws an <see cref="XmlException"/>.
/// </summary>
internal sealed partial class SheetXmlScanner : IDisposable
{
    private static readonly byte[] MainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"u8.ToArray();

    /// <summary>Bytes that end a run of text: markup, references, carriage returns and the control characters XML forbids.</summary>
    private static readonly SearchValues<byte> TextStops = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(b => b is not ('\t' or '\n')).Select(b => (byte)b), (byte)'<', (byte)'&', (byte)'>']);

    /// <summary>Control characters XML forbids (in CDATA and comments).</summary>
    private static readonly SearchValues<byte> Forbidden = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(b => b is not ('\t' or '\n' or '\r')).Select(b => (byte)b)]);

    private static readonly SearchValues<byte> PlainValue = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"u8);

    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 17];
    private int _position;
    private int _length;
    private bool _endOfStream;
    private bool _atStart = true;

    // The open elements' names, one after another; _nameEnds[d] is where the name at depth d ends.
    private byte[] _names = new byte[256];
    private int[] _nameEnds = new int[16];
    private int _depth;
    private bool _rootClosed;

    // The current token.
    private Token _token;
    private int _tokenDepth;
    private bool _isEmpty;
    private bool _isMain;
    private LocalName _localName;

    // Unprefixed r, t and s attributes of the last start tag, and those of the current row and cell (swapped in).
    private Attribute _r = new(), _t = new(), _s = new();
    private Attribute _cellR = new(), _cellT = new(), _cellS = new();
    private int _rowDepth = -1;

    // Text captured while _capture is set; the current cell's first value and first inline string.
    private char[] _text = new char[256];
    private int _textLength;
    private bool _capture;
    private char[] _value = new char[64];
    private char[] _inline = new char[64];
    private char[] _runs = new char[64];
    private int _valueLength;
    private int _inlineLength;

    public SheetXmlScanner(Stream utf8Xml) => _stream = utf8Xml;

    private enum Token { None, Start, End, Text }

    /// <summary>The element names the row reader cares about.</summary>
    private enum LocalName { Other, Row, C, V, Is, T, R }

    /// <summary>The r attribute of the current row, then of the current cell.</summary>
    public Attribute Reference => _cellR;

    public Attribute Type => _cellT;

    public Attribute Style => _cellS;

    /// <summary>The current cell's first value and first inline string (empty when it has none).</summary>
    public ReadOnlySpan<char> Value => _value.AsSpan(0, _valueLength);

    public ReadOnlySpan<char> Inline => _inline.AsSpan(0, Math.Max(_inlineLength, 0));

    public void Dispose() => _stream.Dispose();

    /// <summary>Moves to the next row element of the sheet (its r attribute in <see cref="Reference"/>); false at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool NextRow()
    {
        while (NextCell())
        {
        }

        while (Read())
        {
            if (_token == Token.Start && _isMain && _localName == LocalName.Row)
            {
                (_cellR, _r) = (_r, _cellR);
                _rowDepth = _isEmpty ? -1 : _tokenDepth;
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the next cell element of the row (attributes, first value, first inline string); false at the row's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool NextCell()
    {
        var depth = _rowDepth;
        while (depth >= 0 && ((_depth == depth + 1 && TryPlainCellStart()) || Read()))
        {
            if (_token == Token.End && _tokenDepth == depth)
            {
                _rowDepth = -1;
                return false;
            }

            if (_token == Token.Start && _tokenDepth == depth + 1 && _isMain && _localName == LocalName.C)
            {
                (_cellR, _r) = (_r, _cellR);
                (_cellT, _t) = (_t, _cellT);
                (_cellS, _s) = (_s, _cellS);
                _valueLength = 0;
                _inlineLength = -1;
                if (!_isEmpty && !TryPlainCell())
                {
                    ReadCell();
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A cell's start tag in its usual form, matched byte for byte: <c>&lt;c</c>, then only r, t or s attributes with
    /// letters and digits in double quotes, each after one space, then <c>&gt;</c> or <c>/&gt;</c>, SpreadsheetML as the
    /// default namespace. Anything else is read by <see cref="Read"/>; the token is the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryPlainCellStart()
    {
        if (!_defaultIsMain || _length - _position < 64)
        {
            return false;
        }

        var tag = _buffer.AsSpan(_position, 64);
        if (tag[0] != (byte)'<' || tag[1] != (byte)'c')
        {
            return false;
        }

        var at = 2;
        _r.Clear();
        _t.Clear();
        _s.Clear();
        while (tag[at] != (byte)'>' && !(tag[at] == (byte)'/' && tag[at + 1] == (byte)'>'))
        {
            if (tag[at] != (byte)' ' || at + 5 >= tag.Length || tag[at + 2] != (byte)'=' || tag[at + 3] != (byte)'"')
            {
                return false;
            }

            var target = tag[at + 1] switch { (byte)'r' => _r, (byte)'t' => _t, (byte)'s' => _s, _ => null };
            var value = tag[(at + 4)..];
            var end = value.IndexOfAnyExcept(PlainValue);
            if (target is null || target.Present || end < 0 || value[end] != (byte)'"' || at + 4 + end + 2 >= tag.Length)
            {
                return false;
            }

            target.Set(value[..end]);
            at += 4 + end + 1;
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

    /// <summary>
    /// The two shapes nearly every cell has, matched byte for byte after its start tag: <c>&lt;v&gt;text&lt;/v&gt;&lt;/c&gt;</c>
    /// and <c>&lt;is&gt;&lt;t&gt;text&lt;/t&gt;&lt;/is&gt;&lt;/c&gt;</c> (plain ASCII text, all of it in the buffer, SpreadsheetML as
    /// the default namespace). Anything else is read by <see cref="ReadCell"/>; the result is the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryPlainCell()
    {
        if (!_defaultIsMain)
        {
            return false;
        }

        var available = _buffer.AsSpan(_position, _length - _position);
        var inline = available.StartsWith("<is><t>"u8);
        var open = inline ? 7 : available.StartsWith("<v>"u8) ? 3 : 0;
        var close = inline ? "</t></is></c>"u8 : "</v></c>"u8;
        var text = available[open..];
        var end = open > 0 ? text.IndexOf((byte)'<') : -1;
        var content = text[..Math.Max(end, 0)];
        if (end < 0 || content.IndexOfAny(TextStops) >= 0 || !Ascii.IsValid(content) || !text[end..].StartsWith(close))
        {
            return false;
        }

        ref var length = ref inline ? ref _inlineLength : ref _valueLength;
        var buffer = inline ? _inline : _value;
        if (content.Length > buffer.Length)
        {
            buffer = new char[Math.Max(buffer.Length * 2, content.Length)];
            (inline ? ref _inline : ref _value) = buffer;
        }

        length = Ascii.ToUtf16(content, buffer, out var written) is OperationStatus.Done ? written : 0;

        _position += open + end + close.Length;
        Close();
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadCell()
    {
        var depth = _tokenDepth;
        var haveValue = false;
        while (Child(depth))
        {
            if (_isMain && _localName == LocalName.V)
            {
                ReadContent();
                _valueLength = haveValue ? _valueLength : Copy(ref _value, 0);
                haveValue = true;
            }
            else if (_isMain && _localName == LocalName.Is)
            {
                var length = InlineText(_inlineLength < 0);
                _inlineLength = _inlineLength < 0 ? length : _inlineLength;
            }
            else
            {
                Skip();
            }
        }
    }

    /// <summary>Moves to the next child element of the open element at <paramref name="depth"/>; false at its end tag.</summary>
    private bool Child(int depth)
    {
        while (Read() && !(_token == Token.End && _tokenDepth == depth))
        {
            if (_token == Token.Start)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text of the element the scanner is on, into the text buffer (text and CDATA joined); an element inside is damage.</summary>
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
        while (Read() && !(_token == Token.End && _tokenDepth == depth))
        {
            if (_token == Token.Start)
            {
                throw new XmlException("An element inside a value.");
            }
        }

        _capture = false;
    }

    /// <summary>
    /// An inline string (into the inline buffer when <paramref name="keep"/>): its first direct t element, else the first
    /// t element of each rich-text run, joined. Returns its length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int InlineText(bool keep)
    {
        if (_isEmpty)
        {
            return 0;
        }

        var direct = -1;
        var runs = 0;
        var depth = _tokenDepth;
        while (Child(depth))
        {
            if (_isMain && _localName == LocalName.T)
            {
                ReadContent();
                direct = direct < 0 && keep ? Copy(ref _inline, 0) : direct;
            }
            else if (_isMain && _localName == LocalName.R && !_isEmpty)
            {
                var run = _tokenDepth;
                var found = false;
                while (Child(run))
                {
                    if (!found && _isMain && _localName == LocalName.T)
                    {
                        ReadContent();
                        runs = Copy(ref _runs, runs);
                        found = true;
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

        if (direct >= 0 || !keep)
        {
            return Math.Max(direct, 0);
        }

        if (runs > _inline.Length)
        {
            _inline = new char[runs];
        }

        _runs.AsSpan(0, runs).CopyTo(_inline);
        return runs;
    }

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
    private void Skip()
    {
        var depth = _tokenDepth;
        var empty = _isEmpty;
        while (!empty && Read() && !(_token == Token.End && _tokenDepth == depth))
        {
        }
    }

    /// <summary>The next start tag, end tag or text; false at the end of the document.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Read()
    {
        if (_atStart && _position == 0 && Ensure(3) && _buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
        {
            _position = 3;
        }

        while (true)
        {
            if (!Ensure(1))
            {
                if (!_rootClosed)
                {
                    throw new XmlException("The document ends inside an element.");
                }

                _token = Token.None;
                return false;
            }

            if (_buffer[_position] != (byte)'<')
            {
                ReadText();
                _atStart = false;
                if (_token == Token.Text)
                {
                    return true;
                }

                continue;
            }

            if (!Ensure(2))
            {
                throw new XmlException("The document ends inside a tag.");
            }

            var atStart = _atStart;
            _atStart = false;
            switch (_buffer[_position + 1])
            {
                case (byte)'/':
                    ReadEndTag();
                    return true;
                case (byte)'?':
                    SkipProcessingInstruction(atStart);
                    continue;
                case (byte)'!' when Ensure(9) && _buffer.AsSpan(_position, 9).SequenceEqual("<![CDATA["u8):
                    ReadCdata();
                    return true;
                case (byte)'!':
                    SkipComment();
                    continue;
                default:
                    ReadStartTag();
                    return true;
            }
        }
    }

    /// <summary>A run of text up to the next tag: checked, decoded into the text buffer when capturing; only white space outside the root.</summary>
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
                    throw new XmlException("Text outside the root element.");
                }

                var consumed = Decode(run, stop < 0 && !_endOfStream);
                _position += consumed;
                any |= consumed > 0;
                if (consumed < run.Length)
                {
                    // An incomplete UTF-8 sequence at the end of the buffer: read more and decode it whole.
                    if (!Ensure(run.Length - consumed + 4) && _length - _position == run.Length - consumed)
                    {
                        throw new XmlException("Invalid UTF-8.");
                    }

                    continue;
                }
            }

            if (stop < 0)
            {
                continue;
            }

            if (_buffer[_position] == (byte)'<')
            {
                break;
            }

            any = true;
            switch (_buffer[_position])
            {
                case (byte)'&' when !outside:
                    ReadReference();
                    continue;
                case (byte)'>' when !ClosesCdata():
                    Append('>');
                    _position++;
                    continue;
                case (byte)'\r':
                    // Line ends are normalised: "\r\n" and a lone "\r" read as "\n".
                    Append('\n');
                    _position++;
                    if (Ensure(1) && _buffer[_position] == (byte)'\n')
                    {
                        _position++;
                    }

                    continue;
                default:
                    throw new XmlException("A character XML does not allow here.");
            }
        }

        _token = any && !outside ? Token.Text : Token.None;
    }

    /// <summary>"]]>" in text is not allowed in XML.</summary>
    private bool ClosesCdata() => _position >= 2 && _buffer[_position - 1] == (byte)']' && _buffer[_position - 2] == (byte)']';

    /// <summary>A CDATA section: its text as it stands (line ends normalised).</summary>
    private void ReadCdata()
    {
        if (_depth == 0)
        {
            throw new XmlException("CDATA outside the root element.");
        }

        var end = Find("]]>"u8, 9);
        var content = _buffer.AsSpan(_position + 9, end - 9);
        if (content.IndexOfAny(Forbidden) >= 0)
        {
            throw new XmlException("A character XML does not allow.");
        }

        while (true)
        {
            var cr = content.IndexOf((byte)'\r');
            if (Decode(cr < 0 ? content : content[..cr], false) != (cr < 0 ? content.Length : cr))
            {
                throw new XmlException("Invalid UTF-8.");
            }

            if (cr < 0)
            {
                break;
            }

            Append('\n');
            content = content[(cr + (cr + 1 < content.Length && content[cr + 1] == (byte)'\n' ? 2 : 1))..];
        }

        _position += end + 3;
        _token = Token.Text;
        _tokenDepth = _depth;
    }

    /// <summary>Checks (and when capturing, appends) UTF-8 text; returns the bytes consumed (an incomplete sequence at the end is left).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Decode(ReadOnlySpan<byte> bytes, bool mayContinue)
    {
        var ascii = Ascii.IsValid(bytes);
        if (ascii && !_capture)
        {
            return bytes.Length;
        }

        var read = 0;
        while (read < bytes.Length)
        {
            GrowText(bytes.Length - read);
            var status = Utf8.ToUtf16(bytes[read..], _text.AsSpan(_textLength), out var bytesRead, out var written, replaceInvalidSequences: false, isFinalBlock: !mayContinue);
            if (!ascii && _text.AsSpan(_textLength, written).IndexOfAny('\uFFFE', '\uFFFF') >= 0)
            {
                throw new XmlException("A character XML does not allow.");
            }

            _textLength += _capture ? written : 0;
            read += bytesRead;
            switch (status)
            {
                case OperationStatus.Done or OperationStatus.NeedMoreData:
                    return read;
                case OperationStatus.InvalidData:
                    throw new XmlException("Invalid UTF-8.");
            }
        }

        return read;
    }

    private void GrowText(int chars)
    {
        if (_textLength + chars > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + chars));
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

    /// <summary>An entity or character reference in text.</summary>
    private void ReadReference()
    {
        Ensure(12);
        var length = ParseReference(_buffer.AsSpan(_position, Math.Min(_length - _position, 12)), out var code);
        if (_capture)
        {
            GrowText(2);
            _textLength += new Rune(code).EncodeToUtf16(_text.AsSpan(_textLength));
        }

        _position += length;
    }

    /// <summary>
    /// The reference at the start of <paramref name="text"/> ('&amp;' to ';'): one of the five predefined entities or a
    /// character reference to a character XML allows. Returns its length.
    /// </summary>
    private static int ParseReference(ReadOnlySpan<byte> text, out int code)
    {
        var end = text.IndexOf((byte)';');
        var name = end < 2 ? [] : text[1..end];
        code = name switch
        {
            [(byte)'a', (byte)'m', (byte)'p'] => '&',
            [(byte)'l', (byte)'t'] => '<',
            [(byte)'g', (byte)'t'] => '>',
            [(byte)'q', (byte)'u', (byte)'o', (byte)'t'] => '"',
            [(byte)'a', (byte)'p', (byte)'o', (byte)'s'] => '\'',
            [(byte)'#', (byte)'x', .. var hex] when int.TryParse(hex, NumberStyles.AllowHexSpecifier, null, out var n) => n,
            [(byte)'#', .. var digits] when int.TryParse(digits, NumberStyles.None, null, out var n) => n,
            _ => -1,
        };
        if (code is not (0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF)))
        {
            throw new XmlException("An unknown reference or a character XML does not allow.");
        }

        return end + 1;
    }

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

            if (_position > 2)
            {
                // Keep "]]" before a '>' visible to ClosesCdata.
                Buffer.BlockCopy(_buffer, _position - 2, _buffer, 0, _length - _position + 2);
                _length -= _position - 2;
                _position = 2;
            }

            if (_length + count > _buffer.Length || _length == _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
            }

            var read = _stream.Read(_buffer, _length, _buffer.Length - _length);
            _endOfStream = read == 0;
            _length += read;
        }

        return true;
    }

    /// <summary>The offset from the position of <paramref name="end"/>, searched from <paramref name="from"/> (reading more as needed).</summary>
    private int Find(ReadOnlySpan<byte> end, int from)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_position + from, _length - _position - from).IndexOf(end);
            if (at >= 0)
            {
                return from + at;
            }

            from = Math.Max(from, _length - _position - end.Length + 1);
            if (!Ensure(_length - _position + 1))
            {
                throw new XmlException("The document ends inside markup.");
            }
        }
    }

    /// <summary>An attribute value as characters.</summary>
    internal sealed class Attribute
    {
        private char[] _chars = new char[16];

        public bool Present { get; private set; }

        public ReadOnlySpan<char> Value => _chars.AsSpan(0, Length);

        private int Length { get; set; }

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
