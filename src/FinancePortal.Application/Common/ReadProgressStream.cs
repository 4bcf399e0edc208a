namespace FinancePortal.Application;

/// <summary>
/// A read-only, seekable pass-through over a file that reports how far reading has got, as a whole percentage of its
/// length (each new percent once, never backwards: an XLSX is read from its directory at the end first). The check
/// reads a stored file once from start to end, so this is the validation's progress for CSV and XLSX alike.
/// </summary>
public sealed class ReadProgressStream(Stream inner, IProgress<int> percent) : Stream
{
    private readonly long _length = inner.Length;
    private int _reported = -1;

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Reported(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Reported(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Reported(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private int Reported(int read)
    {
        var now = _length == 0 ? 100 : (int)Math.Min(100, inner.Position * 100 / _length);
        if (now > _reported)
        {
            _reported = now;
            percent.Report(now);
        }

        return read;
    }
}
