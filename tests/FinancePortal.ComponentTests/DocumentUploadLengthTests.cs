using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Applications;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace FinancePortal.ComponentTests;

/// <summary>
/// Issue 16, observation 6: a document whose content does not match the size the browser announced is refused with a
/// clear message and nothing is stored (it used to be stored cut to the announced size).
/// </summary>
public class DocumentUploadLengthTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    private async Task<(IRenderedComponent<ApplicationDocuments> Panel, int ApplicationId)> RenderPanelAsync()
    {
        await SignInAsAsync(DemoUsers.Operator);
        ApplicationDetail detail;
        await using (var op = await ActAsAsync(DemoUsers.Operator))
        {
            var service = op.Get<ApplicationService>();
            var open = (await service.GetQueueAsync(new ApplicationQuery { State = ApplicationState.InformationRequested })).Items.Single();
            detail = (await service.GetAsync(open.Id))!;
        }

        var panel = RenderWithProviders<ApplicationDocuments>(("Application", detail), ("CanUpload", true));
        return (panel, detail.Id);
    }

    private async Task<int> DocumentCountAsync(int applicationId)
    {
        await using var op = await ActAsAsync(DemoUsers.Operator);
        return (await op.Get<ApplicationService>().GetAsync(applicationId))!.Documents.Count;
    }

    private static Task ChooseAsync(IRenderedComponent<ApplicationDocuments> panel, IBrowserFile file) =>
        panel.InvokeAsync(() => panel.FindComponent<MudFileUpload<IBrowserFile>>().Instance.FilesChanged.InvokeAsync(file));

    [Fact]
    public async Task A_document_with_more_content_than_announced_is_refused_and_nothing_is_stored()
    {
        var (panel, id) = await RenderPanelAsync();
        var before = await DocumentCountAsync(id);

        await ChooseAsync(panel, new AnnouncedFile("plan.pdf", announcedSize: 20, Pdf));

        panel.WaitForAssertion(() => Assert.Contains("did not arrive as announced (20 bytes announced", panel.Find("[data-testid=document-error]").TextContent), Timeout);
        Assert.Contains("Nothing was stored", panel.Find("[data-testid=document-error]").TextContent);
        Assert.Equal(before, await DocumentCountAsync(id));
    }

    [Fact]
    public async Task A_document_with_less_content_than_announced_is_refused_and_nothing_is_stored()
    {
        var (panel, id) = await RenderPanelAsync();
        var before = await DocumentCountAsync(id);

        await ChooseAsync(panel, new AnnouncedFile("plan.pdf", announcedSize: Pdf.Length + 100, Pdf));

        panel.WaitForAssertion(() => Assert.Contains($"({Pdf.Length + 100} bytes announced, {Pdf.Length} received)", panel.Find("[data-testid=document-error]").TextContent), Timeout);
        Assert.Equal(before, await DocumentCountAsync(id));
    }

    [Fact]
    public async Task A_document_that_matches_its_announced_size_is_stored_whole()
    {
        var (panel, id) = await RenderPanelAsync();
        var before = await DocumentCountAsync(id);

        await ChooseAsync(panel, new AnnouncedFile("plan.pdf", announcedSize: Pdf.Length, Pdf));

        panel.WaitForAssertion(() => Assert.Empty(panel.FindAll("[data-testid=document-error]")), Timeout);
        await using var op = await ActAsAsync(DemoUsers.Operator);
        var documents = (await op.Get<ApplicationService>().GetAsync(id))!.Documents;
        Assert.Equal(before + 1, documents.Count);
        Assert.Equal(Pdf.Length, documents.OrderBy(d => d.Id).Last().SizeBytes);
    }

    /// <summary>
    /// A browser file as Blazor Server's InputFile gives it to the server, with the size the client announced: opening
    /// fails when the announced size is over the allowed maximum (IOException); reading fails when the content the
    /// client streams is longer than the allowed maximum ("The incoming data stream of length N exceeds the maximum
    /// allowed length M", ArgumentOutOfRangeException); and the stream stops at the announced size (BrowserFileStream's
    /// Length), or earlier when the content is shorter.
    /// </summary>
    private sealed class AnnouncedFile(string name, long announcedSize, byte[] content) : IBrowserFile
    {
        public string Name => name;

        public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;

        public long Size => announcedSize;

        public string ContentType => "application/pdf";

        public Stream OpenReadStream(long maxAllowedSize = 512000, CancellationToken cancellationToken = default)
        {
            if (Size > maxAllowedSize)
            {
                throw new IOException($"Supplied file with size {Size} bytes exceeds the maximum of {maxAllowedSize} bytes.");
            }

            return new BrowserLikeStream(content, announcedSize, maxAllowedSize);
        }
    }

    private sealed class BrowserLikeStream(byte[] content, long announcedSize, long maxAllowedSize) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => announcedSize;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (content.Length > maxAllowedSize)
            {
                throw new ArgumentOutOfRangeException(nameof(maxAllowedSize), $"The incoming data stream of length {content.Length} exceeds the maximum allowed length {maxAllowedSize}.");
            }

            var n = (int)Math.Max(0, Math.Min(Math.Min(count, announcedSize - _position), content.Length - _position));
            Array.Copy(content, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var array = new byte[buffer.Length];
            var n = Read(array, 0, array.Length);
            array.AsSpan(0, n).CopyTo(buffer.Span);
            return ValueTask.FromResult(n);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
