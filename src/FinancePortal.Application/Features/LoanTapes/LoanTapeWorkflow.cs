using System.Runtime.CompilerServices;
using System.Threading.Channels;
using FinancePortal.Application.Diagnostics;
using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// The steps of a loan tape behind <see cref="SubmissionService"/>: store the upload, check it (the edits of
/// <see cref="LoanTapeChecker"/>, findings stored in batches, a clean file's rows staged) and, at signing, write the
/// rows (staged, or the original read again) through the provider's bulk writer. Control flows one way: this class
/// calls the checker, the staging and the writer; none of them calls back into the workflow.
/// </summary>
public sealed class LoanTapeWorkflow(
    IPortalDbFactory dbFactory,
    IFileStore files,
    LoanTapeChecker checker,
    ILoanTapeStaging staging,
    ILoanRecordWriter writer,
    IEnumerable<ISubmissionSignedHandler> signedHandlers,
    TimeProvider time,
    PortalMetrics metrics,
    ILogger<SubmissionService> logger)
{
    /// <summary>Rows per channel item at signing: the channel synchronises once per batch, not per row.</summary>
    private const int BatchSize = 2048;

    /// <summary>Stores the file (streamed, cut off at <paramref name="maxBytes"/>) and registers the submission to check.</summary>
    public async Task<LoanSubmission> StoreAsync(IPortalDb db, Platform platform, string period, string name, Stream content, long maxBytes, CancellationToken ct)
    {
        var (sha, size) = await files.SaveAsync(FileSizeLimit.Enforce(content, maxBytes, name), ct);
        if (size == 0)
        {
            throw new ValidationFailedException("File", $"\"{name}\" is empty.");
        }

        var submission = await db.InTransactionAsync(async token =>
        {
            var added = new LoanSubmission
            {
                PlatformId = platform.Id,
                Period = period,
                Status = SubmissionStatus.Checking,
                FileName = name.Length > 255 ? name[^255..] : name,
                FileSizeBytes = size,
                FileSha256 = sha,
                UploadedBy = db.User.UserName,
                UploadedUtc = db.UtcNow,
            };
            db.LoanSubmissions.Add(added);
            await db.SaveChangesAsync(token);
            db.Audit("SubmissionUploaded", nameof(LoanSubmission), added.Id.ToString(), platform.Id,
                $"{platform.Code} {period}: {added.FileName} ({size:#,##0} bytes, sha256 {sha[..12]}…).");
            await db.SaveChangesAsync(token);
            return added;
        }, ct);
        PortalLog.TapeUploaded(logger, submission.Id, platform.Code, period, submission.FileName, size);
        return submission;
    }

    /// <summary>Runs the edits over the stored file, stores the findings and records the outcome; returns the new status.</summary>
    public async Task<SubmissionStatus> CheckAsync(long id, IProgress<LoanTapeProgress>? progress, CancellationToken ct)
    {
        LoanSubmission submission;
        string platformCode;
        MonthFigures? previous;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            submission = await db.LoanSubmissions.Include(s => s.Platform).SingleOrDefaultAsync(s => s.Id == id, ct)
                ?? throw new NotFoundException("Submission not found.");
            if (submission.Status is SubmissionStatus.Signed)
            {
                throw new ValidationFailedException("Status", "A signed submission is not checked again; upload a new file for a new version.");
            }

            platformCode = submission.Platform!.Code;
            previous = await MonthGrid.PreviousMonthAsync(db, submission.PlatformId, submission.Period, ct);
            submission.Status = SubmissionStatus.Checking;
            submission.CheckStartedUtc = db.UtcNow;
            submission.FailureMessage = null;
            await db.SaveChangesAsync(ct);
            await db.SubmissionFindings.Where(f => f.SubmissionId == id).ExecuteDeleteAsync(ct);
        }

        var started = time.GetTimestamp();
        var format = Path.GetExtension(submission.FileName).TrimStart('.').ToLowerInvariant();
        LoanTapeSummary summary;
        try
        {
            await using var findings = new FindingWriter(dbFactory, submission);
            await using var stored = files.OpenRead(submission.FileSha256);
            var (percent, rows) = (0d, 0L);
            await using var file = progress is null ? stored
                : new ReadProgressStream(stored, new Relay<int>(p => progress.Report(new(LoanTapeStage.Checking, percent = p, rows))));
            var rowsProgress = progress is null ? null : new Relay<long>(n => progress.Report(new(LoanTapeStage.Checking, percent, rows = n)));
            await using var staged = staging.BeginWrite(submission.FileSha256, platformCode, submission.Period);
            summary = await checker.CheckAndStageAsync(file, submission.FileName, platformCode, submission.Period, previous,
                [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row) =>
                {
                    staged.Add(row);
                    return ValueTask.CompletedTask;
                },
                findings.AddAsync, rowsProgress, ct);
            if (!summary.HasBlockingErrors)
            {
                await staged.CompleteAsync(summary.ValidRows);
            }
        }
        catch (Exception ex)
        {
            metrics.TapeChecked(platformCode, format, "failed", 0, time.GetElapsedTime(started));
            PortalLog.TapeCheckFailed(logger, ex, id, platformCode);

            // Nothing of the file reaches the loan rows before signing; the submission just records why the check stopped.
            await using var db = await dbFactory.CreateAsync(CancellationToken.None);
            var failed = await db.LoanSubmissions.SingleAsync(s => s.Id == id, CancellationToken.None);
            failed.Status = SubmissionStatus.Failed;
            failed.FailureMessage = ex is OperationCanceledException ? "The check was cancelled." : $"The check stopped: {ex.Message}";
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }

        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var s = await db.LoanSubmissions.SingleAsync(s => s.Id == id, ct);
            s.RuleSetVersion = summary.RuleSetVersion;
            s.RowsRead = summary.RowsRead;
            s.ValidRows = summary.ValidRows;
            s.BlockingFindings = summary.BlockingFindings;
            s.WarningFindings = summary.WarningFindings;
            s.LoanCount = summary.Figures?.LoanCount ?? 0;
            s.OutstandingBalance = summary.Figures?.OutstandingBalance ?? 0m;
            s.DefaultedBalance = summary.Figures?.DefaultedBalance ?? 0m;
            s.CheckedUtc = db.UtcNow;
            s.Status = summary.HasBlockingErrors ? SubmissionStatus.ErrorsToFix
                : summary.HasWarnings ? SubmissionStatus.WarningsToConfirm
                : SubmissionStatus.ReadyToSign;
            db.Audit("SubmissionChecked", nameof(LoanSubmission), id.ToString(), s.PlatformId,
                $"{platformCode} {s.Period}: {summary.RowsRead:#,##0} rows, {summary.BlockingFindings:#,##0} errors, {summary.WarningFindings:#,##0} warnings (rules {summary.RuleSetVersion}).");
            await db.SaveChangesAsync(ct);
            var result = s.Status switch
            {
                SubmissionStatus.ErrorsToFix => "errors_to_fix",
                SubmissionStatus.WarningsToConfirm => "warnings_to_confirm",
                _ => "ready_to_sign",
            };
            var elapsed = time.GetElapsedTime(started);
            metrics.TapeChecked(platformCode, format, result, summary.RowsRead, elapsed);
            PortalLog.TapeChecked(logger, id, platformCode, s.Period, summary.RowsRead, summary.BlockingFindings, summary.WarningFindings, result, Math.Round(elapsed.TotalMilliseconds, 1));
            return s.Status;
        }
    }

    /// <summary>
    /// Writes the submission's rows as its loan records inside <paramref name="db"/>'s transaction: the rows staged at
    /// the check, or (none staged) the valid rows of the original read again. A reader task fills a bounded channel of
    /// batches that the bulk writer drains, so no rows are collected in memory.
    /// </summary>
    public async Task<long> CommitAsync(IPortalDb db, LoanSubmission submission, string platformCode, CancellationToken ct)
    {
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
                    batch.Add(row.ToRecord(submission));
                    if (batch.Count < BatchSize)
                    {
                        return ValueTask.CompletedTask;
                    }

                    var full = batch.ToArray();
                    batch.Clear();
                    return channel.Writer.WriteAsync(full, stop.Token);
                }

                if (staging.TryRead(submission.FileSha256, platformCode, submission.Period) is { } staged)
                {
                    await foreach (var row in staged.WithCancellation(stop.Token))
                    {
                        await Add(row);
                    }
                }
                else
                {
                    await using var file = files.OpenRead(submission.FileSha256);
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
            var written = await writer.WriteVersionAsync(db, submission, new BatchedRows(channel.Reader, ct), ct);
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

    /// <summary>
    /// Attestation and commit: the rows become version N of the month in ONE transaction, with the audit entry and the
    /// signed event (<see cref="ISubmissionSignedHandler"/>). Any failure rolls everything back: no partial rows.
    /// </summary>
    public async Task<SignedVersion> SignAsync(IPortalDb db, long id, string attestedName, Guid stamp, CancellationToken ct)
    {
        // One unit through the execution strategy: on a transient failure it runs again from the load (Transactions.cs).
        var started = time.GetTimestamp();
        var code = "unknown";
        LoanSubmission signed;
        int version;
        try
        {
            (signed, version) = await db.InTransactionAsync(async token =>
            {
                var submission = await SubmissionService.LoadAsync(db, id, stamp, token);
                if (submission.Status != SubmissionStatus.ReadyToSign)
                {
                    throw new ValidationFailedException("Status", $"Only a submission that is ready to sign can be signed; this one is {SubmissionService.Words(submission.Status)}.");
                }

                var platformCode = await db.Platforms.Where(p => p.Id == submission.PlatformId).Select(p => p.Code).SingleAsync(token);
                code = platformCode;
                var version = (await db.LoanSubmissions.Where(s => s.PlatformId == submission.PlatformId && s.Period == submission.Period && s.Version != null)
                    .MaxAsync(s => s.Version, token) ?? 0) + 1;
                var written = await CommitAsync(db, submission, platformCode, token);
                if (written != submission.ValidRows)
                {
                    throw new InvalidOperationException($"The file gave {written:#,##0} rows at signing but {submission.ValidRows:#,##0} when checked; upload it again.");
                }

                submission.Version = version;
                submission.Status = SubmissionStatus.Signed;
                submission.SignedBy = db.User.UserName;
                submission.AttestedName = attestedName;
                submission.SignedUtc = db.UtcNow;
                submission.ConfirmationNumber = ConfirmationNumbers.New();
                db.Audit("SubmissionSigned", nameof(LoanSubmission), id.ToString(), submission.PlatformId,
                    $"{platformCode} {submission.Period} version {version} signed by {attestedName} ({submission.ValidRows:#,##0} loans), confirmation {submission.ConfirmationNumber}.");
                await db.SaveChangesAsync(token);
                foreach (var handler in signedHandlers)
                {
                    await handler.HandleAsync(db, submission, token);
                }

                return (submission, version);
            }, ct);
        }
        catch (Exception ex) when (ex is not (ValidationFailedException or ConcurrencyConflictException or NotFoundException or ForbiddenException))
        {
            metrics.TapeSigned(code, "failed", 0, time.GetElapsedTime(started));
            PortalLog.TapeSignFailed(logger, ex, id);
            throw;
        }

        var signElapsed = time.GetElapsedTime(started);
        metrics.TapeSigned(code, "signed", signed.ValidRows, signElapsed);
        PortalLog.TapeSigned(logger, id, code, signed.Period, version, signed.ValidRows, Math.Round(signElapsed.TotalMilliseconds, 1));
        staging.Discard(signed.FileSha256, code, signed.Period);
        foreach (var handler in signedHandlers)
        {
            handler.Committed(signed);
        }

        return new SignedVersion(version, signed.ConfirmationNumber!);
    }
}
