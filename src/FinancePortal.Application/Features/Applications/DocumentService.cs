using System.IO.Compression;
using System.Security.Cryptography;
using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FinancePortal.Application.Features.Applications;

public sealed record DocumentDownload(string FileName, string ContentType, byte[] Bytes);

/// <summary>
/// Application documents: PDF, XLSX, PNG or JPG, checked by their content signature (not only the extension) and
/// size-limited. Stored in the database with a SHA-256; only the platform's own users and regulators in scope can
/// download them. Virus scanning is assumed to happen at the network edge (documented in docs/security.md).
/// </summary>
public sealed class DocumentService(IPortalDbFactory dbFactory, IOptions<UploadOptions> options)
{
    private static readonly Dictionary<string, (string Kind, string ContentType)> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = ("PDF", "application/pdf"),
        [".xlsx"] = ("XLSX workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        [".png"] = ("PNG image", "image/png"),
        [".jpg"] = ("JPG image", "image/jpeg"),
        [".jpeg"] = ("JPG image", "image/jpeg"),
    };

    public long MaxBytes => options.Value.MaxDocumentBytes;

    public async Task<DocumentItem> UploadAsync(int applicationId, string fileName, Stream content, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Operator, ct);
        var app = await db.AccessApplications.SingleOrDefaultAsync(a => a.Id == applicationId, ct)
            ?? throw new NotFoundException("Application not found.");
        if (app.State is not (ApplicationState.Draft or ApplicationState.InformationRequested))
        {
            throw new ValidationFailedException("File", $"Documents can be attached while the application is a draft or information is requested; it is {app.State}.");
        }

        var name = Path.GetFileName(fileName ?? "").Trim();
        var bytes = await UploadedDocument.ReadLimitedAsync(content, name, options.Value.MaxDocumentBytes, "File", ct);
        var (kind, contentType) = Check(name, bytes);

        var document = new ApplicationDocument
        {
            ApplicationId = app.Id,
            PlatformId = app.PlatformId,
            FileName = name.Length > 255 ? name[^255..] : name,
            ContentType = contentType,
            SizeBytes = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            UploadedBy = db.User.UserName,
            UploadedUtc = db.UtcNow,
        };
        document.Content = new DocumentContent { PlatformId = app.PlatformId, Bytes = bytes };
        db.ApplicationDocuments.Add(document);
        await db.SaveChangesAsync(ct);
        db.Audit("DocumentUploaded", nameof(ApplicationDocument), document.Id.ToString(), app.PlatformId,
            $"{app.Reference}: {document.FileName} ({kind}, {bytes.Length:#,##0} bytes, sha256 {document.Sha256[..12]}…).");
        await db.SaveChangesAsync(ct);
        return new DocumentItem(document.Id, document.FileName, document.ContentType, document.SizeBytes, document.Sha256, document.UploadedBy, document.UploadedUtc);
    }

    /// <summary>The document, or null when it does not exist or lies outside the caller's scope. Audited.</summary>
    public async Task<DocumentDownload?> DownloadAsync(long documentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        var document = await db.ApplicationDocuments.AsNoTracking()
            .Where(d => d.Id == documentId)
            .Select(d => new { d.FileName, d.ContentType, d.PlatformId, d.ApplicationId, d.Content!.Bytes })
            .SingleOrDefaultAsync(ct);
        if (document is null)
        {
            return null;
        }

        db.Audit("DocumentDownloaded", nameof(ApplicationDocument), documentId.ToString(), document.PlatformId,
            $"{document.FileName} of application #{document.ApplicationId} downloaded.");
        await db.SaveChangesAsync(ct);
        return new DocumentDownload(document.FileName, document.ContentType, document.Bytes);
    }


    /// <summary>The kind and content type of a file whose signature matches its extension; otherwise a specific error.</summary>
    public static (string Kind, string ContentType) Check(string name, byte[] bytes)
    {
        var extension = Path.GetExtension(name);
        if (!Allowed.TryGetValue(extension, out var type))
        {
            throw new ValidationFailedException("File", $"\"{name}\": only PDF, XLSX, PNG and JPG documents can be attached.");
        }

        var matches = extension.ToLowerInvariant() switch
        {
            ".pdf" => bytes.AsSpan().StartsWith("%PDF-"u8),
            ".png" => bytes.AsSpan().StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }),
            ".jpg" or ".jpeg" => bytes.AsSpan().StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }),
            _ => IsWorkbook(bytes),
        };
        if (!matches)
        {
            throw new ValidationFailedException("File", $"\"{name}\" is not a real {type.Kind}: its content does not match the {extension} extension.");
        }

        return type;
    }

    private static bool IsWorkbook(byte[] bytes)
    {
        if (!bytes.AsSpan().StartsWith("PK\u0003\u0004"u8))
        {
            return false;
        }

        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            return zip.GetEntry("[Content_Types].xml") is not null && zip.Entries.Any(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal));
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
