using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// The row rules of one check, with memory that does not grow with the file: each row's own edits run at once
/// (<see cref="LoanTapeValidator.ValidateDeferred"/>); their findings, and the rows when the caller wants them, go to
/// sequential temporary files; loan ids and borrowers' principal go to hash-partitioned temporary files. At the end
/// (<see cref="FinishAsync"/>) each partition is checked exactly in memory on its own (duplicates: V02; borrower
/// running totals over the valid rows: Q05), and the findings are replayed in row order with the partition results
/// merged in, as one in-memory pass would have reported them row by row.
/// </summary>
internal sealed class RowRules : IDisposable
{
    private const int MaxKeyBytes = 1 + (2 * LoanTapeFormat.MaxTextLength);

    private readonly LoanTapeValidator _validator;
    private readonly ISpillStore _spill;
    private readonly PartitionSpool _loanIds;
    private readonly PartitionSpool? _borrowers;
    private readonly SequentialSpool? _rows;
    private SequentialSpool? _findings;
    private int _locallyValid;
    private ulong[]? _duplicateRows;

    public RowRules(LoanTapeValidator validator, ISpillStore spill, bool qualityEdits, bool keepRows)
    {
        _validator = validator;
        _spill = spill;
        _loanIds = new PartitionSpool(spill);
        _borrowers = qualityEdits ? new PartitionSpool(spill) : null;
        _rows = keepRows ? new SequentialSpool(spill) : null;
    }

    /// <summary>Rows the row rules have seen.</summary>
    public int Rows { get; private set; }

    /// <summary>Runs the row's own edits; returns the row when it passed them (it is valid unless its loan id is a duplicate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LoanTapeRow? Add(int rowNumber, RawRow raw, List<Finding> found)
    {
        Rows++;
        var loan = _validator.ValidateDeferred(rowNumber, raw, found, out var loanId);
        if (found.Count > 0)
        {
            _findings ??= new SequentialSpool(_spill);
            foreach (var finding in found)
            {
                SpoolCodec.WriteFinding(_findings.Writer, finding);
            }

            _findings.Count += found.Count;
        }

        if (loanId is not null)
        {
            var partition = PartitionSpool.PartitionOf(loanId);
            var record = _loanIds.Reserve(partition, 5 + 1 + MaxKeyBytes);
            var length = WriteVarInt(record, rowNumber);
            record[length++] = loan is null ? (byte)0 : (byte)1;
            length += WriteKey(record[length..], loanId);
            _loanIds.Commit(partition, length);
        }

        if (loan is not null)
        {
            _locallyValid++;

            // Counted now: exact when no loan id repeats; a repeat is a blocking error and then the figures are not used.
            _validator.Accept(loan);
            if (_borrowers is not null)
            {
                var partition = PartitionSpool.PartitionOf(loan.BorrowerRef);
                var record = _borrowers.Reserve(partition, 5 + 16 + (2 * MaxKeyBytes));
                var length = WriteVarInt(record, rowNumber);
                var principal = loan.Principal;
                MemoryMarshal.Write(record[length..], in principal);
                length += 16;
                length += WriteKey(record[length..], loan.BorrowerRef);
                length += WriteKey(record[length..], loan.LoanId);
                _borrowers.Commit(partition, length);
            }

            if (_rows is not null)
            {
                SpoolCodec.WriteRow(_rows.Writer, loan);
                _rows.Count++;
            }
        }

        return loan;
    }

    /// <summary>Finds duplicates and borrower totals partition by partition, then replays findings and rows in row order.</summary>
    public async Task FinishAsync(IFindingSink run, Func<LoanTapeRow, ValueTask>? onValidRow, CancellationToken ct)
    {
        using var duplicates = new RunSpool(_spill);
        var validDuplicates = FindDuplicates(duplicates, ct);
        run.ValidRows = _locallyValid - validDuplicates;
        using var totals = _borrowers is not null ? new RunSpool(_spill) : null;
        if (totals is not null)
        {
            FindBorrowerTotals(totals, ct);
        }

        await ReplayFindingsAsync(run, duplicates, totals, ct);
        if (_rows is not null && onValidRow is not null)
        {
            using var reader = _rows.Rewind();
            for (long i = 0; i < _rows.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var loan = SpoolCodec.ReadRow(reader, _validator.PlatformCode, _validator.Period);
                if (!IsDuplicate(loan.RowNumber))
                {
                    await onValidRow(loan);
                }
            }
        }
    }

    public void Dispose()
    {
        _loanIds.Dispose();
        _borrowers?.Dispose();
        _rows?.Dispose();
        _findings?.Dispose();
    }

    /// <summary>Second and later rows of each loan id, partition by partition (each run in row order); returns how many of them had passed their own edits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int FindDuplicates(RunSpool duplicates, CancellationToken ct)
    {
        var validDuplicates = 0;
        Span<char> key = stackalloc char[LoanTapeFormat.MaxTextLength];
        for (var partition = 0; partition < PartitionSpool.Count; partition++)
        {
            ct.ThrowIfCancellationRequested();
            var seen = new CompactKeyTable();
            foreach (var chunk in _loanIds.Read(partition))
            {
                var data = chunk.Span;
                for (var at = 0; at < data.Length;)
                {
                    var row = ReadVarInt(data, ref at);
                    var valid = data[at++] == 1;
                    var loanId = ReadKey(data, ref at, key);
                    if (seen.Add(loanId))
                    {
                        continue;
                    }

                    duplicates.Writer.Write7BitEncodedInt(row);
                    duplicates.Writer.Write(valid);
                    SpoolCodec.WriteText(duplicates.Writer, loanId.ToString());
                    duplicates.Added();
                    MarkDuplicate(row);
                    validDuplicates += valid ? 1 : 0;
                }
            }

            duplicates.EndRun();
        }

        return validDuplicates;
    }

    /// <summary>Q05 per borrower partition: running totals of principal over the valid rows, in row order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FindBorrowerTotals(RunSpool totals, CancellationToken ct)
    {
        Span<char> borrower = stackalloc char[LoanTapeFormat.MaxTextLength];
        Span<char> loanId = stackalloc char[LoanTapeFormat.MaxTextLength];
        for (var partition = 0; partition < PartitionSpool.Count; partition++)
        {
            ct.ThrowIfCancellationRequested();
            var sums = new CompactKeyTable(withValues: true);
            foreach (var chunk in _borrowers!.Read(partition))
            {
                var data = chunk.Span;
                for (var at = 0; at < data.Length;)
                {
                    var row = ReadVarInt(data, ref at);
                    var principal = MemoryMarshal.Read<decimal>(data[at..]);
                    at += 16;
                    var borrowerRef = ReadKey(data, ref at, borrower);
                    var loan = ReadKey(data, ref at, loanId);
                    if (IsDuplicate(row))
                    {
                        continue;
                    }

                    var total = sums.GetValueOrDefault(borrowerRef) + principal;
                    sums.Set(borrowerRef, total);
                    if (LoanTapeValidator.PassesBorrowerLimit(total, principal))
                    {
                        totals.Writer.Write7BitEncodedInt(row);
                        SpoolCodec.WriteText(totals.Writer, loan.ToString());
                        SpoolCodec.WriteText(totals.Writer, borrowerRef.ToString());
                        SpoolCodec.WriteDecimal(totals.Writer, total);
                        totals.Added();
                    }
                }
            }

            totals.EndRun();
        }
    }

    /// <summary>
    /// The row findings in row order: for each row its own validity findings and V02 when its loan id repeats an
    /// earlier row's; for a valid row its quality findings and Q05 when its borrower's total passes the limit on it.
    /// </summary>
    private async Task ReplayFindingsAsync(IFindingSink run, RunSpool duplicates, RunSpool? totals, CancellationToken ct)
    {
        using var log = _findings?.Rewind();
        var logged = _findings?.Count ?? 0;
        using var repeats = duplicates.Merge(r => (Valid: r.ReadBoolean(), LoanId: SpoolCodec.ReadText(r))).GetEnumerator();
        using var passes = (totals?.Merge(r => (LoanId: SpoolCodec.ReadText(r), BorrowerRef: SpoolCodec.ReadText(r), Total: SpoolCodec.ReadDecimal(r)))
                            ?? []).GetEnumerator();
        var nextFinding = logged-- > 0 ? SpoolCodec.ReadFinding(log!) : null;
        var hasRepeat = repeats.MoveNext();
        var hasPass = passes.MoveNext();
        var rowFindings = new List<Finding>();
        while (nextFinding is not null || hasRepeat || hasPass)
        {
            ct.ThrowIfCancellationRequested();
            var row = Math.Min(nextFinding?.Row ?? int.MaxValue, Math.Min(hasRepeat ? repeats.Current.Row : int.MaxValue, hasPass ? passes.Current.Row : int.MaxValue));
            rowFindings.Clear();
            while (nextFinding is not null && nextFinding.Row == row)
            {
                rowFindings.Add(nextFinding);
                nextFinding = logged-- > 0 ? SpoolCodec.ReadFinding(log!) : null;
            }

            // A row's own findings are either validity findings (it failed) or quality findings (it passed).
            var failedOwnEdits = rowFindings.Count > 0 && rowFindings[0].IsBlocking;
            var repeated = hasRepeat && repeats.Current.Row == row;
            if (failedOwnEdits || !repeated)
            {
                foreach (var finding in rowFindings)
                {
                    await run.AddAsync(finding);
                }
            }

            if (repeated)
            {
                await run.AddAsync(_validator.Duplicate(row, repeats.Current.Record.LoanId));
                hasRepeat = repeats.MoveNext();
            }

            if (hasPass && passes.Current.Row == row)
            {
                var (loanId, borrowerRef, total) = passes.Current.Record;
                await run.AddAsync(LoanTapeValidator.BorrowerTotal(row, loanId, borrowerRef, total));
                hasPass = passes.MoveNext();
            }
        }
    }

    private bool IsDuplicate(int row) =>
        _duplicateRows is { } bits && (row >> 6) < bits.Length && (bits[row >> 6] & (1UL << (row & 63))) != 0;

    private void MarkDuplicate(int row)
    {
        var word = row >> 6;
        if (_duplicateRows is null || word >= _duplicateRows.Length)
        {
            Array.Resize(ref _duplicateRows, Math.Max(word + 1, (_duplicateRows?.Length ?? 0) * 2));
        }

        _duplicateRows[word] |= 1UL << (row & 63);
    }

    private static int WriteVarInt(Span<byte> target, int value)
    {
        var n = 0;
        var v = (uint)value;
        while (v >= 0x80)
        {
            target[n++] = (byte)(v | 0x80);
            v >>= 7;
        }

        target[n++] = (byte)v;
        return n;
    }

    private static int ReadVarInt(ReadOnlySpan<byte> data, ref int at)
    {
        uint value = 0;
        var shift = 0;
        byte b;
        do
        {
            b = data[at++];
            value |= (uint)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return (int)value;
    }

    /// <summary>A key of at most 64 characters: a length byte (high bit set when not ASCII), then one byte per ASCII character or two per UTF-16 unit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteKey(Span<byte> target, string key)
    {
        if (Ascii.IsValid(key))
        {
            target[0] = (byte)key.Length;
            Ascii.FromUtf16(key, target[1..], out _);
            return 1 + key.Length;
        }

        target[0] = (byte)(0x80 | key.Length);
        MemoryMarshal.AsBytes(key.AsSpan()).CopyTo(target[1..]);
        return 1 + (2 * key.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<char> ReadKey(ReadOnlySpan<byte> data, ref int at, Span<char> buffer)
    {
        var head = data[at++];
        var length = head & 0x7F;
        if ((head & 0x80) == 0)
        {
            Ascii.ToUtf16(data.Slice(at, length), buffer, out _);
            at += length;
            return buffer[..length];
        }

        MemoryMarshal.Cast<byte, char>(data.Slice(at, 2 * length)).CopyTo(buffer);
        at += 2 * length;
        return buffer[..length];
    }
}

/// <summary>Where the row rules hand their findings and valid-row count.</summary>
internal interface IFindingSink
{
    int ValidRows { get; set; }

    ValueTask AddAsync(Finding finding);
}
