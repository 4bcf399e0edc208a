using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// Monthly loan-tape submissions: operators upload, see findings, confirm warnings and sign; regulators follow every
/// platform's months. The steps of a tape (store, check, write the
/// rows at signing) are <see cref="LoanTapeWorkflow"/>'s; the month grid is <see cref="MonthGrid"/>.
/// </summary>
public sealed class SubmissionService(
    IPortalDbFactory dbFactory,
    IFileStore files,
    LoanTapeWorkflow workflow,
    TimeProvider time,
    IOptions<UploadOptions> uploads,
    FilingCalendar calendar)
{
    /// <summary>A check running longer than this is shown as stalled, with a retry.</summary>
    public static readonly TimeSpan StallAfter = TimeSpan.FromMinutes(15);

    public const string AttestationText =
        "I attest that this loan tape is complete and accurate for the reporting month and was prepared from the platform's books.";

    /// <summary>
    /// The one way a loan tape comes in: stores the upload (streamed, never buffered whole, cut off at the size limit),
    /// checks it with every edit and stores the findings, reporting progress all along. Returns the submission and its
    /// status (errors to fix, warnings to confirm or ready to sign). The web page and the API call only this.
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(string period, string fileName, Stream content, IProgress<LoanTapeProgress>? progress = null, CancellationToken ct = default)
    {
        LoanSubmission submission;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
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
            if (Path.GetExtension(name).ToLowerInvariant() is not (".csv" or ".xlsx"))
            {
                throw new ValidationFailedException("File", $"\"{name}\": upload the loan tape as .csv (UTF-8) or .xlsx.");
            }

            var platform = await db.Platforms.SingleOrDefaultAsync(ct) ?? throw new ForbiddenException("Your account is not bound to a platform.");
            var size = content.CanSeek ? Math.Max(content.Length, 1) : -1;
            // Not disposed: the caller's stream stays the caller's.
            var counting = progress is null ? content
                : new CountingReadStream(content, read => progress.Report(new(LoanTapeStage.Uploading, size < 0 ? -1 : read * 100d / size, 0, read)));
            submission = await workflow.StoreAsync(db, platform, period, name, counting, uploads.Value.MaxLoanTapeBytes, ct);
        }

        return new SubmitResult(submission.Id, await workflow.CheckAsync(submission.Id, progress, ct));
    }

    /// <summary>Checks a stored upload again (a check that stalled or failed), with the same edits and progress as <see cref="SubmitAsync"/>.</summary>
    public async Task<SubmissionStatus> RecheckAsync(long id, IProgress<LoanTapeProgress>? progress = null, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            db.User.Demand(Roles.Operator);
        }

        return await workflow.CheckAsync(id, progress, ct);
    }

    /// <summary>One confirmation acknowledges all quality and macro warnings.</summary>
    public async Task AcknowledgeWarningsAsync(long id, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Operator, ct);
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
        await using var db = await dbFactory.BeginAsync(Roles.Operator, ct);
        if (!confirmed)
        {
            throw new ValidationFailedException("Attestation", "Tick the attestation to sign.");
        }

        if (string.IsNullOrWhiteSpace(attestedName) || attestedName.Trim().Length < 2)
        {
            throw new ValidationFailedException("Name", "Type your full name to sign.");
        }

        return await workflow.SignAsync(db, id, attestedName.Trim(), stamp, ct);
    }

    /// <summary>
    /// The filing receipt of a signed version, for the platform and regulators in scope; null when the submission does
    /// not exist, is outside the scope or is not signed.
    /// </summary>
    public async Task<FilingReceipt?> GetReceiptAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        return await MonthGrid.ReceiptAsync(db, calendar, id, ct);
    }

    /// <summary><see cref="GetReceiptAsync"/> for a download: the download is audited.</summary>
    public async Task<FilingReceipt?> DownloadReceiptAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        var receipt = await MonthGrid.ReceiptAsync(db, calendar, id, ct);
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

    public async Task<PagedResult<SubmissionListItem>> GetPageAsync(SubmissionQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
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
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
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
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
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
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
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
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        return await db.LoanSubmissions.Where(s => s.Id == id).Select(s => (int?)s.PlatformId).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Submission {id} does not exist or is outside your data scope.");
    }

    /// <summary>The original file, for the platform and regulators in scope; null otherwise. Audited.</summary>
    public async Task<(string FileName, Stream Content)?> OpenOriginalAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
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
    /// The regulator's grid: platforms x months with on time, late, missing, unresolved, not yet due and not required.
    /// </summary>
    public async Task<IReadOnlyList<PlatformMonths>> GetMonthGridAsync(string from, string to, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        return await MonthGrid.LoadAsync(db, calendar, time.GetUtcNow().UtcDateTime, from, to, ct);
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

    internal static async Task<LoanSubmission> LoadAsync(IPortalDb db, long id, Guid stamp, CancellationToken ct)
    {
        var submission = await db.LoanSubmissions.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("Submission not found.");
        db.ExpectConcurrencyStamp(submission, stamp);
        return submission;
    }
}
