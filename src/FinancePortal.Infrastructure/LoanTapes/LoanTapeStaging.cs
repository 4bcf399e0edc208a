using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using FinancePortal.Application.Features.LoanTapes;

namespace FinancePortal.Infrastructure.LoanTapes;

/// <summary>
/// The valid rows of a clean check, kept in a compact binary file so that signing does not parse the original
/// (CSV or XLSX) again. A staged file is named after what decides its content: the stored file's SHA-256, the
/// platform, the period and the rule-set version; it holds them in its header as well, ends with the row count and a
/// SHA-256 of everything before it, and is written under a temporary name and moved into place when complete. When
/// it is missing (another instance, a cleaned temporary folder, rules changed), signing reads the original instead.
/// Files older than <see cref="MaxAge"/> are removed at the next check.
/// </summary>
public sealed class LoanTapeStaging(string directory) : ILoanTapeStaging
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);
    private static readonly byte[] Magic = "FPLTROW1"u8.ToArray();
    private const int HashLength = 32;

    public string Directory { get; } = directory;

    /// <summary>The default folder: financeportal-staged-rows in the system's temporary folder.</summary>
    public static string DefaultDirectory => Path.Combine(Path.GetTempPath(), "financeportal-staged-rows");

    public IStagedRowsWriter BeginWrite(string fileSha256, string platformCode, string period)
    {
        System.IO.Directory.CreateDirectory(Directory);
        Prune();
        return new Writer(PathOf(fileSha256, platformCode, period), new Header(EditRules.RuleSetVersion, fileSha256, platformCode, period));
    }

    /// <summary>
    /// The staged rows of the file, or null when none are staged. Enumerating throws <see cref="InvalidDataException"/>
    /// when the staged file turns out damaged (after deleting it); the rows already handed out must then be discarded.
    /// </summary>
    public IAsyncEnumerable<LoanTapeRow>? TryRead(string fileSha256, string platformCode, string period)
    {
        var path = PathOf(fileSha256, platformCode, period);
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
            return ReadAsync(file, path, new Header(EditRules.RuleSetVersion, fileSha256, platformCode, period));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static async IAsyncEnumerable<LoanTapeRow> ReadAsync(FileStream file, string path, Header expected, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var owned = file;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var reader = new BinaryReader(new BufferedStream(new HashingReadStream(file, hash, file.Length - HashLength), 1 << 16), Encoding.UTF8);
        long count = 0;
        var headerRead = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            LoanTapeRow? row;
            try
            {
                if (!headerRead && (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || Header.Read(reader) != expected))
                {
                    throw new InvalidDataException("The staged rows belong to another file.");
                }

                headerRead = true;
                row = reader.ReadBoolean() ? ReadRow(reader, expected.PlatformCode, expected.Period) : null;
                if (row is null)
                {
                    var stated = reader.ReadInt64();
                    var stored = new byte[HashLength];
                    file.Position = file.Length - HashLength;
                    file.ReadExactly(stored);
                    if (stated != count || !CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), stored))
                    {
                        throw new InvalidDataException("The staged rows are damaged.");
                    }
                }
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
            {
                TryDelete(path);
                throw new InvalidDataException("The rows staged at the check are damaged and were removed; sign again to read the original file.", e);
            }

            if (row is null)
            {
                yield break;
            }

            count++;
            yield return row;
        }
    }

    /// <summary>One staged row; anything that cannot be a row (a flipped bit in a code, a date, a scale) is damage.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static LoanTapeRow ReadRow(BinaryReader reader, string platformCode, string period)
    {
        try
        {
            var row = SpoolCodec.ReadRow(reader, platformCode, period);
            if (!Enum.IsDefined(row.ProductType) || !Enum.IsDefined(row.Scenario) || !Enum.IsDefined(row.Status) || !Enum.IsDefined(row.FundingSource))
            {
                throw new InvalidDataException("A staged row holds an unknown code.");
            }

            return row;
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw new InvalidDataException("A staged row cannot be read.", e);
        }
    }

    public void Discard(string fileSha256, string platformCode, string period) => TryDelete(PathOf(fileSha256, platformCode, period));

    /// <summary>Where the staged rows of a file are (or would be) kept.</summary>
    public string PathOf(string fileSha256, string platformCode, string period)
    {
        // Only [0-9A-Za-z-] reach the name: the hash is hex, codes and periods are checked elsewhere but sanitised here too.
        static string Safe(string text) => new([.. text.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-')]);
        return Path.Combine(Directory, $"{Safe(fileSha256)}-{Safe(platformCode)}-{Safe(period)}-{Safe(EditRules.RuleSetVersion.Replace('.', '-'))}.rows");
    }

    private void Prune()
    {
        try
        {
            foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*"))
            {
                if (file.LastWriteTimeUtc < DateTime.UtcNow - MaxAge)
                {
                    TryDelete(file.FullName);
                }
            }
        }
        catch (IOException)
        {
            // Pruning is housekeeping: it never fails a check.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal sealed record Header(string RuleSetVersion, string FileSha256, string PlatformCode, string Period)
    {
        public void Write(BinaryWriter writer)
        {
            writer.Write(RuleSetVersion);
            writer.Write(FileSha256);
            writer.Write(PlatformCode);
            writer.Write(Period);
        }

        public static Header Read(BinaryReader reader) => new(reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString());
    }

    /// <summary>
    /// Writes staged rows on a background task (encoding, hashing and writing cost ~20 % of a check; the check's own
    /// thread only hands over batches of rows); <see cref="CompleteAsync"/> moves the file into place,
    /// <see cref="DisposeAsync"/> without it throws the partial file away. A write error (disk full) does not fail the
    /// check: the rows are then simply not staged.
    /// </summary>
    public sealed class Writer : IStagedRowsWriter
    {
        /// <summary>
        /// Rows per hand-over. Large, because the writer is faster than the check and waits for every batch: each wait
        /// spins a little before it blocks, which on a two-core machine takes time from the check itself.
        /// </summary>
        private const int BatchSize = 4096;

        private readonly string _path;
        private readonly string _temp;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly BlockingCollection<LoanTapeRow[]> _batches = new(boundedCapacity: 8);
        private readonly Task _worker;
        private FileStream? _file;
        private BinaryWriter? _writer;
        private LoanTapeRow[] _batch = new LoanTapeRow[BatchSize];
        private int _pending;
        private long _count;
        private Exception? _error;

        internal Writer(string path, Header header)
        {
            _path = path;
            _temp = $"{path}.{Guid.NewGuid():N}.part";
            try
            {
                _file = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
                _writer = new BinaryWriter(new BufferedStream(new HashingWriteStream(_file, _hash), 1 << 16), Encoding.UTF8);
                _writer.Write(Magic);
                header.Write(_writer);
            }
            catch (IOException)
            {
                Fail();
            }

            // Its own thread: the check's thread may wait for it, so it must not wait for a pool thread itself.
            _worker = Task.Factory.StartNew(WriteBatches, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        /// <summary>Hands a row to the background writer (blocks only while eight batches wait to be written).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(LoanTapeRow row)
        {
            _batch[_pending++] = row;
            if (_pending == BatchSize)
            {
                _batches.Add(_batch);
                _batch = new LoanTapeRow[BatchSize];
                _pending = 0;
            }
        }

        /// <summary>Finishes the file when it holds exactly <paramref name="validRows"/> rows; otherwise throws it away.</summary>
        public async Task CompleteAsync(long validRows)
        {
            await FinishWritingAsync();
            if (_writer is null || _count != validRows)
            {
                Fail();
                return;
            }

            try
            {
                _writer.Write(false);
                _writer.Write(_count);
                _writer.Flush();
                _file!.Write(_hash.GetHashAndReset());
                _file.Flush(flushToDisk: true);
                _writer.Dispose();
                _file.Dispose();
                _writer = null;
                _file = null;
                File.Move(_temp, _path, overwrite: true);
            }
            catch (IOException)
            {
                Fail();
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await FinishWritingAsync();
            }
            catch (InvalidOperationException)
            {
                // Disposing without completing throws the staged rows away anyway; a failure of the writer adds nothing.
            }

            Fail();
            _hash.Dispose();
            _batches.Dispose();
        }

        /// <summary>Hands over the last rows, waits for the background writer, and raises what it failed with (other than I/O errors).</summary>
        private async Task FinishWritingAsync()
        {
            if (!_batches.IsAddingCompleted)
            {
                if (_pending > 0)
                {
                    _batches.Add(_batch[.._pending]);
                    _pending = 0;
                }

                _batches.CompleteAdding();
            }

            await _worker;
            if (_error is { } error)
            {
                _error = null;
                throw new InvalidOperationException("Staging the checked rows failed.", error);
            }
        }

        /// <summary>
        /// The background writer. It always drains the queue (after a failure too), so that <see cref="Add"/> never
        /// waits for a writer that has stopped.
        /// </summary>
        private void WriteBatches()
        {
            foreach (var batch in _batches.GetConsumingEnumerable())
            {
                if (_writer is null)
                {
                    continue;
                }

                try
                {
                    foreach (var row in batch)
                    {
                        _writer.Write(true);
                        SpoolCodec.WriteRow(_writer, row);
                    }

                    _count += batch.Length;
                }
                catch (Exception e)
                {
                    _error = e is IOException ? null : e;
                    Fail();
                }
            }
        }

        private void Fail()
        {
            try
            {
                _writer?.Dispose();
            }
            catch (IOException)
            {
            }

            _file?.Dispose();
            _writer = null;
            _file = null;
            TryDelete(_temp);
        }
    }

    /// <summary>Hashes what passes through to the file.</summary>
    private sealed class HashingWriteStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Hashes what is read from the file up to <paramref name="limit"/> (the stored hash after it is not hashed).</summary>
    private sealed class HashingReadStream(Stream inner, IncrementalHash hash, long limit) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // Never hand out the stored hash: the reader must meet the end marker before it.
            var wanted = (int)Math.Min(buffer.Length, Math.Max(0, limit - _position));
            if (wanted == 0)
            {
                return 0;
            }

            var read = inner.Read(buffer[..wanted]);
            hash.AppendData(buffer[..read]);
            _position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
