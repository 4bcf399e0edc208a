namespace FinancePortal.Application;

/// <summary>The <c>Uploads</c> section of the settings.</summary>
public sealed class UploadOptions
{
    public const string Section = "Uploads";

    /// <summary>Largest application attachment; default 10 MB.</summary>
    public long MaxDocumentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest monthly loan-tape file; default 200 MB.</summary>
    public long MaxLoanTapeBytes { get; set; } = 200L * 1024 * 1024;
}
