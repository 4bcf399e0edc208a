using System.Globalization;
using System.Text;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Infrastructure.Data;
using FinancePortal.Infrastructure.LoanTapes.Bulk;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Infrastructure.Seeding;

/// <summary>
/// 24 months of signed loan tapes for the reporting platforms, simulated loan by loan by <see cref="LoanBookSimulator"/>
/// (after a year of unreported history): growth, seasonality around the 618 (June) and Double 11 (November) shopping
/// festivals, two platforms deteriorating (QFEN from the third month, XMHX from the fifth: more missed payments and
/// faster roll-forward), one recovering (SNRX), one riskier bank (NBXH). Each month's rows go through the real bulk
/// writer; the matching CSV is kept in the file store so the original file can be downloaded. Deterministic for a
/// given scale and window.
/// </summary>
internal static class DemoLoanTapes
{
    /// <summary>Who uploaded and signed a platform's demo tapes: an account name, as a real filing records it.</summary>
    private static string Filer(string platformCode) => $"filer.{platformCode.ToLowerInvariant()}@{DemoSeeder.EmailDomain}";

    public static readonly IReadOnlyList<string> Reporting = ["FQLE", "HBXY", "JDBT", "MSXF", "NBXH", "QFEN", "SNRX", "WZCB", "XMHX", "ZSXJ"];

    /// <summary>The 24 months of the demo's tapes, ending at <see cref="Last"/>; one month missing (XMHX) and one late (QFEN) near the end.</summary>
    public sealed record Window(string Last)
    {
        public IReadOnlyList<string> Months { get; } = Periods.Range(Back(Last, 23), Last);

        public string First => Months[0];

        /// <summary>XMHX's missing month (the month before the last), for the regulator's grid and a missing-submission alert.</summary>
        public string Missing => Back(Last, 1);

        /// <summary>QFEN's late month (two before the last).</summary>
        public string Late => Back(Last, 2);

        private static string Back(string period, int months)
        {
            for (var i = 0; i < months; i++)
            {
                period = Periods.Previous(period);
            }

            return period;
        }
    }

    /// <summary>Months of unreported history simulated before the window.</summary>
    public const int SeasoningMonths = 12;

    /// <summary>New loans in the window's month <paramref name="month"/> (1-24; 0 for the unreported history): growth and the festivals.</summary>
    public static int NewLoans(double scale, int month, int calendarMonth)
    {
        var festival = calendarMonth switch { 6 => 1.6, 11 => 2.1, 12 => 1.3, _ => 1.0 };
        return (int)(scale * (60 + month * 2.5) * (month == 0 ? 1.0 : festival));
    }

    /// <summary>A platform's risk in the window's month <paramref name="month"/> (1-24).</summary>
    public static LoanBookRisk Risk(string code, int month)
    {
        static double Towards(double from, double to, double t) => from + (to - from) * Math.Clamp(t, 0, 1);
        return code switch
        {
            "QFEN" => new(Towards(0.04, 0.11, (month - 3) / 15.0), Towards(0.1, 1, (month - 3) / 15.0)),   // deteriorating
            "XMHX" => new(Towards(0.035, 0.10, (month - 5) / 13.0), Towards(0, 1, (month - 5) / 13.0)),     // deteriorating
            "SNRX" => new(Towards(0.075, 0.03, (month - 1) / 18.0), Towards(0.6, 0, (month - 1) / 18.0)),   // recovering
            "NBXH" => new(0.05, 0.3),
            "MSXF" => new(0.04, 0.15),
            "FQLE" => new(0.038, 0.1),
            "ZSXJ" => new(0.035, 0.05),
            "HBXY" => new(0.032),
            "JDBT" => new(0.03),
            "WZCB" => new(0.028),
            _ => new(0.035),
        };
    }

    public static async Task SeedAsync(PortalDbContext db, IFileStore files, double scale, Window window, CancellationToken ct)
    {
        var platforms = await db.Platforms.Where(p => Reporting.Contains(p.Code)).ToDictionaryAsync(p => p.Code, ct);
        foreach (var code in Reporting)
        {
            var platform = platforms[code];
            var book = new LoanBookSimulator(code, LoanBookSimulator.StableSeed(code) & 0x7fff ^ 2026);
            // A year of unreported history first, so the first month already has loans in every delinquency bucket.
            book.Season(window.First, SeasoningMonths, NewLoans(scale, 0, 1), Risk(code, 1));
            for (var i = 0; i < window.Months.Count; i++)
            {
                var period = window.Months[i];
                var rows = book.NextMonth(period, NewLoans(scale, i + 1, Periods.LastDay(period).Month), Risk(code, i + 1));
                if (code == "XMHX" && period == window.Missing)
                {
                    continue; // a missing month for the regulator's grid
                }

                await SignAsync(db, files, platform, period, rows, late: code == "QFEN" && period == window.Late, ct);
            }
        }
    }

    private static async Task SignAsync(PortalDbContext db, IFileStore files, Platform platform, string period, IReadOnlyList<LoanRecord> rows, bool late, CancellationToken ct)
    {
        var (sha, size) = await files.SaveAsync(new MemoryStream(Csv(platform.Code, period, rows)), ct);
        var lastDay = Periods.LastDay(period);
        var signed = lastDay.AddDays(late ? 17 : 6).ToDateTime(new TimeOnly(9, 30), DateTimeKind.Utc);
        var outstanding = rows.Where(r => r.Status is not ("REPAID" or "CHARGED_OFF")).ToList();
        var submission = new LoanSubmission
        {
            PlatformId = platform.Id,
            Period = period,
            Status = SubmissionStatus.Signed,
            Version = 1,
            FileName = $"{platform.Code}_{period}_loans.csv",
            FileSizeBytes = size,
            FileSha256 = sha,
            UploadedBy = Filer(platform.Code),
            UploadedUtc = signed.AddHours(-2),
            CheckStartedUtc = signed.AddHours(-2),
            CheckedUtc = signed.AddHours(-2).AddMinutes(1),
            RuleSetVersion = EditRules.RuleSetVersion,
            RowsRead = rows.Count,
            ValidRows = rows.Count,
            SignedBy = Filer(platform.Code),
            AttestedName = "Demo filer",
            SignedUtc = signed,
            ConfirmationNumber = ConfirmationNumbers.New(),
            LoanCount = rows.Count,
            OutstandingBalance = outstanding.Sum(r => r.OutstandingPrincipal),
            DefaultedBalance = outstanding.Where(r => r.DaysPastDue >= 90 || r.Status == "DEFAULTED").Sum(r => r.OutstandingPrincipal),
        };
        await db.InTransactionAsync(async ct =>
        {
            submission.Id = 0; // a retry inserts it afresh
            db.LoanSubmissions.Add(submission);
            await db.SaveChangesAsync(ct);
            foreach (var row in rows)
            {
                row.SubmissionId = submission.Id;
                row.PlatformId = platform.Id;
            }

            await LoanRecordWriter.For(db).WriteVersionAsync(db, submission, rows.ToAsyncEnumerable(), ct);
            await db.SaveChangesAsync(ct);
        }, ct);
        db.ChangeTracker.Clear();
    }

    private static byte[] Csv(string code, string period, IReadOnlyList<LoanRecord> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder(string.Join(',', LoanTapeFormat.Columns)).Append('\n');
        foreach (var r in rows)
        {
            text.Append(inv, $"{code},{period},{r.LoanId},{r.BorrowerRef},{r.ProductType},{r.Scenario},{r.OriginationDate:yyyy-MM-dd},{r.Principal:0.00},{r.CreditLimit:0.00},{r.TermMonths},{r.AnnualRatePct:0.##},{r.OutstandingPrincipal:0.00},{r.DaysPastDue},{r.Status},{r.ChargeOffAmount:0.00},{r.RecoveryAmount:0.00},{r.FundingSource}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
