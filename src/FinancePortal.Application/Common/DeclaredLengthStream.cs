namespace FinancePortal.Application;

/// <summary>
/// An upload's announced length, held to account while the content streams: the stream fails with a
/// <see cref="ValidationFailedException"/> as soon as more bytes arrive than were announced, or when it ends with fewer.
/// The services read a whole upload before they store anything, so a refused upload stores nothing. Does not own the
/// inner stream.
/// </summary>
public sealed class DeclaredLengthStream(Stream inner, long declaredLength, Func<long, long, string> message) : Stream
{
    private long _read;

    /// <summary>The announced length.</summary>
    public long DeclaredLength => declaredLength;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => declaredLength;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Check(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Check(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Check(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Check(int read)
    {
        _read += read;
        if (_read > declaredLength || (read == 0 && _read != declaredLength))
        {
            throw new ValidationFailedException("File", message(declaredLength, _read));
        }

        return read;
    }
}
