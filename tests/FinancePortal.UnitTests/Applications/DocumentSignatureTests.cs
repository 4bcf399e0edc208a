using System.IO.Compression;
using FinancePortal.Application;
using FinancePortal.Application.Features.Applications;

namespace FinancePortal.UnitTests.Applications;

public class DocumentSignatureTests
{
    public static byte[] Pdf() => "%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF"u8.ToArray();

    public static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    public static byte[] Workbook()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("[Content_Types].xml");
            zip.CreateEntry("xl/workbook.xml");
        }

        return stream.ToArray();
    }

    [Fact]
    public void Real_files_are_accepted_with_their_content_type()
    {
        Assert.Equal("application/pdf", DocumentService.Check("plan.pdf", Pdf()).ContentType);
        Assert.Equal("image/png", DocumentService.Check("chart.PNG", Png()).ContentType);
        Assert.Equal("image/jpeg", DocumentService.Check("photo.jpeg", [0xFF, 0xD8, 0xFF, 0xE0]).ContentType);
        Assert.StartsWith("application/vnd.openxmlformats", DocumentService.Check("figures.xlsx", Workbook()).ContentType);
    }

    [Fact]
    public void A_forged_extension_is_refused_with_a_specific_message()
    {
        var ex = Assert.Throws<ValidationFailedException>(() => DocumentService.Check("report.pdf", Png()));
        Assert.Equal("\"report.pdf\" is not a real PDF: its content does not match the .pdf extension.", ex.Message);
    }

    [Fact]
    public void A_zip_that_is_not_a_workbook_is_refused()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("readme.txt");
        }

        Assert.Throws<ValidationFailedException>(() => DocumentService.Check("figures.xlsx", stream.ToArray()));
    }

    [Fact]
    public void Other_types_are_refused() =>
        Assert.Contains("only PDF, XLSX, PNG and JPG", Assert.Throws<ValidationFailedException>(() => DocumentService.Check("run.exe", Pdf())).Message);
}
