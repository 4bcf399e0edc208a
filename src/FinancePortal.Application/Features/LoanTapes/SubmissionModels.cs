using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.LoanTapes;

public sealed record SubmissionListItem(
    long Id,
    int PlatformId,
    string PlatformCode,
    string Period,
    SubmissionStatus Status,
    int? Version,
    string FileName,
    long FileSizeBytes,
    string UploadedBy,
    DateTime UploadedUtc,
    long RowsRead,
    int BlockingFindings,
    int WarningFindings,
    string? SignedBy,
    DateTime? SignedUtc,
    string? ConfirmationNumber = null);

public sealed record SubmissionQuery : PageRequest
{
    public string? Period { get; init; }

    public int? PlatformId { get; init; }

    public SubmissionStatus? Status { get; init; }
}

public sealed record FindingCount(string Code, bool Blocking, string Message, int Count);

public sealed record FindingItem(long Id, string Code, bool Blocking, long? Row, string? LoanId, string? Column, string? Value, string Message);

public sealed record FindingQuery : PageRequest
{
    public string? Code { get; init; }
}

public sealed record SubmissionDetail(
    SubmissionListItem Submission,
    string? RuleSetVersion,
    long ValidRows,
    DateTime? CheckStartedUtc,
    DateTime? CheckedUtc,
    bool IsStalled,
    string? FailureMessage,
    string? WarningsAcknowledgedBy,
    DateTime? WarningsAcknowledgedUtc,
    string? AttestedName,
    Guid ConcurrencyStamp,
    IReadOnlyList<FindingCount> CountsByCode,
    IReadOnlyList<SubmissionListItem> MonthHistory)
{
    /// <summary>The month's signed versions, newest first: each has a receipt.</summary>
    public IReadOnlyList<SubmissionListItem> Versions => MonthHistory.Where(h => h.Version is not null).OrderByDescending(h => h.Version).ToList();

    /// <summary>The month's uploads never signed (checking, errors, warnings, ready, failed), newest first.</summary>
    public IReadOnlyList<SubmissionListItem> Uploads => MonthHistory.Where(h => h.Version is null).ToList();
}

/// <summary>One cell of the regulator's platforms x months grid.</summary>
public enum MonthState
{
    /// <summary>Signed by the filing deadline (<see cref="FilingCalendar"/>: by default the end of the 15th of the next month).</summary>
    OnTime,

    /// <summary>Signed after the deadline.</summary>
    Late,

    /// <summary>Nothing signed and the deadline has passed.</summary>
    Missing,

    /// <summary>Nothing signed yet, deadline not reached.</summary>
    Due,

    /// <summary>An upload is waiting for errors to be fixed or warnings to be confirmed.</summary>
    Unresolved,

    /// <summary>The platform does not owe this month (before its licence took effect, after revocation, or suspended when the setting says so).</summary>
    NotRequired,
}

/// <param name="Pending">
/// Uploads of the month not signed (and not failed) since its latest signed version: a resubmission with errors to fix,
/// warnings to confirm or waiting to be signed. On a signed month they do not change the state, so they are counted here.
/// </param>
/// <param name="PendingWarnings">Of those, the uploads whose warnings are not yet confirmed.</param>
public sealed record MonthCell(string Period, MonthState State, int? LatestVersion, long? LatestSubmissionId, string? SignedBy, DateTime? SignedUtc, int Versions,
    int Pending = 0, int PendingWarnings = 0);

public sealed record PlatformMonths(int PlatformId, string PlatformCode, string PlatformName, IReadOnlyList<MonthCell> Months);

/// <summary>Raised after a submission is signed, inside the signing transaction (monthly aggregates rebuild from it).</summary>
public interface ISubmissionSignedHandler
{
    Task HandleAsync(IPortalDb db, LoanSubmission signed, CancellationToken ct);

    /// <summary>Called after the signing transaction committed.</summary>
    void Committed(LoanSubmission signed);
}

/// <summary>What <see cref="SubmissionService.SubmitAsync"/> answers: the new submission and its status after the check.</summary>
public sealed record SubmitResult(long Id, SubmissionStatus Status);

/// <summary>What signing answers: the version number of the month and the receipt's confirmation number.</summary>
public sealed record SignedVersion(int Version, string ConfirmationNumber);

/// <summary>
/// The filing receipt of one signed version: what a filer keeps as proof of filing (the HMDA platform's "submission
/// receipt"). <paramref name="SignerDisplayName"/> is the signing account's display name; <paramref name="AttestedName"/>
/// the name typed on the attestation.
/// </summary>
public sealed record FilingReceipt(
    long SubmissionId,
    int PlatformId,
    string PlatformCode,
    string PlatformName,
    string Period,
    int Version,
    string ConfirmationNumber,
    string FileName,
    long FileSizeBytes,
    string FileSha256,
    long RowsRead,
    long ValidRows,
    int WarningFindings,
    string? WarningsAcknowledgedBy,
    string RuleSetVersion,
    string SignerDisplayName,
    string SignerUserName,
    string AttestedName,
    DateTime SignedUtc,
    DateTime UploadedUtc,
    DateOnly Deadline,
    bool OnTime);

/// <summary>Where a submission is: storing the upload, then checking it.</summary>
public enum LoanTapeStage { Uploading, Checking }

/// <summary>
/// Progress of <see cref="SubmissionService.SubmitAsync"/>: the stage, the share of the file read (0-100; -1 while
/// uploading a stream of unknown length, then see <see cref="Bytes"/>), the bytes stored and the rows checked.
/// </summary>
public readonly record struct LoanTapeProgress(LoanTapeStage Stage, double Percent, long Rows, long Bytes = 0);
