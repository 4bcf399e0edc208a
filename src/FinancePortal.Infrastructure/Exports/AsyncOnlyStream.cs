namespace FinancePortal.Infrastructure.Exports;

/// <summary>
/// Lets a writer that makes a few small synchronous writes (System.IO.Compression's zip data descriptors and central
/// directory, under SpreadCheetah) write to a stream that only allows asynchronous I/O (the Kestrel response body):
/// synchronous writes are held in a small buffer and go out, in order, with the next asynchronous write or flush.
/// Bulk data arrives through the asynchronous path, so the held bytes stay small (a few bytes per zip entry plus the
/// directory at the end).
/// </summary>
public sealed class AsyncOnlyStream(Stream inner) : Stream
{
    private readonly MemoryStream _held = new();
    private long _position;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _held.Write(buffer);
        _position += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await ReleaseHeldAsync(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
        _position += buffer.Length;
    }

    /// <summary>Synchronous flushes are no-ops: the held bytes go out with the next asynchronous call.</summary>
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await ReleaseHeldAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override ValueTask DisposeAsync()
    {
        _held.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _held.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask ReleaseHeldAsync(CancellationToken ct)
    {
        if (_held.Length > 0)
        {
            await inner.WriteAsync(_held.GetBuffer().AsMemory(0, (int)_held.Length), ct);
            _held.SetLength(0);
        }
    }
}
