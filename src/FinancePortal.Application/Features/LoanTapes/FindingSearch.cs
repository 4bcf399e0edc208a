using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// Findings of one submission filtered by edit code and file row, in larger pages than a grid shows (the filing API:
/// up to <see cref="MaxPageSize"/>). The data scope applies as everywhere; a submission outside it is
/// <see cref="NotFoundException"/>.
/// </summary>
public static class FindingSearch
{
    public const int MaxPageSize = 1000;

    public static async Task<PagedResult<FindingItem>> SearchAsync(this IPortalDbFactory dbFactory, long submissionId, string? code, long? row, int page, int pageSize,
        CancellationToken ct = default)
    {
        if (page < 0 || page > int.MaxValue / MaxPageSize || pageSize < 1 || pageSize > MaxPageSize)
        {
            throw new ValidationFailedException("pageSize", $"Give page from 0 and pageSize from 1 to {MaxPageSize}.");
        }

        await using var db = await dbFactory.CreateAsync(ct);
        db.User.Demand(Roles.All.ToArray());
        if (!await db.LoanSubmissions.AnyAsync(s => s.Id == submissionId, ct))
        {
            throw new NotFoundException($"Submission {submissionId} does not exist or is outside your data scope.");
        }

        var findings = db.SubmissionFindings.AsNoTracking().Where(f => f.SubmissionId == submissionId);
        if (!string.IsNullOrWhiteSpace(code))
        {
            var wanted = code.Trim().ToUpperInvariant();
            findings = findings.Where(f => f.Code == wanted);
        }

        if (row is { } r)
        {
            findings = findings.Where(f => f.Row == r);
        }

        var total = await findings.CountAsync(ct);
        var items = await findings.OrderBy(f => f.Row).ThenBy(f => f.Id).Skip(page * pageSize).Take(pageSize)
            .Select(f => new FindingItem(f.Id, f.Code, f.Blocking, f.Row, f.LoanId, f.Column, f.Value, f.Message))
            .ToListAsync(ct);
        return new PagedResult<FindingItem>(items, total);
    }
}
