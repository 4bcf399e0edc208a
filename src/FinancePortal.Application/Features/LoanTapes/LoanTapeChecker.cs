using System.Runtime.CompilerServices;
namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// What a check found, in totals (the findings themselves are streamed to the caller): blocking and warning counts are
/// counted where the findings are made. <see cref="Figures"/> is null when the file has blocking errors.
/// </summary>
public sealed record LoanTapeSummary(
    string RuleSetVersion,
    int RowsRead,
    int ValidRows,
    IReadOnlyDictionary<string, int> FindingsByCode,
    int BlockingFindings,
    int WarningFindings,
    MonthFigures? Figures)
{
    public bool HasBlockingErrors => BlockingFindings > 0;

    public bool HasWarnings => WarningFindings > 0;
}

/// <summary>
/// Checks a loan-tape file (CSV or XLSX) with the edits of <see cref="EditRules"/>, streaming, in ONE read of the file.
/// Syntactical edits (encoding, header, field counts, platform, month) run on every row; the row rules run alongside,
/// but what they find (and the valid rows, when asked for) is held back in temporary files until the end of the file
/// shows that the syntax is clean, and dropped otherwise: the filer sees the same findings, in the same order, as if
/// the file had been read twice (syntax first, row rules only when the syntax passed). Memory stays flat as files
/// grow: nothing per row is kept in memory. The two edits that compare rows with each other are exact but work from
/// disk: the loan ids (V02, duplicates) and the borrowers' principal (Q05, running totals) are spread over
/// <see cref="PartitionSpool.Count"/> hash partitions in a temporary file while the file is read, and each partition
/// is then checked on its own in memory (a partition holds about 1/64 of the keys); the results are merged back into
/// row order, so findings come out exactly as a single in-memory pass 
/// gives them. Macro edits run at the end. The file's format is opened through <see cref="ILoanTapeFormats"/>;
/// the temporary files come from <see cref="ISpillStore"/>.
/// </summary>
public sealed class LoanTapeChecker(ILoanTapeFormats formats, ISpillStore spill)
{
    private const int ProgressEvery = 1_000;

    /// <param name="content">The file; must be seekable (spool an upload to a temporary file first). Not closed.</param>
    /// <param name="fileName">The uploaded file name; its extension (.csv, .xlsx) chooses the reader.</param>
    /// <param name="platformCode">The submitting platform's code.</param>
    /// <param name="period">The submission period, YYYY-MM.</param>
    /// <param name="previous">The previous month's figures (from its summary), or null when there is none.</param>
    /// <param name="onValidRow">
    /// Called for each row without validity errors, in file order, after the findings, or null when the rows are not
    /// needed. Never called when the file has syntactical errors. Rows arrive before the summary is returned: when it
    /// has blocking errors, discard them (stage rows in a transaction or a staging table and commit only on a clean
    /// summary).
    /// </param>
    /// <param name="onFinding">Called for each finding, in the order of the edits (syntactical, then row by row, then macro).</param>
    /// <param name="rowsProgress">Receives the number of data rows checked by the row rules, every 1,000 rows and at the end.</param>
    public Task<LoanTapeSummary> CheckAsync(
        Stream content, string fileName, string platformCode, string period, MonthFigures? previous, Func<LoanTapeRow, ValueTask>? onValidRow,
        Func<Finding, ValueTask> onFinding, IProgress<long>? rowsProgress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(onFinding);
        return RunAsync(content, fileName, platformCode, period, previous, onValidRow, null, qualityEdits: true, onFinding, rowsProgress, ct);
    }

    /// <summary>
    /// Like <see cref="CheckAsync"/>, and also hands every row that passed its own edits to
    /// <paramref name="onProvisionalRow"/> while the file is read (before the syntax verdict and before duplicates are
    /// known). When the summary has no blocking errors, those rows are exactly the valid rows, in file order; otherwise
    /// they must be thrown away. Used to stage a clean file's rows for signing during the check.
    /// </summary>
    public Task<LoanTapeSummary> CheckAndStageAsync(
        Stream content, string fileName, string platformCode, string period, MonthFigures? previous,
        Func<LoanTapeRow, ValueTask> onProvisionalRow, Func<Finding, ValueTask> onFinding, IProgress<long>? rowsProgress, CancellationToken ct) =>
        RunAsync(content, fileName, platformCode, period, previous, null, onProvisionalRow, qualityEdits: true, onFinding, rowsProgress, ct);

    /// <summary>
    /// Reads the valid rows of a file that was already checked (signing when no staged rows are at hand): syntactical
    /// and validity edits run and their findings are only counted; the quality edits (warnings, already confirmed) are
    /// skipped, and with them the borrower totals. Macro edits still run (counted). When the summary has blocking
    /// errors, the rows already delivered must be discarded (write them in a transaction and roll it back).
    /// </summary>
    public Task<LoanTapeSummary> ReadValidRowsAsync(
        Stream content, string fileName, string platformCode, string period, Func<LoanTapeRow, ValueTask> onValidRow, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(onValidRow);
        return RunAsync(content, fileName, platformCode, period, null, onValidRow, null, qualityEdits: false, onFinding: null, rowsProgress: null, ct);
    }

    private async Task<LoanTapeSummary> RunAsync(
        Stream content, string fileName, string platformCode, string period, MonthFigures? previous, Func<LoanTapeRow, ValueTask>? onValidRow,
        Func<LoanTapeRow, ValueTask>? onProvisionalRow, bool qualityEdits, Func<Finding, ValueTask>? onFinding, IProgress<long>? rowsProgress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek)
        {
            throw new ArgumentException("The loan tape stream must be seekable: spool the upload to a temporary file first.", nameof(content));
        }

        var validator = new LoanTapeValidator(platformCode, period, previous, qualityEdits);
        var run = new Run(onFinding);
        var row = new RawRow();
        var found = new List<Finding>();
        ILoanTapeRows? reader = null;
        RowRules? rules = null;
        try
        {
            reader = await formats.OpenAsync(content, fileName, ct);
            if (await ReadNonBlankAsync(reader, row, ct) is not { } headerIndex)
            {
                await run.AddAsync(new Finding(EditRules.S06.Code, null, null, null, null, EditRules.S06.Message));
                return run.Summary(null);
            }

            var rowsCanBeChecked = validator.CheckHeader(row, found);
            await run.AddAllAsync(found);
            if (!rowsCanBeChecked || run.HasBlocking)
            {
                // The header alone fails: the rows still get their syntactical edits, never the row rules.
                while (rowsCanBeChecked && await ReadNonBlankAsync(reader, row, ct) is { } index)
                {
                    run.RowsRead++;
                    validator.CheckSyntax(RowNumber(index, headerIndex), row, found);
                    await run.AddAllAsync(found);
                }

                if (rowsCanBeChecked)
                {
                    validator.EndSyntax(found);
                    await run.AddAllAsync(found);
                }

                return run.Summary(null);
            }

            // One pass: syntactical edits on every row; row rules alongside, their output held back until the verdict.
            rules = new RowRules(validator, spill, qualityEdits, keepRows: onValidRow is not null);
            while (await ReadNonBlankAsync(reader, row, ct) is { } index)
            {
                run.RowsRead++;
                var rowNumber = RowNumber(index, headerIndex);
                validator.CheckSyntax(rowNumber, row, found);
                if (found.Count > 0)
                {
                    // The syntax fails: the row rules will not count, whatever they found so far.
                    await run.AddAllAsync(found);
                    rules?.Dispose();
                    rules = null;
                    continue;
                }

                if (rules is null)
                {
                    continue;
                }

                var loan = rules.Add(rowNumber, row, found);
                found.Clear();
                if (loan is not null && onProvisionalRow is not null)
                {
                    await onProvisionalRow(loan);
                }

                if (rules.Rows % ProgressEvery == 0)
                {
                    rowsProgress?.Report(rules.Rows);
                }
            }

            validator.EndSyntax(found);
            await run.AddAllAsync(found);
            if (run.HasBlocking || rules is null)
            {
                return run.Summary(null);
            }

            rowsProgress?.Report(rules.Rows);
            await rules.FinishAsync(run, onValidRow, ct);
            validator.Finish(found);
            await run.AddAllAsync(found);
            return run.Summary(run.HasBlocking ? null : validator.Figures);
        }
        catch (Exception e) when (formats.UnreadableRule(e) is { } rule)
        {
            await run.AddAsync(new Finding(rule.Code, null, null, null, null, e.Message));
            return run.Summary(null);
        }
        finally
        {
            rules?.Dispose();
            reader?.Dispose();
        }
    }

    /// <summary>Reads the next record that has any content; returns its index in the file, or null at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ValueTask<long?> ReadNonBlankAsync(ILoanTapeRows reader, RawRow row, CancellationToken ct)
    {
        // Synchronous while the reader has rows buffered (nearly always): no async state machine per row.
        while (true)
        {
            var next = reader.ReadAsync(row, ct);
            if (!next.IsCompletedSuccessfully)
            {
                return ReadNonBlankAsync(next, reader, row, ct);
            }

            if (!next.Result)
            {
                return new ValueTask<long?>((long?)null);
            }

            ct.ThrowIfCancellationRequested();
            if (!row.IsBlank)
            {
                return new ValueTask<long?>(row.Index);
            }
        }
    }

    private static async ValueTask<long?> ReadNonBlankAsync(ValueTask<bool> pending, ILoanTapeRows reader, RawRow row, CancellationToken ct)
    {
        if (!await pending)
        {
            return null;
        }

        ct.ThrowIfCancellationRequested();
        return row.IsBlank ? await ReadNonBlankAsync(reader, row, ct) : row.Index;
    }

    /// <summary>1-based data row: blank lines keep their number so rows match what the filer sees in the file.</summary>
    private static int RowNumber(long index, long headerIndex) => checked((int)(index - headerIndex));

    /// <summary>Counts findings per code and hands them to the caller (if it wants them).</summary>
    private sealed class Run(Func<Finding, ValueTask>? onFinding) : IFindingSink
    {
        private readonly Dictionary<string, int> _counts = [];
        private int _blocking;
        private int _warnings;

        public int RowsRead { get; set; }

        public int ValidRows { get; set; }

        public bool HasBlocking => _blocking > 0;

        public ValueTask AddAsync(Finding finding)
        {
            Count(finding.Code, 1);
            return onFinding?.Invoke(finding) ?? ValueTask.CompletedTask;
        }

        public void Count(string code, int count)
        {
            _counts[code] = _counts.GetValueOrDefault(code) + count;
            if (EditRules.Get(code).IsBlocking)
            {
                _blocking += count;
            }
            else
            {
                _warnings += count;
            }
        }

        /// <summary>Adds the findings and empties the list.</summary>
        public async ValueTask AddAllAsync(List<Finding> findings)
        {
            foreach (var finding in findings)
            {
                await AddAsync(finding);
            }

            findings.Clear();
        }

        public LoanTapeSummary Summary(MonthFigures? figures) =>
            new(EditRules.RuleSetVersion, RowsRead, ValidRows, new Dictionary<string, int>(_counts), _blocking, _warnings, figures);
    }
}
