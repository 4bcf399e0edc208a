using System.Globalization;
using System.Text;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Submissions;
using FinancePortal.Infrastructure.Data;
using FinancePortal.Infrastructure.Data.Bulk;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Infrastructure.Seeding;

/// <summary>
/// 24 months of signed loan tapes for the reporting platforms, simulated loan by loan: growth, seasonality around the
/// 618 (June) and Double 11 (November) shopping festivals, two platforms deteriorating (QFEN, XMHX), one recovering
/// (SNRX). Each month's rows go through the real bulk writer; the matching CSV is kept in the file store so the
/// original file can be downloaded. Deterministic for a given scale.
/// </summary>
internal static class DemoLoanTapes
{
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

    public static async Task SeedAsync(PortalDbContext db, IFileStore files, double scale, Window window, CancellationToken ct)
    {
        var platforms = await db.Platforms.Where(p => Reporting.Contains(p.Code)).ToDictionaryAsync(p => p.Code, ct);
        foreach (var code in Reporting)
        {
            var platform = platforms[code];
            var simulator = new PortfolioSimulator(code, scale);
            foreach (var period in window.Months)
            {
                var rows = simulator.NextMonth(period);
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
            UploadedBy = $"operator ({platform.Code})",
            UploadedUtc = signed.AddHours(-2),
            CheckStartedUtc = signed.AddHours(-2),
            CheckedUtc = signed.AddHours(-2).AddMinutes(1),
            RuleSetVersion = "demo",
            RowsRead = rows.Count,
            ValidRows = rows.Count,
            SignedBy = $"operator ({platform.Code})",
            AttestedName = "Demo filer",
            SignedUtc = signed,
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

            await LoanRecordWriters.WriteVersionAsync(db, submission, rows.ToAsyncEnumerable(), ct);
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

    /// <summary>A platform's book of loans, moved on one month at a time.</summary>
    private sealed class PortfolioSimulator(string code, double scale)
    {
        private static readonly string[] Products = ["INSTALLMENT", "CREDIT_LINE", "CASH_LOAN"];
        private static readonly string[] Scenarios = ["ECOMMERCE", "ECOMMERCE", "ECOMMERCE", "DECORATION", "TRAVEL", "EDUCATION", "OTHER"];
        // string.GetHashCode is randomised per process; a fixed hash keeps the demo data the same on every run.
        private readonly Random _random = new(StableSeed(code) & 0x7fff ^ 2026);

        private static int StableSeed(string text)
        {
            var hash = 2166136261u; // FNV-1a
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return (int)(hash & 0x7fffffff);
        }
        private readonly List<Loan> _book = [];
        private int _month;
        private int _next;

        public IReadOnlyList<LoanRecord> NextMonth(string period)
        {
            _month++;
            var lastDay = Periods.LastDay(period);
            var rows = new List<LoanRecord>();
            // Existing loans age by one month.
            foreach (var loan in _book.Where(l => l.Open).ToList())
            {
                Age(loan);
                rows.Add(loan.ToRecord(period));
            }

            _book.RemoveAll(l => !l.Open);
            // New loans: growth plus the 618 and Double 11 festivals.
            var festival = lastDay.Month switch { 6 => 1.6, 11 => 2.1, 12 => 1.3, _ => 1.0 };
            var newLoans = (int)(scale * (60 + _month * 2.5) * festival);
            for (var i = 0; i < newLoans; i++)
            {
                var loan = NewLoan(lastDay);
                _book.Add(loan);
                rows.Add(loan.ToRecord(period));
            }

            return rows;
        }

        /// <summary>Monthly probability that a current loan misses a payment: the platform's risk over time.</summary>
        private double MissRate() => code switch
        {
            "QFEN" or "XMHX" => 0.012 + 0.0025 * _month, // deteriorating
            "SNRX" => Math.Max(0.008, 0.06 - 0.0025 * _month), // recovering
            "NBXH" => 0.025,
            _ => 0.012,
        };

        private void Age(Loan loan)
        {
            loan.ChargeOff = 0m;
            loan.Recovery = 0m;
            if (loan.Status == "CHARGED_OFF")
            {
                loan.Recovery = Math.Round(loan.ChargedOffAmount * 0.03m, 2);
                loan.Open = _random.NextDouble() < 0.5; // report recoveries for a while, then drop
                return;
            }

            if (loan.Dpd == 0)
            {
                if (_random.NextDouble() < MissRate())
                {
                    loan.Dpd = 30;
                }
                else
                {
                    loan.Outstanding = Math.Max(0m, Math.Round(loan.Outstanding - loan.Principal / loan.Term, 2));
                    loan.Paid++;
                }
            }
            else if (_random.NextDouble() < 0.35)
            {
                loan.Dpd = 0; // cured
            }
            else
            {
                loan.Dpd += 30;
            }

            if (loan.Dpd > 180)
            {
                loan.Status = "CHARGED_OFF";
                loan.ChargeOff = loan.Outstanding;
                loan.ChargedOffAmount = loan.Outstanding;
                loan.Outstanding = 0m;
                loan.Dpd = 0;
                return;
            }

            if (loan.Outstanding <= 0m || loan.Paid >= loan.Term)
            {
                loan.Outstanding = 0m;
                loan.Status = "REPAID";
                loan.Dpd = 0;
                loan.Open = false;
                return;
            }

            loan.Status = loan.Dpd == 0 ? "CURRENT" : loan.Dpd >= 90 ? "DEFAULTED" : "DELINQUENT";
        }

        private Loan NewLoan(DateOnly lastDay)
        {
            var product = Products[_random.Next(Products.Length)];
            var principal = Math.Round((decimal)(_random.NextDouble() * 19_000 + 1_000), 2);
            var term = product == "CASH_LOAN" ? 12 : new[] { 3, 6, 12, 24 }[_random.Next(4)];
            return new Loan
            {
                Id = $"{code}-{++_next:D7}",
                Borrower = $"{code[..2]}B{_random.Next(1, 400_000):D6}",
                Product = product,
                Scenario = Scenarios[_random.Next(Scenarios.Length)],
                Originated = new DateOnly(lastDay.Year, lastDay.Month, 1 + _random.Next(lastDay.Day)),
                Principal = principal,
                Limit = product == "CREDIT_LINE" ? Math.Round(principal * 1.5m, 2) : principal,
                Term = term,
                Rate = Math.Round((decimal)(_random.NextDouble() * 14 + 9), 2),
                Outstanding = principal,
                Funding = _random.NextDouble() switch { < 0.35 => "OWN_FUNDS", < 0.75 => "BANK_COLENDING", < 0.9 => "ABS", < 0.97 => "OTHER_INSTITUTION", _ => "OTHER" },
            };
        }

        private sealed class Loan
        {
            public string Id = "";
            public string Borrower = "";
            public string Product = "";
            public string Scenario = "";
            public DateOnly Originated;
            public decimal Principal;
            public decimal Limit;
            public int Term;
            public decimal Rate;
            public decimal Outstanding;
            public int Dpd;
            public int Paid;
            public string Status = "CURRENT";
            public decimal ChargeOff;
            public decimal ChargedOffAmount;
            public decimal Recovery;
            public string Funding = "";
            public bool Open = true;

            public LoanRecord ToRecord(string period) => new()
            {
                Period = period, LoanId = Id, BorrowerRef = Borrower, ProductType = Product, Scenario = Scenario, OriginationDate = Originated,
                Principal = Principal, CreditLimit = Limit, TermMonths = Term, AnnualRatePct = Rate, OutstandingPrincipal = Outstanding,
                DaysPastDue = Dpd, Status = Status, ChargeOffAmount = ChargeOff, RecoveryAmount = Recovery, FundingSource = Funding,
            };
        }
    }
}
