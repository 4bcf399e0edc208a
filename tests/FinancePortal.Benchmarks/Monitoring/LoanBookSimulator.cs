using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Submissions;

namespace FinancePortal.Benchmarks.Monitoring;

/// <summary>
/// One synthetic platform's loan book moved on a month at a time, deterministic for a given platform number. Loans
/// persist from month to month (so roll rates join and vintages have history): each month every open loan amortises,
/// misses a payment (1–29 DPD, then +30 a month, DEFAULTED from 90, charged off above 180), cures, or repays; charged-off
/// loans report recoveries for a month or two, then drop; new loans refill the book to about <c>rows</c> rows a month.
/// </summary>
public sealed class LoanBookSimulator
{
    private static readonly string[] Products = ["INSTALLMENT", "CREDIT_LINE", "CASH_LOAN"];
    private static readonly string[] Scenarios = ["ECOMMERCE", "ECOMMERCE", "DECORATION", "TRAVEL", "EDUCATION", "OTHER"];
    private static readonly int[] Terms = [3, 6, 12, 24];

    private readonly Random _random;
    private readonly string _code;
    private readonly double _missRate;
    private readonly double _trend;
    private readonly List<Loan> _book = [];
    private int _month;
    private int _next;

    public LoanBookSimulator(int platformNumber, string code)
    {
        _code = code;
        _random = new Random(7_000 + platformNumber);
        // Platforms differ: a monthly miss rate of 0.8–3.1 %, a few deteriorating, a few improving.
        _missRate = 0.008 + 0.0012 * platformNumber;
        _trend = (platformNumber % 5) switch { 0 => 0.0006, 1 => -0.0002, _ => 0 };
    }

    /// <summary>
    /// The rows of the next month: every loan still on the book, then new loans up to about <paramref name="rows"/>
    /// (exactly, with <paramref name="exact"/>, when the book is smaller).
    /// </summary>
    public List<LoanRecord> NextMonth(string period, int rows, bool exact = false)
    {
        _month++;
        var lastDay = Periods.LastDay(period);
        var result = new List<LoanRecord>(rows + 64);
        if (_month == 1)
        {
            // The opening book: loans originated over the previous year, some already delinquent.
            for (var i = 0; i < rows * 9 / 10; i++)
            {
                var loan = NewLoan(lastDay.AddMonths(-1 - _random.Next(12)));
                loan.Paid = Math.Min(loan.Term - 1, _random.Next(loan.Term));
                loan.Outstanding = Math.Round(loan.Principal * (loan.Term - loan.Paid) / loan.Term, 2);
                _book.Add(loan);
            }
        }

        foreach (var loan in _book)
        {
            Age(loan);
            result.Add(loan.ToRecord(period));
        }

        _book.RemoveAll(l => !l.Open);
        var fresh = exact ? Math.Max(0, rows - result.Count) : Math.Max(rows / 20, rows - result.Count + _random.Next(-40, 41));
        for (var i = 0; i < fresh; i++)
        {
            var loan = NewLoan(lastDay);
            _book.Add(loan);
            result.Add(loan.ToRecord(period));
        }

        return result;
    }

    private void Age(Loan loan)
    {
        loan.ChargeOff = 0m;
        loan.Recovery = 0m;
        if (loan.Status == "CHARGED_OFF")
        {
            loan.Recovery = Math.Round(loan.ChargedOffAmount * (decimal)(0.02 + _random.NextDouble() * 0.06), 2);
            loan.Open = _random.NextDouble() < 0.5;
            return;
        }

        if (loan.Dpd == 0)
        {
            if (_random.NextDouble() < Math.Max(0.002, _missRate + _trend * _month))
            {
                loan.Dpd = 1 + _random.Next(29);
            }
            else if (_random.NextDouble() < 0.03)
            {
                loan.Outstanding = 0m; // repaid early
            }
            else
            {
                loan.Outstanding = Math.Max(0m, Math.Round(loan.Outstanding - loan.Principal / loan.Term, 2));
                loan.Paid++;
            }
        }
        else if (_random.NextDouble() < (loan.Dpd < 90 ? 0.3 : 0.08))
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
            return;
        }

        if (loan.Dpd == 0 && (loan.Outstanding <= 0m || loan.Paid >= loan.Term))
        {
            loan.Outstanding = 0m;
            loan.Status = "REPAID";
            loan.Open = false;
            return;
        }

        loan.Status = loan.Dpd == 0 ? "CURRENT" : loan.Dpd >= 90 ? "DEFAULTED" : "DELINQUENT";
    }

    private Loan NewLoan(DateOnly month)
    {
        var product = Products[_random.Next(Products.Length)];
        var principal = Math.Round((decimal)(_random.NextDouble() * 19_000 + 1_000), 2);
        var last = month.AddDays(1 - month.Day).AddMonths(1).AddDays(-1);
        return new Loan
        {
            Id = $"{_code}-{++_next:D7}",
            Borrower = $"{_code}B{_random.Next(1, 1_000_000):D7}",
            Product = product,
            Scenario = Scenarios[_random.Next(Scenarios.Length)],
            Originated = new DateOnly(last.Year, last.Month, 1 + _random.Next(last.Day)),
            Principal = principal,
            Limit = product == "CREDIT_LINE" ? Math.Round(principal * 1.5m, 2) : principal,
            Term = product == "CASH_LOAN" ? 12 : Terms[_random.Next(Terms.Length)],
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
