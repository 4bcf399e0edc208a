using System.Runtime.CompilerServices;
using System.Text;
using FinancePortal.Application.Features.LoanTapes;
using nietras.SeparatedValues;

namespace FinancePortal.Infrastructure.LoanTapes;

/// <summary>
/// Streams a CSV loan tape with Sep: comma-separated, RFC 4180 quotes (quoted commas, quotes and new lines), strict
/// UTF-8 with or without a byte-order mark. Bytes that are not UTF-8 (GBK, Latin-1, UTF-16...) stop the read with S05.
/// The column count is checked by the validator (S11), not by Sep.
/// </summary>
internal sealed class CsvLoanTapeReader : ILoanTapeReader
{
    // The preamble makes StreamReader skip a UTF-8 BOM; throwOnInvalidBytes makes bad bytes an error, not U+FFFD.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    private const int ReadBufferBytes = 1 << 20;

    private readonly Stream _stream;
    private readonly long _origin;
    private SepReader? _reader;

    private CsvLoanTapeReader(Stream stream)
    {
        _stream = stream;
        _origin = stream.Position;
    }

    public static async ValueTask<CsvLoanTapeReader> OpenAsync(Stream stream, CancellationToken ct)
    {
        var reader = new CsvLoanTapeReader(stream);
        await reader.RewindAsync(ct);
        return reader;
    }

    public async ValueTask RewindAsync(CancellationToken ct)
    {
        _reader?.Dispose();
        _reader = null;
        _stream.Position = _origin;
        // The file is read 1 MB at a time: a stored file's asynchronous read runs on a pool thread and the check
        // continues there, so each read is a hop between threads (with idle workers spinning on a small machine);
        // 64 KB reads made ~2,000 hops per 130 MB tape, 1 MB reads make ~130. Text is still decoded 64 KB at a time,
        // so the rows before a byte that is not UTF-8 are checked as before. The buffer is not disposed: that would
        // close the caller's stream.
        var buffered = new BufferedStream(_stream, ReadBufferBytes);
        var text = new StreamReader(buffered, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        try
        {
            _reader = await Sep.Reader(o => o with
            {
                Sep = new Sep(','),
                HasHeader = false,
                DisableColCountCheck = true,
                Unescape = true,
            }).FromAsync(text, ct);
        }
        catch (Exception e) when (Unreadable(e) is { } rule)
        {
            throw new LoanTapeUnreadableException(rule);
        }
    }

    /// <summary>The next record; synchronous while Sep has the next record buffered (nearly always), awaited otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask<bool> ReadAsync(RawRow row, CancellationToken ct)
    {
        var reader = _reader ?? throw new ObjectDisposedException(nameof(CsvLoanTapeReader));
        ValueTask<bool> next;
        try
        {
            next = reader.MoveNextAsync(ct);
        }
        catch (Exception e) when (Unreadable(e) is { } rule)
        {
            throw new LoanTapeUnreadableException(rule);
        }

        if (!next.IsCompletedSuccessfully)
        {
            return ReadAsync(next, reader, row);
        }

        if (!next.Result)
        {
            return new ValueTask<bool>(false);
        }

        Copy(reader.Current, row);
        return new ValueTask<bool>(true);
    }

    private static async ValueTask<bool> ReadAsync(ValueTask<bool> pending, SepReader reader, RawRow row)
    {
        try
        {
            if (!await pending)
            {
                return false;
            }
        }
        catch (Exception e) when (Unreadable(e) is { } rule)
        {
            throw new LoanTapeUnreadableException(rule);
        }

        Copy(reader.Current, row);
        return true;
    }

    public void Dispose() => _reader?.Dispose();

    /// <summary>Bytes that are not UTF-8; or a record over Sep's 16 M character limit (mostly an unclosed quote).</summary>
    private static EditRule? Unreadable(Exception e) => e switch
    {
        DecoderFallbackException => EditRules.S05,
        NotSupportedException => EditRules.S15,
        _ => null,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Copy(SepReader.Row record, RawRow row)
    {
        row.Clear();
        row.Index = record.RowIndex;
        for (var i = 0; i < record.ColCount; i++)
        {
            row.Add(record[i].Span);
        }
    }
}
