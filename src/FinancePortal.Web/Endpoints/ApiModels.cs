using System.Globalization;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;

namespace FinancePortal.Web.Endpoints;

/// <summary>An API answer that is not a service exception (413, 415): the status, the code and a message for the filer.</summary>
public sealed class ApiProblemException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}

public sealed record SignRequest(string? AttestedName, bool Confirm);

/// <summary>A submission as the API shows it; <see cref="Status"/> is one of <see cref="ApiWords.Of(SubmissionStatus)"/>.</summary>
public sealed record ApiSubmission(
    long Id,
    string Platform,
    string Period,
    string Status,
    string StatusText,
    bool Stalled,
    int? Version,
    string FileName,
    long FileSizeBytes,
    string UploadedBy,
    DateTime UploadedUtc,
    DateTime? CheckedUtc,
    string? RuleSetVersion,
    string? Failure,
    string? WarningsConfirmedBy,
    string? SignedBy,
    DateTime? SignedUtc,
    string? ConfirmationNumber,
    Guid Stamp,
    ApiCounts Counts,
    IReadOnlyList<ApiEditCount> Edits,
    ApiSubmissionLinks Links)
{
    public static ApiSubmission Of(SubmissionDetail d)
    {
        var s = d.Submission;
        var self = "/api/v1/submissions/" + s.Id.ToString(CultureInfo.InvariantCulture);
        var signed = s.Status == SubmissionStatus.Signed;
        return new ApiSubmission(s.Id, s.PlatformCode, s.Period, ApiWords.Of(s.Status), SubmissionService.Words(s.Status), d.IsStalled, s.Version,
            s.FileName, s.FileSizeBytes, s.UploadedBy, s.UploadedUtc, d.CheckedUtc, d.RuleSetVersion, d.FailureMessage, d.WarningsAcknowledgedBy,
            s.SignedBy, s.SignedUtc, s.ConfirmationNumber, d.ConcurrencyStamp,
            new ApiCounts(s.RowsRead, d.ValidRows, s.BlockingFindings, s.WarningFindings),
            d.CountsByCode.Select(c => new ApiEditCount(c.Code, c.Blocking ? "error" : "warning", c.Count, c.Message)).ToList(),
            new ApiSubmissionLinks(self, self + "/findings", self + "/errors.xlsx", self + "/errors.csv", self + "/file",
                s.Status == SubmissionStatus.WarningsToConfirm ? self + "/confirm" : null,
                s.Status == SubmissionStatus.ReadyToSign ? self + "/sign" : null,
                signed ? self + "/receipt" : null));
    }
}

/// <param name="Rows">Data rows read from the file.</param>
/// <param name="ValidRows">Rows that pass every blocking edit.</param>
/// <param name="Blocking">Findings of blocking edits (errors to fix).</param>
/// <param name="Warnings">Findings of quality and macro edits (warnings to confirm).</param>
public sealed record ApiCounts(long Rows, long ValidRows, int Blocking, int Warnings);

/// <param name="Severity">"error" (blocking) or "warning".</param>
public sealed record ApiEditCount(string Code, string Severity, int Count, string Message);

public sealed record ApiSubmissionLinks(string Self, string Findings, string ErrorReportXlsx, string ErrorReportCsv, string Original, string? Confirm, string? Sign, string? Receipt);

public sealed record ApiFinding(string Code, string Severity, long? Row, string? LoanId, string? Column, string? Value, string Message);

public sealed record ApiFindingPage(int Total, int Page, int PageSize, IReadOnlyList<ApiFinding> Items);

/// <summary>The filing receipt of a signed version (the receipt page's facts).</summary>
public sealed record ApiReceipt(
    string ConfirmationNumber,
    long SubmissionId,
    string Platform,
    string PlatformName,
    string Period,
    int Version,
    string FileName,
    long FileSizeBytes,
    string FileSha256,
    ApiCounts Counts,
    string? WarningsConfirmedBy,
    string RuleSetVersion,
    string SignedBy,
    string SignerUserName,
    string AttestedName,
    DateTime SignedUtc,
    string Deadline,
    bool OnTime)
{
    public static ApiReceipt Of(FilingReceipt r) => new(r.ConfirmationNumber, r.SubmissionId, r.PlatformCode, r.PlatformName, r.Period, r.Version,
        r.FileName, r.FileSizeBytes, r.FileSha256, new ApiCounts(r.RowsRead, r.ValidRows, 0, r.WarningFindings), r.WarningsAcknowledgedBy,
        r.RuleSetVersion, r.SignerDisplayName, r.SignerUserName, r.AttestedName, r.SignedUtc,
        r.Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.OnTime);
}
