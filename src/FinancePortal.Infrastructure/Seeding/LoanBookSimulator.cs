using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;

namespace FinancePortal.Infrastructure.Seeding;

/// <summary>
/// How risky a book is in one month. <see cref="MissRate"/>: the monthly chance that a current loan misses a payment
/// (Current to 1–29 days past due; cash loans 1.4x, instalment loans 0.75x). <see cref="Stress"/> (0 = a typical
/// unsecured consumer book, 1 = a book in trouble) raises the roll-forward rates of delinquent loans and lowers cures.
/// </summary>
public readonly record struct LoanBookRisk(double MissRate, double Stress = 0);

/// <summary>
/// One platform's unsecured consumer loan book moved on one month at a time: the generator behind the demo's loan
/// tapes (<see cref="DemoLoanTapes"/>) and the monitoring benchmark. Deterministic: the same seed, periods, volumes
/// and risks give the same rows. Loans keep their <c>loan_id</c> from month to month, so roll rates and vintages join.
/// <para>
/// Each month a current loan amortises, repays early, or misses a payment (1–29 days past due). A delinquent loan
/// either pays (cures to Current), pays part (back one bucket), or misses again (+30 days); the chance of rolling on
/// rises with the delinquency, as in real books: about 30 % from 1–29 to 30–59, 55 % from 30–59 to 60–89, 78 % from
/// 60–89 to 90+ (higher under <see cref="LoanBookRisk.Stress"/>). Loans 90+ days past due rarely cure (2 % a month)
/// and are charged off when they reach 180 days: status CHARGED_OFF with the days past due they have, the balance as
/// <c>charge_off_amount</c> and outstanding 0; they then report recoveries for a month or more, days past due still
/// counting, and drop. Statuses always match the days past due (CURRENT 0, DELINQUENT 1–89, DEFAULTED 90+), so every
/// row passes the validity edits; a month is 30 days.
/// </para>
/// </summary>
public sealed class LoanBookSimulator
{
    /// <summary>Days past due from which a 90+ loan is charged off.</summary>
    public const int ChargeOffDpd = 180;

    private static readonly string[] Products = ["INSTALLMENT", "CREDIT_LINE", "CASH_LOAN"];
    private static readonly string[] Scenarios = ["ECOMMERCE", "ECOMMERCE", "ECOMMERCE", "DECORATION", "TRAVEL", "EDUCATION", "OTHER"];
    private static readonly int[] Terms = [3, 6, 12, 24];

    private readonly string _code;
    private readonly Random _random;
    private readonly List<Loan> _book = [];
    private int _next;

    /// <param name="code">The platform code: the prefix of loan ids and borrower refs.</param>
    /// <param name="seed">The random seed (see <see cref="StableSeed"/> for one derived from a text).</param>
    public LoanBookSimulator(string code, int seed)
    {
        _code = code;
        _random = new Random(seed);
    }

    /// <summary>Loans on the book: each gives a row next month (the loans repaid or dropped this month are gone).</summary>
    public int OpenLoans => _book.Count;

    /// <summary>A seed from a text that is the same in every process (string.GetHashCode is randomised per process).</summary>
    public static int StableSeed(string text)
    {
        var hash = 2166136261u; // FNV-1a
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7fffffff);
    }

    /// <summary>
    /// Runs the book for <paramref name="months"/> months before <paramref name="firstPeriod"/> without reporting them,
    /// <paramref name="newLoans"/> new loans a month, so that the first reported month already holds seasoned loans in
    /// every delinquency bucket, charge-offs and repayments.
    /// </summary>
    public void Season(string firstPeriod, int months, int newLoans, LoanBookRisk risk)
    {
        var first = Periods.LastDay(firstPeriod);
        for (var i = months; i > 0; i--)
        {
            NextMonth(Periods.Of(first.AddDays(1).AddMonths(-1 - i)), newLoans, risk);
        }
    }

    /// <summary>The rows of <paramref name="period"/>: every loan on the book moved on one month, then <paramref name="newLoans"/> new loans.</summary>
    public List<LoanRecord> NextMonth(string period, int newLoans, LoanBookRisk risk)
    {
        var lastDay = Periods.LastDay(period);
        var rows = new List<LoanRecord>(_book.Count + newLoans);
        foreach (var loan in _book)
        {
            Age(loan, risk);
            rows.Add(loan.ToRecord(period));
        }

        _book.RemoveAll(l => !l.Open);
        for (var i = 0; i < newLoans; i++)
        {
            var loan = NewLoan(lastDay);
            _book.Add(loan);
            rows.Add(loan.ToRecord(period));
        }

        return rows;
    }

    /// <summary>
    /// The rows of <paramref name="period"/> with new loans refilling the book to about <paramref name="rows"/> rows
    /// (at least a twentieth of them new), or exactly <paramref name="rows"/> with <paramref name="exact"/> when the book
    /// is smaller.
    /// </summary>
    public List<LoanRecord> NextMonthOfSize(string period, int rows, LoanBookRisk risk, bool exact = false)
    {
        var fresh = exact ? Math.Max(0, rows - _book.Count) : Math.Max(rows / 20, rows - _book.Count + _random.Next(-40, 41));
        return NextMonth(period, fresh, risk);
    }

    private void Age(Loan loan, LoanBookRisk risk)
    {
        loan.ChargeOff = 0m;
        loan.Recovery = 0m;
        if (loan.Status == "CHARGED_OFF")
        {
            // Collections go on after the write-off: recoveries for a while, days past due still counting.
            loan.Dpd += 30;
            loan.Recovery = Math.Round(loan.ChargedOffAmount * (decimal)(0.02 + _random.NextDouble() * 0.06), 2);
            loan.Open = _random.NextDouble() < 0.5;
            return;
        }

        var stress = Math.Clamp(risk.Stress, 0, 1);
        var u = _random.NextDouble();
        switch (loan.Dpd)
        {
            case 0:
                var miss = risk.MissRate * loan.Product switch { "CASH_LOAN" => 1.4, "INSTALLMENT" => 0.75, _ => 1.0 };
                if (u < miss)
                {
                    loan.Dpd = 1 + _random.Next(29); // missed this month's payment
                }
                else if (u < miss + 0.02)
                {
                    loan.Outstanding = 0m; // repaid early
                }
                else
                {
                    Pay(loan, 1);
                }

                break;
            case < 30:
                Delinquent(loan, u, roll: 0.30 + 0.20 * stress, cure: 0.92);
                break;
            case < 60:
                Delinquent(loan, u, roll: 0.55 + 0.15 * stress, cure: 0.65 - 0.2 * stress);
                break;
            case < 90:
                Delinquent(loan, u, roll: 0.78 + 0.10 * stress, cure: 0.60 - 0.2 * stress);
                break;
            default:
                if (u < 0.02 * (1 - 0.5 * stress))
                {
                    Pay(loan, loan.Dpd / 30 + 1); // a rare full catch-up (or restructuring)
                    loan.Dpd = 0;
                }
                else
                {
                    loan.Dpd += 30;
                }

                break;
        }

        if (loan.Outstanding < 1m)
        {
            loan.Outstanding = 0m; // nothing (or rounding dust) left to owe: paid off, whatever the arrears were
            loan.Dpd = 0;
        }

        if (loan.Dpd >= ChargeOffDpd)
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

    /// <summary>
    /// A delinquent loan's month: it misses again (+30 days) with probability <paramref name="roll"/>; otherwise it pays
    /// everything it owes (back to Current) with probability <paramref name="cure"/>, else one instalment (back 30 days).
    /// </summary>
    private void Delinquent(Loan loan, double u, double roll, double cure)
    {
        if (u < roll)
        {
            loan.Dpd += 30;
        }
        else if (u < roll + (1 - roll) * cure)
        {
            Pay(loan, loan.Dpd / 30 + 2); // the arrears and this month's instalment
            loan.Dpd = 0;
        }
        else
        {
            Pay(loan, 1);
            loan.Dpd -= 30;
            if (loan.Dpd <= 0)
            {
                loan.Dpd = 1 + _random.Next(29); // still behind on this month's payment
            }
        }
    }

    private static void Pay(Loan loan, int instalments)
    {
        loan.Outstanding = Math.Max(0m, Math.Round(loan.Outstanding - instalments * loan.Principal / loan.Term, 2));
        loan.Paid += instalments;
    }

    private Loan NewLoan(DateOnly lastDay)
    {
        var product = Products[_random.Next(Products.Length)];
        var principal = Math.Round((decimal)(_random.NextDouble() * 19_000 + 1_000), 2);
        return new Loan
        {
            Id = $"{_code}-{++_next:D7}",
            Borrower = $"{_code}B{_random.Next(1, 1_000_000):D7}",
            Product = product,
            Scenario = Scenarios[_random.Next(Scenarios.Length)],
            Originated = new DateOnly(lastDay.Year, lastDay.Month, 1 + _random.Next(lastDay.Day)),
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
