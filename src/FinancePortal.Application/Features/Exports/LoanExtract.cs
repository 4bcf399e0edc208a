using System.Runtime.CompilerServices;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Exports;

/// <summary>Filters of a loan-level extract. A month range (<see cref="From"/>..<see cref="To"/>, inclusive) or none (every month).</summary>
public sealed record LoanExtractFilter(int? PlatformId = null, string? From = null, string? To = null, string? Status = null, string? Product = null)
{
    public override string ToString() => string.Join("; ", new[]
    {
        PlatformId is { } p ? $"platform id {p}" : null,
        From is not null || To is not null ? $"months {From ?? "first"}..{To ?? "last"}" : null,
        Status is not null ? $"status {Status}" : null,
        Product is not null ? $"product {Product}" : null,
    }.OfType<string>());
}

/// <summary>One loan of the latest signed version of its platform-month: the 12 columns of the extract.</summary>
public sealed record LoanExtractRow(
    string PlatformCode,
    string Period,
    string LoanId,
    string Product,
    string Status,
    decimal Principal,
    decimal Outstanding,
    int DaysPastDue,
    decimal AnnualRatePct,
    DateOnly OriginationDate,
    string FundingSource)
{
    public DelinquencyBucket Bucket => Metrics.Bucket(Status, DaysPastDue);

    public string BucketLabel => Bucket switch
    {
        DelinquencyBucket.Current => "Current",
        DelinquencyBucket.Dpd1To29 => "1-29",
        DelinquencyBucket.Dpd30To59 => "30-59",
        DelinquencyBucket.Dpd60To89 => "60-89",
        DelinquencyBucket.Dpd90Plus => "90+",
        DelinquencyBucket.ChargedOff => "Charged off",
        DelinquencyBucket.Repaid => "Repaid",
        _ => "",
    };
}

/// <summary>
/// Reads the extract's rows of one key range of one signed version (<see cref="LoanExtractService.RowsOf"/>'s rows, in
/// the same order). Rows of another submission inside the range are either returned with their submission id (the
/// caller skips them) or left out. The default runs that EF Core query; the SQLite provider reads the rows straight from the statement
/// (Infrastructure), because materialising a million rows through EF Core costs several times the writing of the file.
/// </summary>
public interface ILoanExtractReader
{
    IAsyncEnumerable<(long SubmissionId, LoanExtractRow Row)> ReadAsync(IPortalDb db, LoanExtractPart part, long firstId, long lastId, LoanExtractFilter filter, CancellationToken ct);
}

/// <summary>The extract's rows through EF Core (<see cref="LoanExtractService.RowsOf"/>): every provider.</summary>
public sealed class EfLoanExtractReader : ILoanExtractReader
{
    public IAsyncEnumerable<(long SubmissionId, LoanExtractRow Row)> ReadAsync(IPortalDb db, LoanExtractPart part, long firstId, long lastId, LoanExtractFilter filter, CancellationToken ct) =>
        LoanExtractService.RowsOf(db, part, firstId, lastId, filter).AsAsyncEnumerable();
}

/// <summary>The platform-months an extract covers (latest signed version of each) and how many loans they hold.</summary>
public sealed record LoanExtractPlan(IReadOnlyList<LoanExtractPart> Parts, long EstimatedRows);

/// <summary>One signed version an extract covers; <see cref="FirstRecordId"/>..<see cref="LastRecordId"/> is its recorded key range, if any.</summary>
public sealed record LoanExtractPart(long SubmissionId, int PlatformId, string PlatformCode, string Period, int Version, long Loans, long? FirstRecordId = null, long? LastRecordId = null);

/// <summary>
/// Loan-level extracts (DOMAIN.md §6): every loan of the latest signed version of each platform-month that matches the
/// filters, streamed from the database. Scope is the database context's (an Operator sees their own platform, a
/// regulator their provinces); asking for a platform outside the scope is refused (403), not silently emptied.
/// </summary>
public sealed class LoanExtractService(IPortalDbFactory dbFactory, ExportService exports, ILoanExtractReader reader)
{
    public static readonly string[] Extractors = [Roles.RiskOfficer, Roles.Analyst, Roles.Operator];

    public static IReadOnlyList<ExportColumn<LoanExtractRow>> Columns { get; } =
    [
        ExportColumn.Text<LoanExtractRow>("Platform", r => r.PlatformCode, 10),
        ExportColumn.Text<LoanExtractRow>("Month", r => r.Period, 9),
        ExportColumn.Text<LoanExtractRow>("Loan id", r => r.LoanId, 18),
        ExportColumn.Text<LoanExtractRow>("Product", r => r.Product, 13),
        ExportColumn.Text<LoanExtractRow>("Status", r => r.Status, 12),
        ExportColumn.Text<LoanExtractRow>("DPD bucket", r => r.BucketLabel, 11),
        ExportColumn.Money<LoanExtractRow>("Original principal", r => r.Principal),
        ExportColumn.Money<LoanExtractRow>("Outstanding principal", r => r.Outstanding),
        ExportColumn.Integer<LoanExtractRow>("Days past due", r => r.DaysPastDue, 8),
        ExportColumn.Rate<LoanExtractRow>("Annual rate", r => r.AnnualRatePct / 100m),
        ExportColumn.Date<LoanExtractRow>("Origination date", r => r.OriginationDate),
        ExportColumn.Text<LoanExtractRow>("Funding source", r => r.FundingSource, 18),
    ];

    /// <summary>Checks the filters and scope and lists the platform-months the extract covers (the count shown before downloading).</summary>
    public async Task<LoanExtractPlan> PlanAsync(LoanExtractFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await PlanAsync(db, filter, ct);
    }

    /// <summary>The extract as an export of the one export service (columns, streamed rows, audit description).</summary>
    public ExportDefinition<LoanExtractRow> Define(LoanExtractFilter filter)
    {
        var stem = $"loans-{(filter.From ?? "all")}{(filter.To is { } to && to != filter.From ? "-" + to : "")}";
        return new ExportDefinition<LoanExtractRow>(stem, "Loan-level extract", Columns, StreamAsync(filter), nameof(LoanRecord), null, filter.PlatformId, filter.ToString());
    }

    public Task<IPreparedExport> PrepareAsync(LoanExtractFilter filter, CancellationToken ct) => exports.PrepareAsync(Define(filter), ct);

    /// <summary>
    /// Every matching loan, platform by platform and month by month, in file order; one query per platform-month.
    /// A signed version's rows are written in one transaction, so they occupy one key range, recorded on the version
    /// when it is signed (<see cref="LoanSubmission.FirstLoanRecordId"/>): the query reads that range of the primary key
    /// (a sequential scan, on SQLite and on SQL Server's clustered key) instead of following the (submission, loan id)
    /// index into the table row by row; rows of another submission inside the range (possible only if two signings
    /// interleaved) are skipped. A version written without a recorded range has it looked up first.
    /// </summary>
    public async IAsyncEnumerable<LoanExtractRow> StreamAsync(LoanExtractFilter filter, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var plan = await PlanAsync(db, filter, ct);
        foreach (var part in plan.Parts)
        {
            var submissionId = part.SubmissionId;
            var (first, last) = (part.FirstRecordId, part.LastRecordId);
            if (first is null || last is null)
            {
                var range = await db.LoanRecords.AsNoTracking().Where(r => r.SubmissionId == submissionId)
                    .GroupBy(r => r.SubmissionId).Select(g => new { First = g.Min(r => r.Id), Last = g.Max(r => r.Id) }).FirstOrDefaultAsync(ct);
                if (range is null)
                {
                    continue;
                }

                (first, last) = (range.First, range.Last);
            }

            await foreach (var row in reader.ReadAsync(db, part, first.Value, last.Value, filter, ct).WithCancellation(ct))
            {
                if (row.SubmissionId == submissionId)
                {
                    yield return row.Row;
                }
            }
        }
    }

    /// <summary>The loan rows of one key range (the query the extract runs per platform-month; public for the SQL Server translation test).</summary>
    public static IQueryable<(long SubmissionId, LoanExtractRow Row)> RowsOf(IPortalDb db, LoanExtractPart part, long firstId, long lastId, LoanExtractFilter filter)
    {
        var code = part.PlatformCode;
        var period = part.Period;
        var rows = db.LoanRecords.AsNoTracking().Where(r => r.Id >= firstId && r.Id <= lastId);
        if (filter.Status is { } status)
        {
            rows = rows.Where(r => r.Status == status);
        }

        if (filter.Product is { } product)
        {
            rows = rows.Where(r => r.ProductType == product);
        }

        return rows.OrderBy(r => r.Id).Select(r => ValueTuple.Create(r.SubmissionId, new LoanExtractRow(
            code, period, r.LoanId, r.ProductType, r.Status, r.Principal, r.OutstandingPrincipal, r.DaysPastDue, r.AnnualRatePct, r.OriginationDate, r.FundingSource)));
    }

    /// <summary>The matching loans of one submission (for counting).</summary>
    private static IQueryable<LoanRecord> MatchingOf(IPortalDb db, long submissionId, LoanExtractFilter filter)
    {
        var rows = db.LoanRecords.AsNoTracking().Where(r => r.SubmissionId == submissionId);
        if (filter.Status is { } status)
        {
            rows = rows.Where(r => r.Status == status);
        }

        if (filter.Product is { } product)
        {
            rows = rows.Where(r => r.ProductType == product);
        }

        return rows;
    }

    /// <summary>The latest signed submission of each platform-month in scope matching the filters (public for the SQL Server translation test).</summary>
    public static IQueryable<LoanSubmission> LatestSigned(IPortalDb db, LoanExtractFilter filter)
    {
        var signed = db.LoanSubmissions.AsNoTracking().Where(s => s.Status == SubmissionStatus.Signed && s.Version != null);
        if (filter.PlatformId is { } platformId)
        {
            signed = signed.Where(s => s.PlatformId == platformId);
        }

        if (filter.From is { } from)
        {
            signed = signed.Where(s => string.Compare(s.Period, from) >= 0);
        }

        if (filter.To is { } to)
        {
            signed = signed.Where(s => string.Compare(s.Period, to) <= 0);
        }

        return signed.Where(s => !db.LoanSubmissions.Any(o =>
            o.PlatformId == s.PlatformId && o.Period == s.Period && o.Status == SubmissionStatus.Signed && o.Version > s.Version));
    }

    private static async Task<LoanExtractPlan> PlanAsync(IPortalDb db, LoanExtractFilter filter, CancellationToken ct)
    {
        db.User.Demand(Extractors);
        Validate(filter);
        if (filter.PlatformId is { } platformId && !db.Scope.Allows(platformId))
        {
            throw new ForbiddenException($"Platform {platformId} is outside your data scope ({db.Scope.Description}): you can extract only the loans of platforms in your scope.");
        }

        var parts = await LatestSigned(db, filter)
            .OrderBy(s => s.Platform!.Code).ThenBy(s => s.Period)
            .Select(s => new LoanExtractPart(s.Id, s.PlatformId, s.Platform!.Code, s.Period, s.Version ?? 0, s.LoanCount, s.FirstLoanRecordId, s.LastLoanRecordId))
            .ToListAsync(ct);
        var estimate = filter.Status is null && filter.Product is null
            ? parts.Sum(p => p.Loans)
            : await CountAsync(db, parts, filter, ct);
        return new LoanExtractPlan(parts, estimate);
    }

    private static async Task<long> CountAsync(IPortalDb db, IReadOnlyList<LoanExtractPart> parts, LoanExtractFilter filter, CancellationToken ct)
    {
        long total = 0;
        foreach (var part in parts)
        {
            total += await MatchingOf(db, part.SubmissionId, filter).LongCountAsync(ct);
        }

        return total;
    }

    private static void Validate(LoanExtractFilter filter)
    {
        var errors = new Dictionary<string, string>();
        if (filter.From is { } from && !Periods.TryParse(from, out _))
        {
            errors["From"] = "The first month must be YYYY-MM.";
        }

        if (filter.To is { } to && !Periods.TryParse(to, out _))
        {
            errors["To"] = "The last month must be YYYY-MM.";
        }

        if (filter is { From: { } f, To: { } t } && string.CompareOrdinal(f, t) > 0)
        {
            errors["To"] = "The last month must not be before the first.";
        }

        if (filter.Status is { } status && !LoanTapeFormat.Statuses.Codes.Contains(status))
        {
            errors["Status"] = $"Unknown loan status \"{status}\".";
        }

        if (filter.Product is { } product && !LoanTapeFormat.ProductTypes.Codes.Contains(product))
        {
            errors["Product"] = $"Unknown product \"{product}\".";
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }
}
