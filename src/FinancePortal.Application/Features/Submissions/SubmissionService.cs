using FinancePortal.Application.Diagnostics;
using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FinancePortal.Application.Features.Submissions;

/// <summary>
/// Monthly loan-tape submissions: operators upload, see findings, confirm warnings and sign; regulators follow every
/// platform's months. Checking and signing read the stored original file through <see cref="ILoanTapeProcessor"/>.
/// </summary>
public sealed class SubmissionService(
    IPortalDbFactory dbFactory,
    IFileStore files,
    ILoanTapeProcessor processor,
    IEnumerable<ISubmissionSignedHandler> signedHandlers,
    TimeProvider time,
    PortalMetrics metrics,
    ILogger<SubmissionService> logger,
    IOptions<UploadOptions> uploads,
    FilingCalendar calendar)
{
    /// <summary>A check running longer than this is shown as stalled, with a retry.</summary>
    public static readonly TimeSpan StallAfter = TimeSpan.FromMinutes(15);

    public const string AttestationText =
        "I attest that this loan tape is complete and accurate for the reporting month and was prepared from the platform's books.";

    /// <summary>Stores the uploaded file (streamed, never buffered whole) and registers a submission to check.</summary>
    public async Task<long> UploadAsync(string period, string fileName, Stream content, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.Operator);
        if (!Periods.TryParse(period, out var first))
        {
            throw new ValidationFailedException("Period", "Choose the reporting month (YYYY-MM).");
        }

        if (first > DateOnly.FromDateTime(db.UtcNow))
        {
            throw new ValidationFailedException("Period", $"{period} has not started yet; you can report a month once it has begun.");
        }

        var name = Path.GetFileName(fileName ?? "").Trim();
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (extension is not (".csv" or ".xlsx"))
        {
            throw new ValidationFailedException("File", $"\"{name}\": upload the loan tape as .csv (UTF-8) or .xlsx.");
        }

        var platform = await db.Platforms.SingleOrDefaultAsync(ct) ?? throw new ForbiddenException("Your account is not bound to a platform.");
        // The limit holds here too, not only in the page: the stream is cut off at the limit, the partial file dropped.
        var (sha, size) = await files.SaveAsync(FileSizeLimit.Enforce(content, uploads.Value.MaxLoanTapeBytes, name), ct);
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
        return submission.Id;
    }

    /// <summary>Runs the edits over the stored file and records the findings; the status tells the filer what comes next.</summary>
    /// <param name="rowsProgress">Rows checked so far (every 1,000 rows).</param>
    /// <param name="ct">Cancels the check.</param>
    /// <param name="percentProgress">How much of the stored file has been read, 0 to 100.</param>
    public async Task CheckAsync(long id, IProgress<long>? rowsProgress = null, CancellationToken ct = default, IProgress<int>? percentProgress = null)
    {
        LoanSubmission submission;
        string platformCode;
        MonthFigures? previous;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            db.User.Demand(Roles.Operator);
            submission = await db.LoanSubmissions.Include(s => s.Platform).SingleOrDefaultAsync(s => s.Id == id, ct)
                ?? throw new NotFoundException("Submission not found.");
            if (submission.Status is SubmissionStatus.Signed)
            {
                throw new ValidationFailedException("Status", "A signed submission is not checked again; upload a new file for a new version.");
            }

            platformCode = submission.Platform!.Code;
            previous = await PreviousMonthAsync(db, submission.PlatformId, submission.Period, ct);
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
            await using var writer = new FindingWriter(dbFactory, submission);
            await using var stored = files.OpenRead(submission.FileSha256);
            await using var file = percentProgress is null ? stored : new ReadProgressStream(stored, percentProgress);
            summary = await processor.CheckAsync(file, submission.FileName, submission.FileSha256, platformCode, submission.Period, previous, writer.AddAsync, rowsProgress, ct);
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
            var checkedSubmission = await db.LoanSubmissions.SingleAsync(s => s.Id == id, ct);
            checkedSubmission.RuleSetVersion = summary.RuleSetVersion;
            checkedSubmission.RowsRead = summary.RowsRead;
            checkedSubmission.ValidRows = summary.ValidRows;
            checkedSubmission.BlockingFindings = summary.BlockingFindings;
            checkedSubmission.WarningFindings = summary.WarningFindings;
            checkedSubmission.LoanCount = summary.LoanCount;
            checkedSubmission.OutstandingBalance = summary.OutstandingBalance;
            checkedSubmission.DefaultedBalance = summary.DefaultedBalance;
            checkedSubmission.CheckedUtc = db.UtcNow;
            checkedSubmission.Status = summary.BlockingFindings > 0 ? SubmissionStatus.ErrorsToFix
                : summary.WarningFindings > 0 ? SubmissionStatus.WarningsToConfirm
                : SubmissionStatus.ReadyToSign;
            db.Audit("SubmissionChecked", nameof(LoanSubmission), id.ToString(), checkedSubmission.PlatformId,
                $"{platformCode} {checkedSubmission.Period}: {summary.RowsRead:#,##0} rows, {summary.BlockingFindings:#,##0} errors, {summary.WarningFindings:#,##0} warnings (rules {summary.RuleSetVersion}).");
            await db.SaveChangesAsync(ct);
            var result = checkedSubmission.Status switch
            {
                SubmissionStatus.ErrorsToFix => "errors_to_fix",
                SubmissionStatus.WarningsToConfirm => "warnings_to_confirm",
                _ => "ready_to_sign",
            };
            var elapsed = time.GetElapsedTime(started);
            metrics.TapeChecked(platformCode, format, result, summary.RowsRead, elapsed);
            PortalLog.TapeChecked(logger, id, platformCode, checkedSubmission.Period, summary.RowsRead, summary.BlockingFindings, summary.WarningFindings, result, Math.Round(elapsed.TotalMilliseconds, 1));
        }
    }

    /// <summary>One confirmation acknowledges all quality and macro warnings.</summary>
    public async Task AcknowledgeWarningsAsync(long id, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.Operator);
        var submission = await LoadAsync(db, id, stamp, ct);
        if (submission.Status != SubmissionStatus.WarningsToConfirm)
        {
            throw new ValidationFailedException("Status", $"There are no warnings to confirm; the submission is {Words(submission.Status)}.");
        }

        submission.Status = SubmissionStatus.ReadyToSign;
        submission.WarningsAcknowledgedBy = db.User.UserName;
        submission.WarningsAcknowledgedUtc = db.UtcNow;
        db.Audit("SubmissionWarningsConfirmed", nameof(LoanSubmission), id.ToString(), submission.PlatformId, $"{submission.Period}: {submission.WarningFindings:#,##0} warnings confirmed.");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Attestation and commit: the rows become version N of the month in ONE transaction, with the audit entry and
    /// the signed event. Any failure rolls everything back: no partial rows.
    /// </summary>
    public async Task<int> SignAsync(long id, string attestedName, bool confirmed, Guid stamp, CancellationToken ct = default) =>
        (await SignAndIssueReceiptAsync(id, attestedName, confirmed, stamp, ct)).Version;

    /// <summary>
    /// <see cref="SignAsync"/>, answering the version number and the filing receipt's confirmation number, which is
    /// created and stored on the version in the same transaction (<see cref="ConfirmationNumbers"/>).
    /// </summary>
    public async Task<SignedVersion> SignAndIssueReceiptAsync(long id, string attestedName, bool confirmed, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.Operator);
        if (!confirmed)
        {
            throw new ValidationFailedException("Attestation", "Tick the attestation to sign.");
        }

        if (string.IsNullOrWhiteSpace(attestedName) || attestedName.Trim().Length < 2)
        {
            throw new ValidationFailedException("Name", "Type your full name to sign.");
        }

        // One unit through the execution strategy: on a transient failure it runs again from the load (Transactions.cs).
        var started = time.GetTimestamp();
        var code = "unknown";
        LoanSubmission signed;
        int version;
        try
        {
            (signed, version) = await db.InTransactionAsync(async token =>
            {
                var submission = await LoadAsync(db, id, stamp, token);
                if (submission.Status != SubmissionStatus.ReadyToSign)
                {
                    throw new ValidationFailedException("Status", $"Only a submission that is ready to sign can be signed; this one is {Words(submission.Status)}.");
                }

                var platformCode = await db.Platforms.Where(p => p.Id == submission.PlatformId).Select(p => p.Code).SingleAsync(token);
                code = platformCode;
                var version = (await db.LoanSubmissions.Where(s => s.PlatformId == submission.PlatformId && s.Period == submission.Period && s.Version != null)
                    .MaxAsync(s => s.Version, token) ?? 0) + 1;
                await using (var file = files.OpenRead(submission.FileSha256))
                {
                    var written = await processor.CommitAsync(db, file, submission, platformCode, token);
                    if (written != submission.ValidRows)
                    {
                        throw new InvalidOperationException($"The file gave {written:#,##0} rows at signing but {submission.ValidRows:#,##0} when checked; upload it again.");
                    }
                }

                submission.Version = version;
                submission.Status = SubmissionStatus.Signed;
                submission.SignedBy = db.User.UserName;
                submission.AttestedName = attestedName.Trim();
                submission.SignedUtc = db.UtcNow;
                submission.ConfirmationNumber = ConfirmationNumbers.New();
                db.Audit("SubmissionSigned", nameof(LoanSubmission), id.ToString(), submission.PlatformId,
                    $"{platformCode} {submission.Period} version {version} signed by {attestedName.Trim()} ({submission.ValidRows:#,##0} loans), confirmation {submission.ConfirmationNumber}.");
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
        processor.Signed(signed, code);
        foreach (var handler in signedHandlers)
        {
            handler.Committed(signed);
        }

        return new SignedVersion(version, signed.ConfirmationNumber!);
    }

    /// <summary>
    /// The filing receipt of a signed version, for the platform and regulators in scope; null when the submission does
    /// not exist, is outside the scope or is not signed.
    /// </summary>
    public async Task<FilingReceipt?> GetReceiptAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.All.ToArray());
        return await ReceiptAsync(db, id, ct);
    }

    /// <summary><see cref="GetReceiptAsync"/> for a download: the download is audited.</summary>
    public async Task<FilingReceipt?> DownloadReceiptAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.All.ToArray());
        var receipt = await ReceiptAsync(db, id, ct);
        if (receipt is not null)
        {
            db.Audit("SubmissionReceiptDownloaded", nameof(LoanSubmission), id.ToString(), receipt.PlatformId,
                $"{receipt.PlatformCode} {receipt.Period} version {receipt.Version}: receipt {receipt.ConfirmationNumber}.");
            await db.SaveChangesAsync(ct);
        }

        return receipt;
    }

    /// <summary>The deadline of the month being filed, with the days left (negative: late) at the current time.</summary>
    public FilingDeadline DeadlineOf(string period) => FilingDeadline.Of(calendar, period, time.GetUtcNow().UtcDateTime);

    private async Task<FilingReceipt?> ReceiptAsync(IPortalDb db, long id, CancellationToken ct)
    {
        var s = await db.LoanSubmissions.AsNoTracking()
            .Where(x => x.Id == id && x.Status == SubmissionStatus.Signed && x.Version != null && x.ConfirmationNumber != null)
            .Select(x => new
            {
                x.Id, x.PlatformId, x.Platform!.Code, x.Platform.LegalName, x.Period, x.Version, x.ConfirmationNumber, x.FileName, x.FileSizeBytes, x.FileSha256,
                x.RowsRead, x.ValidRows, x.LoanCount, x.WarningFindings, x.WarningsAcknowledgedBy, x.RuleSetVersion, x.SignedBy, x.AttestedName, x.SignedUtc,
                x.UploadedUtc,
            })
            .SingleOrDefaultAsync(ct);
        if (s is null)
        {
            return null;
        }

        var displayName = s.SignedBy is null ? null
            : await db.Users.AsNoTracking().Where(u => u.UserName == s.SignedBy).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        var signedUtc = s.SignedUtc!.Value;
        return new FilingReceipt(s.Id, s.PlatformId, s.Code, s.LegalName, s.Period, s.Version!.Value, s.ConfirmationNumber!, s.FileName, s.FileSizeBytes,
            s.FileSha256, s.RowsRead, s.ValidRows, s.WarningFindings, s.WarningsAcknowledgedBy, s.RuleSetVersion ?? "",
            string.IsNullOrWhiteSpace(displayName) ? s.SignedBy ?? "" : displayName, s.SignedBy ?? "", s.AttestedName ?? "", signedUtc, s.UploadedUtc,
            calendar.DeadlineDay(s.Period), calendar.IsOnTime(signedUtc, s.Period));
    }

    public async Task<PagedResult<SubmissionListItem>> GetPageAsync(SubmissionQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.All.ToArray());
        var submissions = db.LoanSubmissions.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Period))
        {
            submissions = submissions.Where(s => s.Period == query.Period);
        }

        if (query.PlatformId is { } platformId)
        {
            submissions = submissions.Where(s => s.PlatformId == platformId);
        }

        if (query.Status is { } status)
        {
            submissions = submissions.Where(s => s.Status == status);
        }

        var total = await submissions.CountAsync(ct);
        var items = await submissions.OrderByDescending(s => s.Period).ThenByDescending(s => s.Id)
            .Skip(query.Skip).Take(query.SafePageSize)
            .Select(Projection)
            .ToListAsync(ct);
        return new PagedResult<SubmissionListItem>(items, total);
    }

    public async Task<SubmissionDetail?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.All.ToArray());
        var s = await db.LoanSubmissions.AsNoTracking().Include(x => x.Platform).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (s is null)
        {
            return null;
        }

        var counts = await db.SubmissionFindings.AsNoTracking().Where(f => f.SubmissionId == id)
            .GroupBy(f => new { f.Code, f.Blocking })
            .Select(g => new { g.Key.Code, g.Key.Blocking, Count = g.Count(), Message = g.Min(f => f.Message) })
            .OrderBy(g => g.Code)
            .ToListAsync(ct);
        var history = await db.LoanSubmissions.AsNoTracking().Where(x => x.PlatformId == s.PlatformId && x.Period == s.Period)
            .OrderByDescending(x => x.Id).Select(Projection).ToListAsync(ct);
        var stalled = s.Status == SubmissionStatus.Checking && s.CheckStartedUtc is { } started && db.UtcNow - started > StallAfter
            || s.Status == SubmissionStatus.Checking && s.CheckStartedUtc is null && db.UtcNow - s.UploadedUtc > StallAfter;
        return new SubmissionDetail(
            new SubmissionListItem(s.Id, s.PlatformId, s.Platform!.Code, s.Period, s.Status, s.Version, s.FileName, s.FileSizeBytes, s.UploadedBy, s.UploadedUtc,
                s.RowsRead, s.BlockingFindings, s.WarningFindings, s.SignedBy, s.SignedUtc, s.ConfirmationNumber),
            s.RuleSetVersion, s.ValidRows, s.CheckStartedUtc, s.CheckedUtc, stalled, s.FailureMessage, s.WarningsAcknowledgedBy, s.WarningsAcknowledgedUtc,
            s.AttestedName, s.ConcurrencyStamp,
            counts.Select(c => new FindingCount(c.Code, c.Blocking, c.Message ?? "", c.Count)).ToList(), history);
    }

    public async Task<PagedResult<FindingItem>> GetFindingsAsync(long id, FindingQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.All.ToArray());
        var findings = db.SubmissionFindings.AsNoTracking().Where(f => f.SubmissionId == id);
        if (!string.IsNullOrWhiteSpace(query.Code))
        {
            findings = findings.Where(f => f.Code == query.Code);
        }

        var total = await findings.CountAsync(ct);
        var items = await findings.OrderBy(f => f.Row).ThenBy(f => f.Id).Skip(query.Skip).Take(query.SafePageSize)
            .Select(f => new FindingItem(f.Id, f.Code, f.Blocking, f.Row, f.LoanId, f.Column, f.Value, f.Message))
            .ToListAsync(ct);
        return new PagedResult<FindingItem>(items, total);
    }

    /// <summary>
    /// Every finding of the page's filter (edit code), in the page's order, streamed (the findings grid's export);
    /// <see cref="NotFoundException"/> when the submission does not exist or is outside the scope.
    /// </summary>
    public async IAsyncEnumerable<FindingItem> StreamFindingItemsAsync(long id, FindingQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.All.ToArray());
        if (!await db.LoanSubmissions.AnyAsync(s => s.Id == id, ct))
        {
            throw new NotFoundException($"Submission {id} does not exist or is outside your data scope.");
        }

        var findings = db.SubmissionFindings.AsNoTracking().Where(f => f.SubmissionId == id);
        if (!string.IsNullOrWhiteSpace(query.Code))
        {
            findings = findings.Where(f => f.Code == query.Code);
        }

        await foreach (var f in findings.OrderBy(f => f.Row).ThenBy(f => f.Id)
            .Select(f => new FindingItem(f.Id, f.Code, f.Blocking, f.Row, f.LoanId, f.Column, f.Value, f.Message)).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return f;
        }
    }

    /// <summary>The platform of a submission in the user's scope; <see cref="NotFoundException"/> otherwise.</summary>
    public async Task<int> PlatformOfAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.All.ToArray());
        return await db.LoanSubmissions.Where(s => s.Id == id).Select(s => (int?)s.PlatformId).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Submission {id} does not exist or is outside your data scope.");
    }

    /// <summary>The original file, for the platform and regulators in scope; null otherwise. Audited.</summary>
    public async Task<(string FileName, Stream Content)?> OpenOriginalAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.All.ToArray());
        var submission = await db.LoanSubmissions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (submission is null)
        {
            return null;
        }

        db.Audit("SubmissionFileDownloaded", nameof(LoanSubmission), id.ToString(), submission.PlatformId, $"{submission.Period}: {submission.FileName}.");
        await db.SaveChangesAsync(ct);
        return (submission.FileName, files.OpenRead(submission.FileSha256));
    }

    /// <summary>
    /// The regulator's grid: platforms x months with on time, late, missing, unresolved, not yet due and not required
    /// (the filing calendar: months before a platform's licence took effect, after its revocation, and — by setting —
    /// while it is suspended). Rows: current licence holders and every platform that owed or filed a month of the range.
    /// </summary>
    public async Task<IReadOnlyList<PlatformMonths>> GetMonthGridAsync(string from, string to, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.All.ToArray());
        var months = Periods.Range(from, to);
        if (months.Count == 0)
        {
            throw new ValidationFailedException("Period", "Choose a valid range of months (YYYY-MM to YYYY-MM, at most 10 years).");
        }

        var first = months[0];
        var last = months[^1];
        var obligations = await calendar.LoadAsync(db, ct);
        var cells = await db.LoanSubmissions.AsNoTracking()
            .Where(s => string.Compare(s.Period, first) >= 0 && string.Compare(s.Period, last) <= 0)
            .GroupBy(s => new { s.PlatformId, s.Period })
            .Select(g => new
            {
                g.Key.PlatformId,
                g.Key.Period,
                Versions = g.Count(s => s.Version != null),
                LatestVersion = g.Max(s => s.Version),
                FirstSigned = g.Where(s => s.SignedUtc != null).Min(s => s.SignedUtc),
                LatestSignedId = g.Where(s => s.Version != null).OrderByDescending(s => s.Version).Select(s => (long?)s.Id).FirstOrDefault(),
                LatestSignedBy = g.Where(s => s.Version != null).OrderByDescending(s => s.Version).Select(s => s.SignedBy).FirstOrDefault(),
                LatestSignedUtc = g.Where(s => s.Version != null).Max(s => s.SignedUtc),
            })
            .ToListAsync(ct);
        var filing = cells.Select(c => c.PlatformId).ToHashSet();
        var platforms = (await db.Platforms.AsNoTracking().OrderBy(p => p.Code).Select(p => new { p.Id, p.Code, p.LegalName, p.LicenceStatus }).ToListAsync(ct))
            .Where(p => p.LicenceStatus is LicenceStatus.Licensed or LicenceStatus.ConditionallyLicensed or LicenceStatus.Suspended
                || filing.Contains(p.Id) || obligations.OwesAnyOf(p.Id, months))
            .ToList();

        // The uploads not signed and not failed (few: a month has one or two while a platform fixes a file).
        var unsigned = await db.LoanSubmissions.AsNoTracking()
            .Where(s => string.Compare(s.Period, first) >= 0 && string.Compare(s.Period, last) <= 0 && s.Version == null && s.Status != SubmissionStatus.Failed)
            .Select(s => new { s.PlatformId, s.Period, s.Id, s.Status })
            .ToListAsync(ct);
        var pendingByKey = unsigned.ToLookup(u => (u.PlatformId, u.Period));
        var now = time.GetUtcNow().UtcDateTime;
        var byKey = cells.ToDictionary(c => (c.PlatformId, c.Period));
        return platforms.Select(p => new PlatformMonths(p.Id, p.Code, p.LegalName, months.Select(m =>
        {
            byKey.TryGetValue((p.Id, m), out var c);
            var pending = pendingByKey[(p.Id, m)].Where(u => c?.LatestSignedId is not { } signedId || u.Id > signedId).ToList();
            var warnings = pending.Count(u => u.Status == SubmissionStatus.WarningsToConfirm);
            if (c is null || c.Versions == 0)
            {
                var state = pending.Count > 0 ? MonthState.Unresolved
                    : !obligations.IsRequired(p.Id, m) ? MonthState.NotRequired
                    : calendar.IsClosed(m, now) ? MonthState.Missing
                    : MonthState.Due;
                return new MonthCell(m, state, null, null, null, null, 0, pending.Count, warnings);
            }

            var onTime = c.FirstSigned is { } signed && calendar.IsOnTime(signed, m);
            return new MonthCell(m, onTime ? MonthState.OnTime : MonthState.Late, c.LatestVersion, c.LatestSignedId, c.LatestSignedBy, c.LatestSignedUtc, c.Versions,
                pending.Count, warnings);
        }).ToList())).ToList();
    }

    /// <summary>Plain status words for filers.</summary>
    public static string Words(SubmissionStatus status) => status switch
    {
        SubmissionStatus.Checking => "Checking file",
        SubmissionStatus.ErrorsToFix => "Errors to fix",
        SubmissionStatus.WarningsToConfirm => "Warnings to confirm",
        SubmissionStatus.ReadyToSign => "Ready to sign",
        SubmissionStatus.Signed => "Signed",
        _ => "Check failed",
    };

    private static readonly System.Linq.Expressions.Expression<Func<LoanSubmission, SubmissionListItem>> Projection = s =>
        new SubmissionListItem(s.Id, s.PlatformId, s.Platform!.Code, s.Period, s.Status, s.Version, s.FileName, s.FileSizeBytes, s.UploadedBy, s.UploadedUtc,
            s.RowsRead, s.BlockingFindings, s.WarningFindings, s.SignedBy, s.SignedUtc, s.ConfirmationNumber);

    private static async Task<MonthFigures?> PreviousMonthAsync(IPortalDb db, int platformId, string period, CancellationToken ct)
    {
        var previousPeriod = Periods.Previous(period);
        return await db.LoanSubmissions.AsNoTracking()
            .Where(s => s.PlatformId == platformId && s.Period == previousPeriod && s.Version != null)
            .OrderByDescending(s => s.Version)
            .Select(s => new MonthFigures((int)s.LoanCount, s.OutstandingBalance, s.DefaultedBalance))
            .FirstOrDefaultAsync(ct);
    }

    private static async Task<LoanSubmission> LoadAsync(IPortalDb db, long id, Guid stamp, CancellationToken ct)
    {
        var submission = await db.LoanSubmissions.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("Submission not found.");
        db.ExpectConcurrencyStamp(submission, stamp);
        return submission;
    }
}
