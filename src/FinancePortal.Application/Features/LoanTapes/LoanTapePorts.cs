using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// Temporary storage for what the checker must keep per row until the end of a file (held-back findings, loan ids,
/// borrowers' principal): a read/write, seekable stream that vanishes when disposed. Infrastructure supplies the disk
/// one; small tapes and tests may use <see cref="MemorySpillStore"/>.
/// </summary>
public interface ISpillStore
{
    Stream Create();
}

/// <summary>Spill kept in memory: for small tapes and tests (memory then grows with the file).</summary>
public sealed class MemorySpillStore : ISpillStore
{
    public Stream Create() => new MemoryStream();
}

/// <summary>The records of one loan-tape file, header first, read into a reused <see cref="RawRow"/>.</summary>
public interface ILoanTapeRows : IDisposable
{
    /// <summary>Fills <paramref name="row"/> with the next record; false at the end of the file.</summary>
    ValueTask<bool> ReadAsync(RawRow row, CancellationToken ct);
}

/// <summary>Opens a stored file in its format (CSV or XLSX, chosen by the file name and its first bytes).</summary>
public interface ILoanTapeFormats
{
    /// <summary>The reader of the file; throws when it cannot be read at all (see <see cref="UnreadableRule"/>).</summary>
    ValueTask<ILoanTapeRows> OpenAsync(Stream content, string fileName, CancellationToken ct);

    /// <summary>The syntactical edit (S01-S05, S15) an exception of a reader stands for, or null when it is not about the file.</summary>
    EditRule? UnreadableRule(Exception exception);
}

/// <summary>
/// The valid rows of a clean check, kept so that signing need not parse the original again. Keyed by the stored file's
/// SHA-256, the platform and the period (and the rule-set version); absent rows mean signing reads the original.
/// </summary>
public interface ILoanTapeStaging
{
    IStagedRowsWriter BeginWrite(string fileSha256, string platformCode, string period);

    /// <summary>The staged rows, or null when none are staged; enumerating them throws when they are damaged (after removing them).</summary>
    IAsyncEnumerable<LoanTapeRow>? TryRead(string fileSha256, string platformCode, string period);

    void Discard(string fileSha256, string platformCode, string period);
}

/// <summary>Rows being staged; dropped on dispose unless <see cref="CompleteAsync"/> ran.</summary>
public interface IStagedRowsWriter : IAsyncDisposable
{
    void Add(LoanTapeRow row);

    Task CompleteAsync(long validRows);
}

/// <summary>
/// Writes the loan rows of one signed version inside the unit of work's current transaction, the fastest way the
/// provider allows (chosen once at DI time: SQLite prepared batched INSERTs, SQL Server SqlBulkCopy), and records on
/// the submission the key range they occupy (the caller saves the submission).
/// </summary>
public interface ILoanRecordWriter
{
    Task<long> WriteVersionAsync(IPortalDb db, LoanSubmission submission, IAsyncEnumerable<LoanRecord> rows, CancellationToken ct);
}
