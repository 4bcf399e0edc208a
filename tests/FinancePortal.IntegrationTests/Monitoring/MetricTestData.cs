using FinancePortal.Application;
using FinancePortal.Application.Domain;

namespace FinancePortal.IntegrationTests.Monitoring;

/// <summary>One loan row of a tape, as the metrics tests write it.</summary>
internal sealed record TapeRow(
    string LoanId, string Product, DateOnly Originated, decimal Principal, decimal Outstanding, int Dpd, string Status, string Funding,
    decimal ChargeOff = 0m, decimal Recovery = 0m);

/// <summary>Writes platforms and signed tapes straight to a system-scoped unit of work (no upload path).</summary>
internal static class MetricTestData
{
    public static async Task<int> PlatformAsync(IPortalDb db, string code, LicenceStatus status)
    {
        var platform = new Platform
        {
            Code = code, LegalName = $"{code} Test Co.", Province = "Beijing", Kind = PlatformKind.Other, RegisteredCapital = 1_000_000_000m,
            LicenceStatus = status, CreatedUtc = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        };
        db.Platforms.Add(platform);
        await db.SaveChangesAsync();
        return platform.Id;
    }

    /// <summary>A tape of <paramref name="period"/>: signed as <paramref name="version"/>, or ready to sign (unsigned) when null.</summary>
    public static async Task<long> TapeAsync(IPortalDb db, int platformId, string period, int? version, IEnumerable<TapeRow> rows)
    {
        var month = DateTime.ParseExact(period + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var signedUtc = DateTime.SpecifyKind(month.AddMonths(1).AddDays(2 + (version ?? 0)), DateTimeKind.Utc);
        var list = rows.ToList();
        var submission = new LoanSubmission
        {
            PlatformId = platformId, Period = period, FileName = $"{period}-v{version}.csv", FileSha256 = new string('a', 64), UploadedBy = "test",
            UploadedUtc = signedUtc.AddHours(-1), Status = version is null ? SubmissionStatus.ReadyToSign : SubmissionStatus.Signed, Version = version,
            SignedUtc = version is null ? null : signedUtc, SignedBy = version is null ? null : "test", LoanCount = list.Count, RowsRead = list.Count, ValidRows = list.Count,
        };
        db.LoanSubmissions.Add(submission);
        await db.SaveChangesAsync();
        db.LoanRecords.AddRange(list.Select(r => new LoanRecord
        {
            SubmissionId = submission.Id, PlatformId = platformId, Period = period, LoanId = r.LoanId, BorrowerRef = "B-" + r.LoanId,
            ProductType = r.Product, Scenario = "ECOMMERCE", OriginationDate = r.Originated, Principal = r.Principal, CreditLimit = r.Principal,
            TermMonths = 12, AnnualRatePct = 18m, OutstandingPrincipal = r.Outstanding, DaysPastDue = r.Dpd, Status = r.Status,
            ChargeOffAmount = r.ChargeOff, RecoveryAmount = r.Recovery, FundingSource = r.Funding,
        }));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return submission.Id;
    }
}
