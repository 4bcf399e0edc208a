using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using System.Xml;

namespace FinancePortal.Infrastructure.LoanTapes;

/// <summary>Tags, attributes, namespaces, comments, processing instructions and the part's encoding.</summary>
internal sealed partial class SheetXmlScanner
{
    private static readonly SearchValues<byte> TagStops = SearchValues.Create(">\"'"u8);

    /// <summary>Bytes that make an attribute value need more than decoding: references, white space to normalise, control characters, '&lt;'.</summary>
    private static readonly SearchValues<byte> AttributeStops = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'<', (byte)'&']);

    /// <summary>Namespace declarations of the open elements (prefix, whether it is SpreadsheetML's, depth); innermost last.</summary>
    private readonly List<(byte[] Prefix, bool Main, int Depth)> _scopes = [];
    private readonly List<byte[]> _attributePrefixes = [];
    private Range[] _seen = new Range[16];
    private byte[] _normalised = new byte[64];
    private bool _defaultIsMain;

    /// <summary>Opens a scanner on the part <paramref name="open"/> returns, transcoded to UTF-8 when it is in another encoding.</summary>
    public static SheetXmlScanner Open(Func<Stream> open)
    {
        var scanner = new SheetXmlScanner(open());
        try
        {
            scanner.Ensure(1024);
            if (XmlEncoding(scanner._buffer.AsSpan(0, scanner._length)) is not { } encoding)
            {
                return scanner;
            }

            scanner.Dispose();
            return new SheetXmlScanner(Encoding.CreateTranscodingStream(open(), encoding, Encoding.UTF8));
        }
        catch
        {
            scanner.Dispose();
            throw;
        }
    }

    /// <summary>The part's encoding from its byte order mark, its first bytes or its declaration, as XML says; null for UTF-8.</summary>
    private static Encoding? XmlEncoding(ReadOnlySpan<byte> head)
    {
        switch (head)
        {
            case [0xFF, 0xFE, 0, 0, ..]:
                return Encoding.UTF32;
            case [0, 0, 0xFE, 0xFF, ..]:
                return new UTF32Encoding(bigEndian: true, byteOrderMark: true);
            case [0xFF, 0xFE, ..] or [(byte)'<', 0, (byte)'?', 0, ..]:
                return Encoding.Unicode;
            case [0xFE, 0xFF, ..] or [0, (byte)'<', 0, (byte)'?', ..]:
                return Encoding.BigEndianUnicode;
        }

        var end = head.IndexOf("?>"u8);
        var at = head.StartsWith("<?xml"u8) && end > 0 ? head[..end].IndexOf("encoding"u8) : -1;
        if (at < 0)
        {
            return null;
        }

        var value = head[(at + 8)..end].Trim(" \t\r\n"u8);
        if (value is not [(byte)'=', ..])
        {
            throw new XmlException("A malformed encoding declaration.");
        }

        value = value[1..].TrimStart(" \t\r\n"u8);
        var close = value.Length > 1 ? value[1..].IndexOf(value[0]) : -1;
        if (close < 0 || value[0] is not ((byte)'"' or (byte)'\''))
        {
            throw new XmlException("A malformed encoding declaration.");
        }

        Encoding encoding;
        try
        {
            encoding = Encoding.GetEncoding(Encoding.ASCII.GetString(value.Slice(1, close)));
        }
        catch (ArgumentException)
        {
            throw new XmlException("An encoding this system does not support.");
        }

        return encoding.CodePage == Encoding.UTF8.CodePage ? null
            : encoding.GetByteCount("<") == 1 ? encoding
            : throw new XmlException("The declared encoding does not match the part's bytes.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadStartTag()
    {
        if (_rootClosed)
        {
            throw new XmlException("A second root element.");
        }

        var tag = TagEnd();
        var span = _buffer.AsSpan(_position + 1, tag - 1);
        var name = span[..NameLength(span)];
        var rest = span[name.Length..];
        _isEmpty = rest is [.., (byte)'/'];
        ReadAttributes(_isEmpty ? rest[..^1] : rest);
        var colon = name.IndexOf((byte)':');
        _isMain = Resolve(colon < 0 ? [] : name[..colon]);
        foreach (var prefix in _attributePrefixes)
        {
            Resolve(prefix);
        }

        var local = name[(colon + 1)..];
        _localName = local switch
        {
            [(byte)'c'] => LocalName.C,
            [(byte)'v'] => LocalName.V,
            [(byte)'t'] => LocalName.T,
            [(byte)'r'] => LocalName.R,
            [(byte)'i', (byte)'s'] => LocalName.Is,
            [(byte)'r', (byte)'o', (byte)'w'] => LocalName.Row,
            _ => LocalName.Other,
        };
        _token = Token.Start;
        _tokenDepth = _depth;
        if (_isEmpty)
        {
            Undeclare();
            _rootClosed = _depth == 0;
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
        if (_depth == 0)
        {
            throw new XmlException("An end tag without a start tag.");
        }

        var start = _depth == 1 ? 0 : _nameEnds[_depth - 2];
        var open = _names.AsSpan(start, _nameEnds[_depth - 1] - start);
        if (Ensure(open.Length + 3) && _buffer[_position + 2 + open.Length] == (byte)'>' && _buffer.AsSpan(_position + 2, open.Length).SequenceEqual(open))
        {
            _position += open.Length + 3;
        }
        else
        {
            var tag = TagEnd();
            var span = _buffer.AsSpan(_position + 2, tag - 2);
            var length = NameLength(span);
            if (!span[..length].SequenceEqual(open) || span[length..].TrimStart(" \t\n\r"u8).Length != 0)
            {
                throw new XmlException("An end tag that does not match its start tag.");
            }

            _position += tag + 1;
        }

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

    /// <summary>The offset from the position of the '&gt;' that ends the tag there (outside quoted values; reading more as needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int TagEnd()
    {
        var from = 1;
        while (true)
        {
            var span = _buffer.AsSpan(_position + from, _length - _position - from);
            var at = span.IndexOfAny(TagStops);
            var close = at < 0 || span[at] == (byte)'>' ? 0 : span[(at + 1)..].IndexOf(span[at]);
            if (at >= 0 && span[at] == (byte)'>')
            {
                return from + at;
            }

            if (at >= 0 && close >= 0)
            {
                from += at + close + 2;
            }
            else if (!Ensure(_length - _position + 1))
            {
                throw new XmlException("A tag that does not end.");
            }
        }
    }

    /// <summary>The length of the XML name at the start of <paramref name="span"/> (at most one colon, not at either end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int NameLength(ReadOnlySpan<byte> span)
    {
        var length = 0;
        var colons = 0;
        foreach (var b in span)
        {
            var ok = b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_' or >= 0x80
                     || (length > 0 && b is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)':');
            if (!ok)
            {
                break;
            }

            colons += b == (byte)':' ? 1 : 0;
            length++;
        }

        if (length == 0 || colons > 1 || span[length - 1] == (byte)':')
        {
            throw new XmlException("A malformed name.");
        }

        return length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadAttributes(ReadOnlySpan<byte> span)
    {
        _r.Clear();
        _t.Clear();
        _s.Clear();
        _attributePrefixes.Clear();
        var count = 0;
        var offset = 0;
        while (true)
        {
            var trimmed = span[offset..].TrimStart(" \t\n\r"u8);
            if (trimmed.Length == 0)
            {
                return;
            }

            if (trimmed.Length == span.Length - offset)
            {
                throw new XmlException("Attributes not separated by white space.");
            }

            offset = span.Length - trimmed.Length;
            var name = trimmed[..NameLength(trimmed)];
            var afterName = trimmed[name.Length..].TrimStart(" \t\n\r"u8);
            var value = afterName is [(byte)'=', ..] ? afterName[1..].TrimStart(" \t\n\r"u8) : [];
            var close = value is [(byte)'"' or (byte)'\'', ..] ? value[1..].IndexOf(value[0]) : -1;
            if (close < 0)
            {
                throw new XmlException("A malformed attribute.");
            }

            for (var i = 0; i < count; i++)
            {
                if (span[_seen[i]].SequenceEqual(name))
                {
                    throw new XmlException("A repeated attribute.");
                }
            }

            if (count == _seen.Length)
            {
                Array.Resize(ref _seen, count * 2);
            }

            _seen[count++] = new Range(offset, offset + name.Length);
            OnAttribute(name, Normalise(value.Slice(1, close)));
            offset = span.Length - value.Length + close + 2;
        }
    }

    /// <summary>An attribute value as XML reads it: references replaced, each white space character (and "\r\n") a space.</summary>
    private ReadOnlySpan<byte> Normalise(ReadOnlySpan<byte> value)
    {
        if (value.IndexOfAny(AttributeStops) < 0)
        {
            return Ascii.IsValid(value) || Utf8.IsValid(value) ? value : throw new XmlException("Invalid UTF-8.");
        }

        if (value.Length > _normalised.Length)
        {
            _normalised = new byte[value.Length];
        }

        var length = 0;
        for (var i = 0; i < value.Length;)
        {
            var b = value[i];
            if (b == (byte)'&')
            {
                i += ParseReference(value[i..], out var code);
                length += new Rune(code).EncodeToUtf8(_normalised.AsSpan(length));
                continue;
            }

            if (b is (byte)'<' or (< 0x20 and not ((byte)'\t' or (byte)'\n' or (byte)'\r')))
            {
                throw new XmlException("A character not allowed in an attribute value.");
            }

            _normalised[length++] = b < 0x20 ? (byte)' ' : b;
            i += b == (byte)'\r' && i + 1 < value.Length && value[i + 1] == (byte)'\n' ? 2 : 1;
        }

        var normalised = _normalised.AsSpan(0, length);
        return Utf8.IsValid(normalised) ? normalised : throw new XmlException("Invalid UTF-8.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnAttribute(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        switch (name)
        {
            case [(byte)'r']:
                _r.Set(value);
                return;
            case [(byte)'t']:
                _t.Set(value);
                return;
            case [(byte)'s']:
                _s.Set(value);
                return;
        }

        if (name.SequenceEqual("xmlns"u8) || name.StartsWith("xmlns:"u8))
        {
            var prefix = name.Length == 5 ? [] : name[6..];
            if (prefix.Length > 0 && value.Length == 0)
            {
                throw new XmlException("A prefix declared with an empty namespace.");
            }

            _scopes.Add((prefix.ToArray(), value.SequenceEqual(MainNamespace), _depth));
            _defaultIsMain = IsMain([]);
        }
        else if (name.IndexOf((byte)':') is > 0 and var colon && !name.StartsWith("xml:"u8))
        {
            _attributePrefixes.Add(name[..colon].ToArray());
        }
    }

    /// <summary>Whether <paramref name="prefix"/> stands for SpreadsheetML; a prefix must be declared on this element or an open ancestor.</summary>
    private bool Resolve(ReadOnlySpan<byte> prefix)
    {
        var scope = Scope(prefix);
        return scope >= 0 ? _scopes[scope].Main
            : prefix.Length == 0 || prefix.SequenceEqual("xml"u8) ? false
            : throw new XmlException("An undeclared prefix.");
    }

    private bool IsMain(ReadOnlySpan<byte> prefix) => Scope(prefix) is >= 0 and var scope && _scopes[scope].Main;

    /// <summary>The innermost declaration of <paramref name="prefix"/> in scope, or -1.</summary>
    private int Scope(ReadOnlySpan<byte> prefix)
    {
        var i = _scopes.Count - 1;
        while (i >= 0 && !_scopes[i].Prefix.AsSpan().SequenceEqual(prefix))
        {
            i--;
        }

        return i;
    }

    /// <summary>Declarations made by elements that are closed now go out of scope.</summary>
    private void Undeclare()
    {
        var count = _scopes.Count;
        while (_scopes.Count > 0 && _scopes[^1].Depth >= _depth)
        {
            _scopes.RemoveAt(_scopes.Count - 1);
        }

        if (count != _scopes.Count)
        {
            _defaultIsMain = IsMain([]);
        }
    }

    /// <summary>A processing instruction (passed over); the XML declaration only at the very start.</summary>
    private void SkipProcessingInstruction(bool atStart)
    {
        var end = Find("?>"u8, 2);
        var body = _buffer.AsSpan(_position + 2, end - 2);
        var target = body[..NameLength(body)];
        if (target.Length == 3 && Ascii.EqualsIgnoreCase(target, "xml"u8) && (!atStart || !target.SequenceEqual("xml"u8)))
        {
            throw new XmlException("An XML declaration that is not at the start.");
        }

        _position += end + 2;
    }

    /// <summary>A comment (passed over, checked); any other markup declaration, a document type declaration first, is refused.</summary>
    private void SkipComment()
    {
        if (!Ensure(4) || !_buffer.AsSpan(_position, 4).SequenceEqual("<!--"u8))
        {
            throw new XmlException("A document type declaration or other markup declaration (DTDs are prohibited).");
        }

        var end = Find("--"u8, 4);
        if (!Ensure(end + 3) || _buffer[_position + end + 2] != (byte)'>')
        {
            throw new XmlException("'--' inside a comment.");
        }

        var body = _buffer.AsSpan(_position + 4, end - 4);
        if (body.IndexOfAny(Forbidden) >= 0 || !Utf8.IsValid(body))
        {
            throw new XmlException("A character XML does not allow.");
        }

        _position += end + 3;
    }
}
