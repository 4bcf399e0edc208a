using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// Exact binary forms of the texts and numbers the spool files hold. Texts keep every UTF-16 code unit (one byte per
/// character when the text is ASCII), decimals keep their scale, so what is read back equals what was written.
/// </summary>
public static class SpoolCodec
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteText(BinaryWriter writer, string text)
    {
        var ascii = Ascii.IsValid(text);
        writer.Write7BitEncodedInt((text.Length << 1) | (ascii ? 0 : 1));
        if (ascii)
        {
            Span<byte> bytes = text.Length <= 256 ? stackalloc byte[text.Length] : new byte[text.Length];
            Ascii.FromUtf16(text, bytes, out _);
            writer.Write(bytes);
        }
        else
        {
            writer.Write(MemoryMarshal.AsBytes(text.AsSpan()));
        }
    }

    public static string ReadText(BinaryReader reader)
    {
        var head = reader.Read7BitEncodedInt();
        var length = head >> 1;
        if (length == 0)
        {
            return "";
        }

        if ((head & 1) == 0)
        {
            Span<byte> bytes = length <= 256 ? stackalloc byte[length] : new byte[length];
            reader.BaseStream.ReadExactly(bytes);
            return string.Create(length, bytes, static (chars, b) => Ascii.ToUtf16(b, chars, out _));
        }

        var text = new string('\0', length);
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(text.AsSpan()), length)));
        return text;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteDecimal(BinaryWriter writer, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        writer.Write((byte)((bits[3] >> 16) & 0xFF | (bits[3] < 0 ? 0x80 : 0)));
        writer.Write7BitEncodedInt(bits[0]);
        writer.Write7BitEncodedInt(bits[1]);
        writer.Write7BitEncodedInt(bits[2]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static decimal ReadDecimal(BinaryReader reader)
    {
        var flags = reader.ReadByte();
        var lo = reader.Read7BitEncodedInt();
        var mid = reader.Read7BitEncodedInt();
        var hi = reader.Read7BitEncodedInt();
        return new decimal(lo, mid, hi, (flags & 0x80) != 0, (byte)(flags & 0x7F));
    }

    /// <summary>A valid loan-tape row without its platform and month (the same for every row of a file).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteRow(BinaryWriter writer, LoanTapeRow row)
    {
        writer.Write7BitEncodedInt(row.RowNumber);
        WriteText(writer, row.LoanId);
        WriteText(writer, row.BorrowerRef);
        writer.Write((byte)row.ProductType);
        writer.Write((byte)row.Scenario);
        writer.Write7BitEncodedInt(row.OriginationDate.DayNumber);
        WriteDecimal(writer, row.Principal);
        WriteDecimal(writer, row.CreditLimit);
        writer.Write7BitEncodedInt(row.TermMonths);
        WriteDecimal(writer, row.AnnualRatePct);
        WriteDecimal(writer, row.OutstandingPrincipal);
        writer.Write7BitEncodedInt(row.DaysPastDue);
        writer.Write((byte)row.Status);
        WriteDecimal(writer, row.ChargeOffAmount);
        WriteDecimal(writer, row.RecoveryAmount);
        writer.Write((byte)row.FundingSource);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static LoanTapeRow ReadRow(BinaryReader reader, string platformCode, string period) => new(
        RowNumber: reader.Read7BitEncodedInt(),
        PlatformCode: platformCode,
        ReportingMonth: period,
        LoanId: ReadText(reader),
        BorrowerRef: ReadText(reader),
        ProductType: (ProductType)reader.ReadByte(),
        Scenario: (LoanScenario)reader.ReadByte(),
        OriginationDate: DateOnly.FromDayNumber(reader.Read7BitEncodedInt()),
        Principal: ReadDecimal(reader),
        CreditLimit: ReadDecimal(reader),
        TermMonths: reader.Read7BitEncodedInt(),
        AnnualRatePct: ReadDecimal(reader),
        OutstandingPrincipal: ReadDecimal(reader),
        DaysPastDue: reader.Read7BitEncodedInt(),
        Status: (LoanStatus)reader.ReadByte(),
        ChargeOffAmount: ReadDecimal(reader),
        RecoveryAmount: ReadDecimal(reader),
        FundingSource: (FundingSource)reader.ReadByte());

    public static void WriteFinding(BinaryWriter writer, Finding finding)
    {
        writer.Write(finding.Code);
        writer.Write7BitEncodedInt(finding.Row ?? -1);
        WriteOptional(writer, finding.LoanId);
        WriteOptional(writer, finding.Column);
        WriteOptional(writer, finding.Value);
        WriteText(writer, finding.Message);
    }

    public static Finding ReadFinding(BinaryReader reader)
    {
        var code = reader.ReadString();
        var row = reader.Read7BitEncodedInt();
        return new Finding(code, row < 0 ? null : row, ReadOptional(reader), ReadOptional(reader), ReadOptional(reader), ReadText(reader));
    }

    private static void WriteOptional(BinaryWriter writer, string? text)
    {
        writer.Write(text is not null);
        if (text is not null)
        {
            WriteText(writer, text);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? ReadText(reader) : null;
}

/// <summary>
/// A sequential temporary file of records (written once, then read once from the start), for what the checker must
/// keep per row until the end of the file: findings held back until the syntax verdict, rows to deliver.
/// </summary>
internal sealed class SequentialSpool : IDisposable
{
    private readonly Stream _file;
    private readonly BufferedStream _buffer;

    public SequentialSpool(ISpillStore spill)
    {
        _file = spill.Create();
        _buffer = new BufferedStream(_file, 1 << 16);
        Writer = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true);
    }

    public BinaryWriter Writer { get; }

    public long Count { get; set; }

    /// <summary>Ends writing and returns a reader from the first record.</summary>
    public BinaryReader Rewind()
    {
        Writer.Flush();
        _buffer.Flush();
        _file.Position = 0;
        return new BinaryReader(new BufferedStream(_file, 1 << 16), Encoding.UTF8, leaveOpen: true);
    }

    public void Dispose()
    {
        Writer.Dispose();
        _buffer.Dispose();
        _file.Dispose();
    }
}

/// <summary>
/// Records spread over <see cref="Count"/> partitions by a hash of their key, kept in one temporary file as chains of
/// chunks (one buffer per partition in memory), so that each partition can be read back alone: duplicate detection
/// then holds one partition's keys at a time instead of every key of the file. A record never spans two chunks.
/// </summary>
internal sealed class PartitionSpool : IDisposable
{
    public const int Count = 64;
    private const int ChunkSize = 16 * 1024;

    private readonly byte[]?[] _buffers = new byte[Count][];
    private readonly int[] _used = new int[Count];
    private readonly List<(long Offset, int Length)>[] _chunks = new List<(long, int)>[Count];
    private readonly ISpillStore _spill;
    private Stream? _file;
    private long _end;

    public PartitionSpool(ISpillStore spill) => _spill = spill;

    /// <summary>The partition of a key: a hash seeded apart from the one <see cref="CompactKeyTable"/> uses inside a partition.</summary>
    public static int PartitionOf(ReadOnlySpan<char> key)
    {
        var hash = new HashCode();
        hash.Add(0x5EED);
        hash.AddBytes(MemoryMarshal.AsBytes(key));
        return (int)((uint)hash.ToHashCode() % Count);
    }

    /// <summary>Space for a record of at most <paramref name="maxLength"/> bytes in the partition; call <see cref="Commit"/> with the bytes used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Span<byte> Reserve(int partition, int maxLength)
    {
        var buffer = _buffers[partition] ??= ArrayPool<byte>.Shared.Rent(ChunkSize);
        if (_used[partition] + maxLength > buffer.Length)
        {
            Flush(partition);
        }

        return buffer.AsSpan(_used[partition], maxLength);
    }

    public void Commit(int partition, int length) => _used[partition] += length;

    /// <summary>The chunks of one partition in the order they were written.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Read(int partition)
    {
        if (_chunks[partition] is { } chunks)
        {
            var chunk = new byte[ChunkSize];
            foreach (var (offset, length) in chunks)
            {
                _file!.Position = offset;
                _file.ReadExactly(chunk, 0, length);
                yield return chunk.AsMemory(0, length);
            }
        }

        if (_buffers[partition] is { } buffer && _used[partition] > 0)
        {
            yield return buffer.AsMemory(0, _used[partition]);
        }
    }

    public void Dispose()
    {
        foreach (var buffer in _buffers)
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        Array.Clear(_buffers);
        _file?.Dispose();
    }

    private void Flush(int partition)
    {
        _file ??= _spill.Create();
        var length = _used[partition];
        _file.Position = _end;
        _file.Write(_buffers[partition].AsSpan(0, length));
        (_chunks[partition] ??= []).Add((_end, length));
        _end += length;
        _used[partition] = 0;
    }
}

/// <summary>
/// Sorted runs in one temporary file (each run written in row order, one after the other), read back merged into one
/// stream in row order: how the per-partition results (duplicates, borrower totals) rejoin the file's row order.
/// </summary>
internal sealed class RunSpool : IDisposable
{
    private readonly Stream _file;
    private readonly List<(long Start, long End)> _runs = [];
    private readonly BufferedStream _buffer;
    private long _runStart;

    public RunSpool(ISpillStore spill)
    {
        _file = spill.Create();
        _buffer = new BufferedStream(_file, 1 << 14);
        Writer = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true);
    }

    public BinaryWriter Writer { get; }

    public long Records { get; private set; }

    /// <summary>Counts a record written to <see cref="Writer"/> (which must start with its row number, 7-bit encoded).</summary>
    public void Added() => Records++;

    public void EndRun()
    {
        Writer.Flush();
        var end = _file.Position;
        if (end > _runStart)
        {
            _runs.Add((_runStart, end));
        }

        _runStart = end;
    }

    /// <summary>The records of all runs in row order; <paramref name="read"/> reads one record after its row number.</summary>
    public IEnumerable<(int Row, T Record)> Merge<T>(Func<BinaryReader, T> read)
    {
        EndRun();
        var cursors = _runs.Select(r => new RunCursor(_file, r.Start, r.End)).ToList();
        try
        {
            var queue = new PriorityQueue<RunCursor, int>();
            foreach (var cursor in cursors)
            {
                if (cursor.TryNext(out var row))
                {
                    queue.Enqueue(cursor, row);
                }
            }

            while (queue.TryDequeue(out var cursor, out var row))
            {
                var record = read(cursor.Reader);
                yield return (row, record);
                if (cursor.TryNext(out var next))
                {
                    queue.Enqueue(cursor, next);
                }
            }
        }
        finally
        {
            foreach (var cursor in cursors)
            {
                cursor.Dispose();
            }
        }
    }

    public void Dispose()
    {
        Writer.Dispose();
        _buffer.Dispose();
        _file.Dispose();
    }

    private sealed class RunCursor : IDisposable
    {
        private readonly Stream _stream;
        private readonly long _length;

        public RunCursor(Stream file, long start, long end)
        {
            _length = end - start;
            _stream = new BufferedStream(new RangeStream(file, start, end), 4096);
            Reader = new BinaryReader(_stream, Encoding.UTF8, leaveOpen: true);
        }

        public BinaryReader Reader { get; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryNext(out int row)
        {
            row = 0;
            if (_stream.Position >= _length)
            {
                return false;
            }

            row = Reader.Read7BitEncodedInt();
            return true;
        }

        public void Dispose()
        {
            Reader.Dispose();
            _stream.Dispose();
        }
    }

    /// <summary>A read-only window of a file (several windows share one stream: each read seeks first).</summary>
    private sealed class RangeStream(Stream file, long start, long end) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => end - start;

        public override long Position { get => _position; set => _position = value; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var wanted = (int)Math.Min(buffer.Length, Length - _position);
            if (wanted <= 0)
            {
                return 0;
            }

            file.Position = start + _position;
            var read = file.Read(buffer[..wanted]);
            _position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
