using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>Stores findings in batches on its own context, so memory stays flat however many a file has.</summary>
internal sealed class FindingWriter : IAsyncDisposable
{
    private const int BatchSize = 2_000;
    private readonly IPortalDbFactory _factory;
    private readonly LoanSubmission _submission;
    private readonly List<SubmissionFinding> _batch = new(BatchSize);

    public FindingWriter(IPortalDbFactory factory, LoanSubmission submission)
    {
        _factory = factory;
        _submission = submission;
    }

    public async ValueTask AddAsync(Finding finding)
    {
        _batch.Add(new SubmissionFinding
        {
            SubmissionId = _submission.Id,
            PlatformId = _submission.PlatformId,
            Code = finding.Code,
            Blocking = finding.IsBlocking,
            Row = finding.Row,
            LoanId = Cut(finding.LoanId, 64),
            Column = Cut(finding.Column, 64),
            Value = Cut(finding.Value, 256),
            Message = Cut(finding.Message, 1000)!,
        });
        if (_batch.Count >= BatchSize)
        {
            await FlushAsync();
        }
    }

    public async ValueTask DisposeAsync() => await FlushAsync();

    private async Task FlushAsync()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        await using var db = await _factory.CreateAsync();
        db.SubmissionFindings.AddRange(_batch);
        await db.SaveChangesAsync();
        _batch.Clear();
    }

    private static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..(max - 1)] + "…";
}
