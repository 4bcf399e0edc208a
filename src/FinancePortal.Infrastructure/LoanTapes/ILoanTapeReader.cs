using FinancePortal.Application.Features.LoanTapes;

namespace FinancePortal.Infrastructure.LoanTapes;

/// <summary>Reads the records of a loan-tape file (header first) into a reused <see cref="RawRow"/>.</summary>
internal interface ILoanTapeReader : IDisposable
{
    /// <summary>Fills <paramref name="row"/> with the next record; false at the end of the file.</summary>
    ValueTask<bool> ReadAsync(RawRow row, CancellationToken ct);

    /// <summary>Starts again from the first record (the checker reads a file twice: syntax, then rules).</summary>
    ValueTask RewindAsync(CancellationToken ct);
}

/// <summary>The file cannot be read at all; carries the syntactical edit that says why.</summary>
internal sealed class LoanTapeUnreadableException(EditRule rule, params object?[] args) : Exception(rule.Format(args))
{
    public EditRule Rule { get; } = rule;
}
