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
/// Checks a loan-tape file (CSV or XLSX) with the edits of <see cref="EditRules"/>. The file is read twice, streaming:
/// a syntactical pass (encoding, header, field counts, platform, month), then, only if that pass found nothing, the
/// validity, quality and macro pass. Valid rows and findings go to the callbacks as they are found; nothing per row is
/// kept here, so memory stays flat as files grow (the validator keeps only loan ids and borrower totals).
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
    /// Called for each row without validity errors, in file order; never called when the file has syntactical errors.
    /// Rows arrive before the outcome is known: when the summary has blocking errors, discard them (stage rows in a
    /// transaction or a staging table and commit only on a clean summary).
    /// </param>
    /// <param name="onFinding">Called for each finding, in the order found.</param>
    /// <param name="rowsProgress">Receives the number of data rows checked, every 1,000 rows of the rule pass and at the end.</param>
    public async Task<LoanTapeCheckSummary> CheckAsync(
        Stream content,
        string fileName,
        string platformCode,
        string period,
        MonthFigures? previous,
        Func<LoanTapeRow, ValueTask> onValidRow,
        Func<Finding, ValueTask> onFinding,
        IProgress<long>? rowsProgress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek)
        {
            throw new ArgumentException("The loan tape stream must be seekable: spool the upload to a temporary file first.", nameof(content));
        }

        var validator = new LoanTapeValidator(platformCode, period, previous);
        var run = new Run(onFinding);
        var row = new RawRow();
        ILoanTapeReader? reader = null;
        try
        {
            reader = await OpenAsync(content, fileName, ct);

            // Pass 1: syntactical edits only.
            if (await ReadNonBlankAsync(reader, row, ct) is not { } headerIndex)
            {
                await run.AddAsync(new Finding(EditRules.S06.Code, null, null, null, null, EditRules.S06.Message));
                return run.Summary(null);
            }

            var rowsCanBeChecked = validator.CheckHeader(row, run.Pending);
            await run.FlushAsync();
            if (rowsCanBeChecked)
            {
                while (await ReadNonBlankAsync(reader, row, ct) is { } index)
                {
                    run.RowsRead++;
                    validator.CheckSyntax(RowNumber(index, headerIndex), row, run.Pending);
                    await run.FlushAsync();
                }

                validator.EndSyntax(run.Pending);
                await run.FlushAsync();
            }

            if (run.HasBlocking)
            {
                return run.Summary(null);
            }

            // Pass 2: validity and quality edits per row, then macro edits.
            await reader.RewindAsync(ct);
            await ReadNonBlankAsync(reader, row, ct);
            run.RowsRead = 0;
            while (await ReadNonBlankAsync(reader, row, ct) is { } index)
            {
                run.RowsRead++;
                var loan = validator.Validate(RowNumber(index, headerIndex), row, run.Pending);
                await run.FlushAsync();
                if (loan is not null)
                {
                    run.ValidRows++;
                    await onValidRow(loan);
                }

                if (run.RowsRead % ProgressEvery == 0)
                {
                    rowsProgress?.Report(run.RowsRead);
                }
            }

            rowsProgress?.Report(run.RowsRead);
            validator.Finish(run.Pending);
            await run.FlushAsync();
            return run.Summary(run.HasBlocking ? null : validator.Figures);
        }
        catch (LoanTapeUnreadableException e)
        {
            run.Pending.Clear();
            await run.AddAsync(new Finding(e.Rule.Code, null, null, null, null, e.Message));
            return run.Summary(null);
        }
        finally
        {
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

    /// <summary>Counts findings per code and hands them to the caller.</summary>
    private sealed class Run(Func<Finding, ValueTask> onFinding)
    {
        private readonly Dictionary<string, int> _counts = [];

        public List<Finding> Pending { get; } = [];

        public int RowsRead { get; set; }

        public int ValidRows { get; set; }

        public bool HasBlocking { get; private set; }

        public bool HasWarnings { get; private set; }

        public async ValueTask AddAsync(Finding finding)
        {
            _counts[finding.Code] = _counts.GetValueOrDefault(finding.Code) + 1;
            if (finding.IsBlocking)
            {
                HasBlocking = true;
            }
            else
            {
                HasWarnings = true;
            }

            await onFinding(finding);
        }

        public async ValueTask FlushAsync()
        {
            foreach (var finding in Pending)
            {
                await AddAsync(finding);
            }

            Pending.Clear();
        }

        public LoanTapeCheckSummary Summary(MonthFigures? figures) =>
            new(EditRules.RuleSetVersion, RowsRead, ValidRows, new Dictionary<string, int>(_counts), HasBlocking, HasWarnings, figures);
    }
}
