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

/// <summary>Reading an uploaded document into memory within the document limit.</summary>
public static class UploadedDocument
{
    /// <summary>
    /// The bytes of <paramref name="content"/>; a <see cref="ValidationFailedException"/> on <paramref name="field"/> when it is
    /// larger than <paramref name="limit"/> bytes or empty.
    /// </summary>
    public static async Task<byte[]> ReadLimitedAsync(Stream content, string name, long limit, string field, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ValidationFailedException(field, $"\"{name}\" is larger than the {limit / 1024d / 1024d:0.#} MB limit for documents.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw new ValidationFailedException(field, $"\"{name}\" is empty.");
        }

        return buffer.ToArray();
    }
}
