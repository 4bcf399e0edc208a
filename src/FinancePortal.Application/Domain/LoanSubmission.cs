namespace FinancePortal.Application.Domain;

/// <summary>
/// One uploaded monthly loan tape of one platform (DOMAIN.md §4). Signing commits it as version N of its month;
/// earlier versions are kept and never overwritten.
/// </summary>
public sealed class LoanSubmission : IPlatformOwned, IConcurrencyAware
{
    public long Id { get; set; }

    public int PlatformId { get; set; }

    public Platform? Platform { get; set; }

    /// <summary>The reporting month, <c>YYYY-MM</c>.</summary>
    public string Period { get; set; } = "";

    public SubmissionStatus Status { get; set; } = SubmissionStatus.Checking;

    /// <summary>Version number within the month, given when signed; null before.</summary>
    public int? Version { get; set; }

    public string FileName { get; set; } = "";

    public long FileSizeBytes { get; set; }

    /// <summary>Hex SHA-256 of the original file, which the file store keeps under this key.</summary>
    public string FileSha256 { get; set; } = "";

    public string UploadedBy { get; set; } = "";

    public DateTime UploadedUtc { get; set; }

    /// <summary>When the current check started; a check that runs far longer is shown as stalled.</summary>
    public DateTime? CheckStartedUtc { get; set; }

    public DateTime? CheckedUtc { get; set; }

    /// <summary>The edit rule-set version the file was checked with.</summary>
    public string? RuleSetVersion { get; set; }

    public long RowsRead { get; set; }

    public long ValidRows { get; set; }

    public int BlockingFindings { get; set; }

    public int WarningFindings { get; set; }

    public string? WarningsAcknowledgedBy { get; set; }

    public DateTime? WarningsAcknowledgedUtc { get; set; }

    public string? SignedBy { get; set; }

    /// <summary>The attesting person's name as typed on the attestation.</summary>
    public string? AttestedName { get; set; }

    public DateTime? SignedUtc { get; set; }

    /// <summary>
    /// The filing receipt's confirmation number, given when signed (<c>FP-XXXX-XXXX-XXXX-XXXX-XXXX</c>, random, unique);
    /// null before signing.
    /// </summary>
    public string? ConfirmationNumber { get; set; }

    /// <summary>Loans in the file (for next month's macro edits).</summary>
    public long LoanCount { get; set; }

    /// <summary>Outstanding balance of loans not repaid or charged off, RMB.</summary>
    public decimal OutstandingBalance { get; set; }

    /// <summary>Outstanding balance 90+ DPD or DEFAULTED, RMB.</summary>
    public decimal DefaultedBalance { get; set; }

    /// <summary>
    /// Lowest and highest key the loan rows of this version can have: every row of the version lies in this key range
    /// (set when the rows are written; rows of another version written at the same moment may lie in it too). Lets
    /// the loan-level extract read a version as one range of the primary key. Null before signing and for no rows.
    /// </summary>
    public long? FirstLoanRecordId { get; set; }

    public long? LastLoanRecordId { get; set; }

    public string? FailureMessage { get; set; }

    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();
}

/// <summary>Plain status words for filers: "Checking file", "Errors to fix", "Warnings to confirm", "Ready to sign", "Signed".</summary>
public enum SubmissionStatus
{
    Checking,
    ErrorsToFix,
    WarningsToConfirm,
    ReadyToSign,
    Signed,
    Failed,
}

/// <summary>One edit finding of one submission: code, row, loan id, column, value, message.</summary>
public sealed class SubmissionFinding : IPlatformOwned
{
    public long Id { get; set; }

    public long SubmissionId { get; set; }

    public int PlatformId { get; set; }

    public string Code { get; set; } = "";

    public bool Blocking { get; set; }

    public long? Row { get; set; }

    public string? LoanId { get; set; }

    public string? Column { get; set; }

    public string? Value { get; set; }

    public string Message { get; set; } = "";
}
