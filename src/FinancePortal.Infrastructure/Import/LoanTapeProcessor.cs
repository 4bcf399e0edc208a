using System.Runtime.CompilerServices;
using System.Threading.Channels;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Submissions;
using FinancePortal.Infrastructure.Data.Bulk;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Infrastructure.Import;

/// <summary>
/// Connects the submission service to the edits: <see cref="LoanTapeChecker"/> reads the stored file, findings are
/// streamed to the service, and the rows of a clean file are staged in a compact binary file
/// (<see cref="LoanTapeStaging"/>) during the check. At signing the staged rows (or, when none are staged, the rows of
/// the original file read again) flow through a bounded channel straight into the provider's bulk writer (no rows
/// are collected in memory).
/// </summary>
public sealed class LoanTapeProcessor(LoanTapeChecker checker, LoanTapeStaging staging) : ILoanTapeProcessor
{
    public async Task<LoanTapeSummary> CheckAsync(Stream file, string fileName, string fileSha256, string platformCode, string period, MonthFigures? previous,
        Func<TapeFinding, ValueTask> onFinding, IProgress<long>? rowsProgress, CancellationToken ct)
    {
        await using var staged = staging.BeginWrite(fileSha256, platformCode, period);
        var summary = await checker.CheckAndStageAsync(file, fileName, platformCode, period, previous,
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row) =>
            {
                staged.Add(row);
                return ValueTask.CompletedTask;
            },
            f => onFinding(new TapeFinding(f.Code, f.IsBlocking, f.Row, f.LoanId, f.Column, f.Value, f.Message)),
            rowsProgress, ct);
        if (!summary.HasBlockingErrors)
        {
            await staged.CompleteAsync(summary.ValidRows);
        }

        var blocking = summary.FindingsByCode.Where(kv => EditRules.Get(kv.Key).IsBlocking).Sum(kv => kv.Value);
        var warnings = summary.FindingsByCode.Sum(kv => kv.Value) - blocking;
        return new LoanTapeSummary(summary.RuleSetVersion, summary.RowsRead, summary.ValidRows, blocking, warnings,
            summary.Figures?.LoanCount ?? 0, summary.Figures?.OutstandingBalance ?? 0m, summary.Figures?.DefaultedBalance ?? 0m);
    }

    /// <summary>
    /// Rows per channel item: the reader hands the writer batches, so the channel synchronises once per batch, not per
    /// row, and a writer that caught up resumes on another thread once per batch.
    /// </summary>
    private const int BatchSize = 2048;

    public async Task<long> CommitAsync(IPortalDb db, Stream file, LoanSubmission submission, string platformCode, CancellationToken ct)
    {
        var context = (DbContext)db;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<LoanRecord[]>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        var produce = Task.Run(async () =>
        {
            try
            {
                var batch = new List<LoanRecord>(BatchSize);

                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
                ValueTask Add(LoanTapeRow row)
                {
                    batch.Add(ToRecord(row, submission));
                    if (batch.Count < BatchSize)
                    {
                        return ValueTask.CompletedTask;
                    }

                    var full = batch.ToArray();
                    batch.Clear();
                    return channel.Writer.WriteAsync(full, stop.Token);
                }

                var fromStaging = await staging.TryReadAsync(submission.FileSha256, platformCode, submission.Period, Add, stop.Token);
                if (fromStaging is null)
                {
                    var summary = await checker.ReadValidRowsAsync(file, submission.FileName, platformCode, submission.Period, Add, stop.Token);
                    if (summary.HasBlockingErrors)
                    {
                        throw new InvalidOperationException("The stored file no longer passes the blocking edits; upload it again.");
                    }
                }

                if (batch.Count > 0)
                {
                    await channel.Writer.WriteAsync(batch.ToArray(), stop.Token);
                }

                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, CancellationToken.None);

        try
        {
            var written = await LoanRecordWriters.WriteVersionAsync(context, submission, new BatchedRows(channel.Reader, ct), ct);
            await produce;
            return written;
        }
        catch
        {
            // The writer failed: stop the reader side too, so nothing keeps running after the rollback.
            await stop.CancelAsync();
            await produce;
            throw;
        }
    }

    public void Signed(LoanSubmission submission, string platformCode) => staging.Discard(submission.FileSha256, platformCode, submission.Period);

    /// <summary>
    /// The rows of the batches in the channel, one by one: a row of the current batch is handed over synchronously
    /// (no async machinery per row, compiled fully optimised at once); only the next batch is awaited.
    /// </summary>
    private sealed class BatchedRows(ChannelReader<LoanRecord[]> batches, CancellationToken ct) : IAsyncEnumerable<LoanRecord>, IAsyncEnumerator<LoanRecord>
    {
        private LoanRecord[] _batch = [];
        private int _next;
        private bool _enumerated;

        public LoanRecord Current { get; private set; } = null!;

        public IAsyncEnumerator<LoanRecord> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            // One pass over a channel: a second enumeration would see nothing, so it is refused.
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static LoanRecord ToRecord(LoanTapeRow row, LoanSubmission submission) => new()
    {
        SubmissionId = submission.Id,
        PlatformId = submission.PlatformId,
        Period = submission.Period,
        LoanId = row.LoanId,
        BorrowerRef = row.BorrowerRef,
        ProductType = LoanTapeFormat.ProductTypes.ToCode(row.ProductType),
        Scenario = LoanTapeFormat.Scenarios.ToCode(row.Scenario),
        OriginationDate = row.OriginationDate,
        Principal = row.Principal,
        CreditLimit = row.CreditLimit,
        TermMonths = row.TermMonths,
        AnnualRatePct = row.AnnualRatePct,
        OutstandingPrincipal = row.OutstandingPrincipal,
        DaysPastDue = row.DaysPastDue,
        Status = LoanTapeFormat.Statuses.ToCode(row.Status),
        ChargeOffAmount = row.ChargeOffAmount,
        RecoveryAmount = row.RecoveryAmount,
        FundingSource = LoanTapeFormat.FundingSources.ToCode(row.FundingSource),
    };
}
