namespace FinancePortal.Application;

/// <summary>Keeps original uploaded files, content-addressed by SHA-256, never overwritten.</summary>
public interface IFileStore
{
    /// <summary>Streams <paramref name="content"/> into the store and returns its SHA-256 (hex) and size.</summary>
    Task<(string Sha256, long Size)> SaveAsync(Stream content, CancellationToken ct = default);

    /// <summary>Opens a stored file for reading; throws <see cref="FileNotFoundException"/> when it is missing.</summary>
    Stream OpenRead(string sha256);
}
