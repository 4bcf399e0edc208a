using System.Runtime.CompilerServices;
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

    /// <summary>
    /// Characters of shared strings an XLSX keeps in memory; past this they all move to a memory-mapped temporary file
    /// (<see cref="SharedStringStore"/>). Default 4 M characters (8 MB), about 400,000 loan ids.
    /// </summary>
    public long SharedStringsInMemoryChars { get; init; } = 4L << 20;
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
/// Checks a loan-tape file (CSV or XLSX) with the edits of <see cref="EditRules"/>, streaming, in ONE read of the file.
/// Syntactical edits (encoding, header, field counts, platform, month) run on every row; the row rules run alongside,
/// but what they find (and the valid rows, when asked for) is held back in temporary files until the end of the file
/// shows that the syntax is clean, and dropped otherwise: the filer sees the same findings, in the same order, as if
/// the file had been read twice (syntax first, row rules only when the syntax passed). Memory stays flat as files
/// grow: nothing per row is kept in memory. The two edits that compare rows with each other are exact but work from
/// disk: the loan ids (V02, duplicates) and the borrowers' principal (Q05, running totals) are spread over
/// <see cref="PartitionSpool.Count"/> hash partitions in a temporary file while the file is read, and each partition
/// is then checked on its own in memory (a partition holds about 1/64 of the keys); the results are merged back into
/// row order, so findings come out exactly as a single in-memory pass (<see cref="LoanTapeValidator.Validate"/>)
/// gives them. Macro edits run at the end.
/// </summary>
public sealed class LoanTapeChecker(LoanTapeLimits? limits = null)
{
    private const int ProgressEvery = 1_000;
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private readonly LoanTapeLimits _limits = limits ?? new LoanTapeLimits();

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
        return RunAsync(content, fileName, platformCode, period, previous, onValidRow, null, qualityEdits: true, onFinding, rowsProgress, ct);
    }

    /// <summary>
    /// Like <see cref="CheckAsync"/>, and also hands every row that passed its own edits to
    /// <paramref name="onProvisionalRow"/> while the file is read (before the syntax verdict and before duplicates are
    /// known). When the summary has no blocking errors, those rows are exactly the valid rows, in file order; otherwise
    /// they must be thrown away. Used to stage a clean file's rows for signing during the check.
    /// </summary>
    internal Task<LoanTapeCheckSummary> CheckAndStageAsync(
        Stream content, string fileName, string platformCode, string period, MonthFigures? previous,
        Func<LoanTapeRow, ValueTask> onProvisionalRow, Func<Finding, ValueTask> onFinding, IProgress<long>? rowsProgress, CancellationToken ct) =>
        RunAsync(content, fileName, platformCode, period, previous, null, onProvisionalRow, qualityEdits: true, onFinding, rowsProgress, ct);

    /// <summary>
    /// Reads the valid rows of a file that was already checked (signing when no staged rows are at hand): syntactical
    /// and validity edits run and their findings are only counted; the quality edits (warnings, already confirmed) are
    /// skipped, and with them the borrower totals. Macro edits still run (counted). When the summary has blocking
    /// errors, the rows already delivered must be discarded (write them in a transaction and roll it back).
    /// </summary>
    public Task<LoanTapeCheckSummary> ReadValidRowsAsync(
        Stream content, string fileName, string platformCode, string period, Func<LoanTapeRow, ValueTask> onValidRow, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(onValidRow);
        return RunAsync(content, fileName, platformCode, period, null, onValidRow, null, qualityEdits: false, onFinding: null, rowsProgress: null, ct);
    }

    private async Task<LoanTapeCheckSummary> RunAsync(
        Stream content,
        string fileName,
        string platformCode,
        string period,
        MonthFigures? previous,
        Func<LoanTapeRow, ValueTask>? onValidRow,
        Func<LoanTapeRow, ValueTask>? onProvisionalRow,
        bool qualityEdits,
        Func<Finding, ValueTask>? onFinding,
        IProgress<long>? rowsProgress,
        CancellationToken ct)
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
        ILoanTapeReader? reader = null;
        RowRules? rules = null;
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
            rules = new RowRules(validator, qualityEdits, keepRows: onValidRow is not null);
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
        catch (LoanTapeUnreadableException e)
        {
            await run.AddAsync(new Finding(e.Rule.Code, null, null, null, null, e.Message));
            return run.Summary(null);
        }
        finally
        {
            rules?.Dispose();
            reader?.Dispose();
        }
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ValueTask<long?> ReadNonBlankAsync(ILoanTapeReader reader, RawRow row, CancellationToken ct)
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

    private static async ValueTask<long?> ReadNonBlankAsync(ValueTask<bool> pending, ILoanTapeReader reader, RawRow row, CancellationToken ct)
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
}
