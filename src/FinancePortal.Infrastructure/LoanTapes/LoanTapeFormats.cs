using FinancePortal.Application.Features.LoanTapes;

namespace FinancePortal.Infrastructure.LoanTapes;

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

/// <summary>Opens a stored loan tape with the reader of its format: the extension chooses, the first bytes confirm.</summary>
public sealed class LoanTapeFormats(LoanTapeLimits? limits = null) : ILoanTapeFormats
{
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private readonly LoanTapeLimits _limits = limits ?? new LoanTapeLimits();

    public async ValueTask<ILoanTapeRows> OpenAsync(Stream content, string fileName, CancellationToken ct)
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

            return new Rows(XlsxLoanTapeReader.Open(content, _limits));
        }

        return new Rows(await CsvLoanTapeReader.OpenAsync(content, ct));
    }

    public EditRule? UnreadableRule(Exception exception) => (exception as LoanTapeUnreadableException)?.Rule;

    private sealed class Rows(ILoanTapeReader reader) : ILoanTapeRows
    {
        public ValueTask<bool> ReadAsync(RawRow row, CancellationToken ct) => reader.ReadAsync(row, ct);

        public void Dispose() => reader.Dispose();
    }
}

/// <summary>Spill files in the system's temporary folder, deleted when closed.</summary>
public sealed class DiskSpillStore : ISpillStore
{
    public Stream Create() =>
        new FileStream(Path.Combine(Path.GetTempPath(), $"financeportal-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            bufferSize: 1, FileOptions.DeleteOnClose);
}
