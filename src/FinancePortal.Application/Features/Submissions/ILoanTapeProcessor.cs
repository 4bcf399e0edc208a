using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Submissions;

/// <summary>What a check found, in totals; the findings themselves are streamed to the caller.</summary>
public sealed record LoanTapeSummary(
    string RuleSetVersion,
    long RowsRead,
    long ValidRows,
    int BlockingFindings,
    int WarningFindings,
    long LoanCount,
    decimal OutstandingBalance,
    decimal DefaultedBalance);

/// <summary>A finding as the edits report it.</summary>
public sealed record TapeFinding(string Code, bool Blocking, long? Row, string? LoanId, string? Column, string? Value, string Message);

/// <summary>Reads a stored loan tape (CSV or XLSX) through the edits; implemented in Infrastructure/Import.</summary>
public interface ILoanTapeProcessor
{
    /// <summary>
    /// Checks a stored file (<paramref name="fileSha256"/> names it in the file store); a clean file's rows may be
    /// staged for <see cref="CommitAsync"/> so that signing need not parse the file again.
    /// </summary>
    Task<LoanTapeSummary> CheckAsync(Stream file, string fileName, string fileSha256, string platformCode, string period, MonthFigures? previous,
        Func<TapeFinding, ValueTask> onFinding, IProgress<long>? rowsProgress, CancellationToken ct);

    /// <summary>Re-reads a checked file and writes its rows as the submission's loan records inside the caller's transaction.</summary>
    Task<long> CommitAsync(IPortalDb db, Stream file, LoanSubmission submission, string platformCode, CancellationToken ct);

    /// <summary>The submission's transaction committed: anything staged for it can go.</summary>
    void Signed(LoanSubmission submission, string platformCode);
}
