namespace FinancePortal.Application;

/// <summary>
/// A read-only, forward-only pass-through that tells <paramref name="onRead"/> how many bytes have been read so far
/// after every read: upload progress in the page, and (through <see cref="FileSizeLimit.Enforce"/>) a size limit that
/// refuses a file while it streams; <paramref name="onEnd"/>, when given, is told the total once the inner stream ends
/// (<see cref="DeclaredLength.Enforce"/>). Does not own the inner stream.
/// </summary>
public sealed class CountingReadStream(Stream inner, Action<long> onRead, Action<long>? onEnd = null) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        onRead(_read);
        if (read == 0)
        {
            onEnd?.Invoke(_read);
        }

        return read;
    }
}

/// <summary>The loan-tape size limit: its wording, and its enforcement on a stream.</summary>
public static class FileSizeLimit
{
    /// <summary>A byte count as people read a file-size limit: "200 MB", or "1 KB" below a megabyte.</summary>
    public static string Size(long bytes) => bytes >= 1024 * 1024
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1024d / 1024d:0.#} MB")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1024d:0.#} KB");

    /// <summary>
    /// <paramref name="inner"/>, failing with a <see cref="ValidationFailedException"/> as soon as more than
    /// <paramref name="limit"/> bytes have come through: an upload over the limit is refused while it streams, whatever
    /// the client claimed, and is never stored whole.
    /// </summary>
    public static Stream Enforce(Stream inner, long limit, string fileName) => new CountingReadStream(inner, read =>
    {
        if (read > limit)
        {
            throw new ValidationFailedException("File", $"\"{fileName}\" is larger than the {Size(limit)} limit for loan tapes.");
        }
    });
}
