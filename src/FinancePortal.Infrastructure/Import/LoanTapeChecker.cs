using FinancePortal.Application.Features.Submissions;

namespace FinancePortal.Infrastructure.Import;

/// <summary>Limits that protect the XLSX reader from zip bombs (checked on the zip directory before reading).</summary>
public sealed record LoanTapeLimits
{
    /// <summary>
    /// Total declared uncompressed size of all zip entries; default 2 GiB (a full Excel sheet, 1,048,576 rows of 17
    /// columns, is about 1 GB of XML).
    /// </summary>
    public long MaxUncompressedBytes { get; init; } = 2L << 30;

    /// <summary>
    /// Largest uncompressed / compressed ratio of one entry; default 250. Real sheets are 5-30, a very repetitive
    /// generated one about 100; a deflate bomb is about 1,000.
    /// </summary>
    public int MaxCompressionRatio { get; init; } = 250;

    /// <summary>Entries smaller than this are not ratio-checked (tiny parts compress oddly); default 1 MiB.</summary>
    public long RatioCheckMinBytes { get; init; } = 1L << 20;
}

/// <summary>The outcome of one check. <see cref="Figures"/> is null when the file has blocking errors.</summary>
public sealed record LoanTapeCheckSummary(
    string RuleSetVersion,
    int RowsRead,
    int ValidRows,
    IReadOnlyDictionary<string, int> FindingsByCode,
    bool HasBlockingErrors,
    bool HasWarnings,
    MonthFigures? Figures);

/// <summary>
/// Checks a loan-tape file (CSV or XLSX) with the edits of <see cref="EditRules"/>, streaming. Syntactical edits
/// (encoding, header, field counts, platform, month) run on every row; the validity and quality edits run in the same
/// pass, but what they find (and the valid rows, when asked for) is held back until the end of the file shows that the
/// syntax is clean, and dropped otherwise: the filer sees the same findings, in the same order, as if the file had been
/// read twice (syntax first, row rules only when the syntax passed). What is held back is bounded
/// (<see cref="HeldBackLimit"/> findings and rows); past it, the row rules stop and run in a second pass after the
/// syntax verdict, as before. Macro edits run at the end. Nothing per row is kept here, so memory stays flat as files
/// grow (the validator keeps only what duplicate detection needs).
/// </summary>
public sealed class LoanTapeChecker(LoanTapeLimits? limits = null)
{
    /// <summary>Findings plus rows held back in the single pass before the second pass takes over.</summary>
    public const int HeldBackLimit = 10_000;

    private const int ProgressEvery = 1_000;
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private readonly LoanTapeLimits _limits = limits ?? new LoanTapeLimits();

    /// <param name="content">The file; must be seekable (spool an upload to a temporary file first). Not closed.</param>
    /// <param name="fileName">The uploaded file name; its extension (.csv, .xlsx) chooses the reader.</param>
    /// <param name="platformCode">The submitting platform's code.</param>
    /// <param name="period">The submission period, YYYY-MM.</param>
    /// <param name="previous">The previous month's figures (from its summary), or null when there is none.</param>
    /// <param name="onValidRow">
    /// Called for each row without validity errors, in file order, or null when the rows are not needed (a check
    /// without a commit: then the file is read once whatever it contains). Never called when the file has
    /// syntactical errors. Rows arrive before the outcome of the whole file is known: when the summary has blocking
    /// errors, discard them (stage rows in a transaction or a staging table and commit only on a clean summary).
    /// </param>
    /// <param name="onFinding">Called for each finding, in the order of the edits (syntactical, then row by row, then macro).</param>
    /// <param name="rowsProgress">Receives the number of data rows checked by the row rules, every 1,000 rows and at the end.</param>
    public Task<LoanTapeCheckSummary> CheckAsync(
        Stream content,
        string fileName,
        string platformCode,
        string period,
        MonthFigures? previous,
        Func<LoanTapeRow, ValueTask>? onValidRow,
        Func<Finding, ValueTask> onFinding,
        IProgress<long>? rowsProgress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(onFinding);
        return RunAsync(content, fileName, platformCode, period, previous, onValidRow, rowsBeforeVerdict: false, onFinding, rowsProgress, ct);
    }

    /// <summary>
    /// Reads the valid rows of a file that was already checked (signing), in ONE pass: syntactical and validity edits
    /// run together and their findings are only counted; the quality edits (warnings, already confirmed) are skipped,
    /// and with them the borrower totals. Macro edits still run (counted). Rows are handed over as soon as they pass their own edits, so a file
    /// that turns out to have blocking errors (the summary says so) has already delivered some: the caller must write
    /// them in a transaction and roll it back in that case.
    /// </summary>
    public Task<LoanTapeCheckSummary> ReadValidRowsAsync(
        Stream content, string fileName, string platformCode, string period, Func<LoanTapeRow, ValueTask> onValidRow, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(onValidRow);
        return RunAsync(content, fileName, platformCode, period, null, onValidRow, rowsBeforeVerdict: true, onFinding: null, rowsProgress: null, ct);
    }

    private async Task<LoanTapeCheckSummary> RunAsync(
        Stream content,
        string fileName,
        string platformCode,
        string period,
        MonthFigures? previous,
        Func<LoanTapeRow, ValueTask>? onValidRow,
        bool rowsBeforeVerdict,
        Func<Finding, ValueTask>? onFinding,
        IProgress<long>? rowsProgress,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek)
        {
            throw new ArgumentException("The loan tape stream must be seekable: spool the upload to a temporary file first.", nameof(content));
        }

        // Rows for a commit need no warnings: without the quality edits there are no borrower totals to keep either.
        var qualityEdits = !rowsBeforeVerdict;
        var validator = new LoanTapeValidator(platformCode, period, previous, qualityEdits);
        var run = new Run(onFinding);
        var row = new RawRow();
        var found = new List<Finding>();
        ILoanTapeReader? reader = null;
        try
        {
            reader = await OpenAsync(content, fileName, ct);
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
            var heldBack = new HeldBack(keepFindings: onFinding is not null, keepRows: onValidRow is not null && !rowsBeforeVerdict);
            var validating = true;
            var validatedRows = 0;
            while (await ReadNonBlankAsync(reader, row, ct) is { } index)
            {
                run.RowsRead++;
                var rowNumber = RowNumber(index, headerIndex);
                validator.CheckSyntax(rowNumber, row, found);
                if (found.Count > 0)
                {
                    // The syntax fails: the row rules will not count, whatever they found so far.
                    await run.AddAllAsync(found);
                    validating = false;
                    heldBack.Clear();
                    run.ValidRows = 0;
                    continue;
                }

                if (!validating)
                {
                    continue;
                }

                var loan = validator.Validate(rowNumber, row, found);
                validatedRows++;
                if (loan is not null)
                {
                    run.ValidRows++;
                }

                if (!heldBack.TryAdd(found, rowsBeforeVerdict ? null : loan))
                {
                    // Too much to hold back: the row rules run again in a second pass once the syntax is known to pass.
                    validating = false;
                    heldBack.Clear();
                }
                else if (rowsBeforeVerdict && loan is not null)
                {
                    await onValidRow!(loan);
                }

                found.Clear();
                if (validating && validatedRows % ProgressEvery == 0)
                {
                    rowsProgress?.Report(validatedRows);
                }
            }

            validator.EndSyntax(found);
            await run.AddAllAsync(found);
            if (run.HasBlocking)
            {
                return run.Summary(null);
            }

            if (!validating)
            {
                validator = new LoanTapeValidator(platformCode, period, previous, qualityEdits);
                await SecondPassAsync(reader, validator, row, run, onValidRow, rowsProgress, validatedRows, ct);
            }
            else
            {
                await heldBack.ReleaseAsync(run, onValidRow, ct);
                rowsProgress?.Report(run.RowsRead);
            }

            validator.Finish(found);
            await run.AddAllAsync(found);
            return run.Summary(run.HasBlocking ? null : validator.Figures);
        }
        catch (LoanTapeUnreadableException e)
        {
            await run.AddAsync(new Finding(e.Rule.Code, null, null, null, null, e.Message));
            return run.Summary(null);
        }
        finally
        {
            reader?.Dispose();
        }
    }

    /// <summary>The row rules again from the first row, for a file whose single pass held back too much.</summary>
    private static async Task SecondPassAsync(ILoanTapeReader reader, LoanTapeValidator validator, RawRow row, Run run,
        Func<LoanTapeRow, ValueTask>? onValidRow, IProgress<long>? rowsProgress, int alreadyReported, CancellationToken ct)
    {
        var found = new List<Finding>();
        await reader.RewindAsync(ct);
        var headerIndex = (await ReadNonBlankAsync(reader, row, ct))!.Value;
        validator.CheckHeader(row, found);
        found.Clear();
        run.RowsRead = 0;
        run.ValidRows = 0;
        while (await ReadNonBlankAsync(reader, row, ct) is { } index)
        {
            run.RowsRead++;
            var loan = validator.Validate(RowNumber(index, headerIndex), row, found);
            await run.AddAllAsync(found);
            if (loan is not null)
            {
                run.ValidRows++;
                if (onValidRow is not null)
                {
                    await onValidRow(loan);
                }
            }

            if (run.RowsRead % ProgressEvery == 0 && run.RowsRead > alreadyReported)
            {
                rowsProgress?.Report(run.RowsRead);
            }
        }

        rowsProgress?.Report(run.RowsRead);
    }

    private async ValueTask<ILoanTapeReader> OpenAsync(Stream content, string fileName, CancellationToken ct)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is not (".csv" or ".xlsx" or ".xls"))
        {
            throw new LoanTapeUnreadableException(EditRules.S01);
        }

        var origin = content.Position;
        var head = new byte[8];
        var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        content.Position = origin;
        if ((read == head.Length && head.AsSpan().SequenceEqual(OleSignature)) || extension == ".xls")
        {
            // An OLE compound file: a legacy .xls workbook, or an .xlsx encrypted with a password.
            throw new LoanTapeUnreadableException(EditRules.S03);
        }

        if (extension == ".xlsx")
        {
            if (read < 4 || head[0] != (byte)'P' || head[1] != (byte)'K' || head[2] != 3 || head[3] != 4)
            {
                throw new LoanTapeUnreadableException(EditRules.S02);
            }

            return XlsxLoanTapeReader.Open(content, _limits);
        }

        return await CsvLoanTapeReader.OpenAsync(content, ct);
    }

    /// <summary>Reads the next record that has any content; returns its index in the file, or null at the end.</summary>
    private static async ValueTask<long?> ReadNonBlankAsync(ILoanTapeReader reader, RawRow row, CancellationToken ct)
    {
        while (await reader.ReadAsync(row, ct))
        {
            ct.ThrowIfCancellationRequested();
            if (!row.IsBlank)
            {
                return row.Index;
            }
        }

        return null;
    }

    /// <summary>1-based data row: blank lines keep their number so rows match what the filer sees in the file.</summary>
    private static int RowNumber(long index, long headerIndex) => checked((int)(index - headerIndex));

    /// <summary>Counts findings per code and hands them to the caller (if it wants them).</summary>
    private sealed class Run(Func<Finding, ValueTask>? onFinding)
    {
        private readonly Dictionary<string, int> _counts = [];

        public int RowsRead { get; set; }

        public int ValidRows { get; set; }

        public bool HasBlocking { get; private set; }

        public bool HasWarnings { get; private set; }

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
                HasBlocking = true;
            }
            else
            {
                HasWarnings = true;
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

        public LoanTapeCheckSummary Summary(MonthFigures? figures) =>
            new(EditRules.RuleSetVersion, RowsRead, ValidRows, new Dictionary<string, int>(_counts), HasBlocking, HasWarnings, figures);
    }

    /// <summary>
    /// What the row rules produced before the syntax verdict: the findings (or only their counts when the caller does
    /// not want them) and the valid rows (when the caller wants them before the verdict is known, nothing is kept).
    /// </summary>
    private sealed class HeldBack(bool keepFindings, bool keepRows)
    {
        private readonly List<Finding> _findings = [];
        private readonly List<LoanTapeRow> _rows = [];
        private readonly Dictionary<string, int> _counts = [];

        /// <summary>False when holding these back would pass <see cref="HeldBackLimit"/>.</summary>
        public bool TryAdd(List<Finding> findings, LoanTapeRow? loan)
        {
            var rows = keepRows && loan is not null ? 1 : 0;
            if (keepFindings || keepRows)
            {
                var total = _findings.Count + _rows.Count + (keepFindings ? findings.Count : 0) + rows;
                if (total > HeldBackLimit)
                {
                    return false;
                }
            }

            foreach (var finding in findings)
            {
                if (keepFindings)
                {
                    _findings.Add(finding);
                }
                else
                {
                    _counts[finding.Code] = _counts.GetValueOrDefault(finding.Code) + 1;
                }
            }

            if (rows == 1)
            {
                _rows.Add(loan!);
            }

            return true;
        }

        public void Clear()
        {
            _findings.Clear();
            _rows.Clear();
            _counts.Clear();
        }

        public async ValueTask ReleaseAsync(Run run, Func<LoanTapeRow, ValueTask>? onValidRow, CancellationToken ct)
        {
            foreach (var (code, count) in _counts)
            {
                run.Count(code, count);
            }

            await run.AddAllAsync(_findings);
            if (onValidRow is not null)
            {
                foreach (var loan in _rows)
                {
                    ct.ThrowIfCancellationRequested();
                    await onValidRow(loan);
                }
            }

            Clear();
        }
    }
}
