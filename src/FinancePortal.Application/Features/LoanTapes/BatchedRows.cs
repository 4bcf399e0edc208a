using System.Runtime.CompilerServices;
using System.Threading.Channels;
using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>Hands a report straight on (the caller's progress decides where it runs).</summary>
internal sealed class Relay<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>
/// The rows of the batches in the channel, one by one: a row of the current batch is handed over synchronously
/// (no async machinery per row); only the next batch is awaited. Enumerable once.
/// </summary>
internal sealed class BatchedRows(ChannelReader<LoanRecord[]> batches, CancellationToken ct) : IAsyncEnumerable<LoanRecord>, IAsyncEnumerator<LoanRecord>
{
    private LoanRecord[] _batch = [];
    private int _next;
    private bool _enumerated;

    public LoanRecord Current { get; private set; } = null!;

    public IAsyncEnumerator<LoanRecord> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (_enumerated)
        {
            throw new InvalidOperationException("The rows of a commit can be enumerated once.");
        }

        _enumerated = true;
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask<bool> MoveNextAsync()
    {
        if (_next < _batch.Length)
        {
            Current = _batch[_next++];
            return new ValueTask<bool>(true);
        }

        return NextBatchAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async ValueTask<bool> NextBatchAsync()
    {
        while (await batches.WaitToReadAsync(ct))
        {
            if (batches.TryRead(out var batch) && batch.Length > 0)
            {
                _batch = batch;
                _next = 1;
                Current = batch[0];
                return true;
            }
        }

        return false;
    }
}
