using System.Security.Cryptography;
using FinancePortal.Application;

namespace FinancePortal.Infrastructure.Files;

/// <summary>
/// A content-addressed file store on a local or shared volume (<c>Storage:Root</c>). Files are streamed to a temporary
/// name while hashing, then moved to <c>aa/bb/&lt;sha256&gt;</c>; an existing file with the same hash is kept as it is.
/// </summary>
public sealed class LocalFileStore(string root) : IFileStore
{
    public async Task<(string Sha256, long Size)> SaveAsync(Stream content, CancellationToken ct = default)
    {
        Directory.CreateDirectory(root);
        var temp = Path.Combine(root, $"incoming-{Guid.NewGuid():N}.tmp");
        try
        {
            string hash;
            long size;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                size = file.Length;
                hash = Convert.ToHexStringLower(sha.GetHashAndReset());
            }

            var target = PathOf(hash);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
            {
                File.Move(temp, target);
            }

            return (hash, size);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public Stream OpenRead(string sha256) =>
        new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("Not a SHA-256 hex string.", nameof(sha256));
        }

        return Path.Combine(root, sha256[..2], sha256[2..4], sha256);
    }
}
