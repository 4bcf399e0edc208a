using System.Globalization;
using System.Runtime.CompilerServices;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// The edits of one loan tape, whatever the file format, for <see cref="LoanTapeChecker"/>: <see cref="CheckHeader"/>,
/// <see cref="CheckSyntax"/> for every data row and <see cref="EndSyntax"/> (the syntactical pass); then, per row,
/// <see cref="ValidateDeferred"/> (validity and quality edits that need only the row), <see cref="Duplicate"/> (V02) and
/// <see cref="BorrowerTotal"/> (Q05), which <see cref="RowRules"/> finds across rows; <see cref="Finish"/> runs the
/// macro edits. Findings are added to the caller's collection; nothing is kept per row. One instance per file; not thread-safe.
/// </summary>
/// <remarks>
/// Columns are matched by name, ignoring case and surrounding spaces, so reordered columns are accepted; missing,
/// unknown and duplicate columns are syntactical errors. Enumerated codes are matched exactly (upper case). Numbers
/// use the invariant culture: '.' decimal point, optional leading '-', no thousands separators, no exponent.
/// </remarks>
public sealed class LoanTapeValidator
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly int ColumnCount = LoanTapeFormat.Columns.Count;

    private readonly string _platformCode;
    private readonly string _period;
    private readonly DateOnly _monthEnd;
    private readonly MonthFigures? _previous;
    private readonly bool _qualityEdits;
    private readonly int[] _map = new int[ColumnCount];

    private int _headerCount;
    private bool _headerComplete;
    private int _syntaxRows;
    private bool _rowErrors;
    private int _loanCount;
    private decimal _outstanding;
    private decimal _defaulted;

    // The row being validated (set by Validate, used by the field helpers).
    private RawRow _row = new();
    private int _rowNumber;
    private string? _rowLoanId;
    private ICollection<Finding> _findings = [];

    /// <param name="platformCode">The submitting platform's code; every row's platform_code must equal it.</param>
    /// <param name="period">The submission period, YYYY-MM; every row's reporting_month must equal it.</param>
    /// <param name="previous">The previous month's figures, or null when there is none (first submission).</param>
    /// <param name="qualityEdits">
    /// False to skip the quality edits (warnings only) and the borrower totals they need, when only the valid rows and
    /// the blocking outcome matter (reading an already checked file at signing).
    /// </param>
    public LoanTapeValidator(string platformCode, string period, MonthFigures? previous = null, bool qualityEdits = true)
    {
        _qualityEdits = qualityEdits;
        if (!DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", Inv, DateTimeStyles.None, out var first))
        {
            throw new ArgumentException("The period must be written YYYY-MM.", nameof(period));
        }

        _platformCode = platformCode;
        _period = period;
        _monthEnd = first.AddMonths(1).AddDays(-1);
        _previous = previous;
        Array.Fill(_map, -1);
    }

    public string PlatformCode => _platformCode;

    public string Period => _period;

    /// <summary>The month's figures over the valid rows so far (complete after the last row).</summary>
    public MonthFigures Figures => new(_loanCount, _outstanding, _defaulted);

    /// <summary>
    /// Maps the header's columns by name. Returns false when the header is unusable (it looks separated by another
    /// character), in which case the rows are not worth checking.
    /// </summary>
    public bool CheckHeader(RawRow header, ICollection<Finding> findings)
    {
        _headerCount = header.Count;
        if (header.Count == 1 && LooksSeparatedBy(header[0]) is { } separator)
        {
            findings.Add(FileFinding(EditRules.S07, null, header.ValueOf(0), separator));
            return false;
        }

        for (var i = 0; i < header.StoredCount; i++)
        {
            var name = header[i];
            var column = IndexOfColumn(name);
            if (column < 0)
            {
                var shown = name.IsEmpty ? $"{i + 1} (no name)" : $"'{header.ValueOf(i)}'";
                findings.Add(FileFinding(EditRules.S09, null, header.ValueOf(i), shown));
            }
            else if (_map[column] >= 0)
            {
                findings.Add(FileFinding(EditRules.S10, LoanTapeFormat.Columns[column], header.ValueOf(i), $"'{LoanTapeFormat.Columns[column]}'"));
            }
            else
            {
                _map[column] = i;
            }
        }

        if (header.Count > header.StoredCount)
        {
            findings.Add(FileFinding(EditRules.S09, null, null, $"{header.StoredCount + 1} to {header.Count}"));
        }

        for (var column = 0; column < ColumnCount; column++)
        {
            if (_map[column] < 0)
            {
                findings.Add(FileFinding(EditRules.S08, LoanTapeFormat.Columns[column], null, $"'{LoanTapeFormat.Columns[column]}'"));
            }
        }

        _headerComplete = header.Count == ColumnCount && !_map.Contains(-1);
        return true;
    }

    /// <summary>Syntactical edits of one data row: field count, platform and month.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CheckSyntax(int rowNumber, RawRow row, ICollection<Finding> findings)
    {
        _syntaxRows++;
        if (row.Count != _headerCount)
        {
            findings.Add(new Finding("S11", rowNumber, TextOrNull(row, LoanTapeColumn.LoanId), null, null, EditRules.S11.Format(rowNumber, Fields(row.Count), Fields(_headerCount))));
            return;
        }

        CheckEquals(row, rowNumber, LoanTapeColumn.PlatformCode, _platformCode, EditRules.S13, findings);
        CheckEquals(row, rowNumber, LoanTapeColumn.ReportingMonth, _period, EditRules.S14, findings);
    }

    /// <summary>File-level syntactical edits known only after the last row: a file without loans.</summary>
    public void EndSyntax(ICollection<Finding> findings)
    {
        if (_syntaxRows == 0)
        {
            findings.Add(FileFinding(EditRules.S12, null, null));
        }
    }

    /// <summary>
    /// The edits of one row that need nothing but the row: every validity edit except V02 (duplicate loan id) and,
    /// when the row passes them, every quality edit except Q05 (borrower total). Returns the typed row when it passed
    /// (it is valid unless its loan id turns out to be a duplicate), else null; <paramref name="loanId"/> is the row's
    /// loan id when it passed V01 (whatever else failed), for the caller's duplicate detection. Neither the month's
    /// figures nor any per-file state change: the caller reports duplicates with <see cref="Duplicate"/>, borrower
    /// totals with <see cref="BorrowerTotal"/> and counts each valid row with <see cref="Accept"/>, in row order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LoanTapeRow? ValidateDeferred(int rowNumber, RawRow row, ICollection<Finding> findings, out string? loanId)
    {
        var before = findings.Count;
        var loan = ValidateFields(rowNumber, row, findings, out loanId);
        if (findings.Count > before)
        {
            _rowErrors = true;
            return null;
        }

        if (_qualityEdits)
        {
            CheckQuality(loan!);
        }

        return loan;
    }

    /// <summary>The V02 finding of a row whose loan id appeared on an earlier row (see <see cref="ValidateDeferred"/>).</summary>
    public Finding Duplicate(int rowNumber, string loanId)
    {
        _rowErrors = true;
        return new Finding(EditRules.V02.Code, rowNumber, loanId, LoanTapeFormat.Name(LoanTapeColumn.LoanId), loanId, EditRules.V02.Format());
    }

    /// <summary>
    /// True when the borrower's running total of principal over the valid rows, <paramref name="total"/> after adding
    /// this row's <paramref name="principal"/>, passes the Q05 limit on this row.
    /// </summary>
    public static bool PassesBorrowerLimit(decimal total, decimal principal) =>
        total > EditRules.BorrowerTotalLimit && total - principal <= EditRules.BorrowerTotalLimit;

    /// <summary>The Q05 finding of a valid row on which its borrower's running total passed the limit (see <see cref="PassesBorrowerLimit"/>).</summary>
    public static Finding BorrowerTotal(int rowNumber, string loanId, string borrowerRef, decimal total) =>
        new(EditRules.Q05.Code, rowNumber, loanId, LoanTapeFormat.Name(LoanTapeColumn.BorrowerRef), borrowerRef, EditRules.Q05.Format(total.ToString(Inv)));

    /// <summary>Counts a valid row in the month's figures.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accept(LoanTapeRow loan)
    {
        _loanCount++;
        if (loan.IsOutstanding)
        {
            _outstanding += loan.OutstandingPrincipal;
            _defaulted += loan.IsDefaulted ? loan.OutstandingPrincipal : 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private LoanTapeRow? ValidateFields(int rowNumber, RawRow row, ICollection<Finding> findings, out string? loanId)
    {
        if (!_headerComplete || row.Count != _headerCount)
        {
            throw new InvalidOperationException("The row edits need a header with exactly the loan-tape columns and a row that passed CheckSyntax.");
        }

        _row = row;
        _rowNumber = rowNumber;
        _findings = findings;
        _rowLoanId = null;
        var before = findings.Count;

        loanId = Text(LoanTapeColumn.LoanId, EditRules.V01);
        var borrowerRef = Text(LoanTapeColumn.BorrowerRef, EditRules.V03);
        if (borrowerRef is not null && PersonalIdentifiers.Recognise(borrowerRef) is { } looksLike)
        {
            // The finding keeps the value masked: the findings table must not become a store of the identifiers.
            _rowLoanId ??= TextOrNull(_row, LoanTapeColumn.LoanId);
            findings.Add(new Finding(EditRules.V20.Code, rowNumber, _rowLoanId, LoanTapeFormat.Name(LoanTapeColumn.BorrowerRef),
                PersonalIdentifiers.Mask(borrowerRef), EditRules.V20.Format(looksLike)));
        }

        var product = Code(LoanTapeColumn.ProductType, LoanTapeFormat.ProductTypes, EditRules.V04);
        var scenario = Code(LoanTapeColumn.Scenario, LoanTapeFormat.Scenarios, EditRules.V05);
        var origination = Date(LoanTapeColumn.OriginationDate, EditRules.V06);
        if (origination > _monthEnd)
        {
            Report(EditRules.V07, LoanTapeColumn.OriginationDate, _monthEnd.ToString("yyyy-MM-dd", Inv));
        }

        var principal = Amount(LoanTapeColumn.Principal, EditRules.V08, allowZero: false);
        var creditLimit = Amount(LoanTapeColumn.CreditLimit, EditRules.V09);
        var term = Whole(LoanTapeColumn.TermMonths, EditRules.V10, 1, 60);
        var rate = Number(LoanTapeColumn.AnnualRatePct, EditRules.V11, 0, 100, decimals: 4);
        var outstanding = Amount(LoanTapeColumn.OutstandingPrincipal, EditRules.V12);
        var dpd = Whole(LoanTapeColumn.DaysPastDue, EditRules.V13, 0, int.MaxValue);
        var status = Code(LoanTapeColumn.Status, LoanTapeFormat.Statuses, EditRules.V14);
        if (status is { } s && dpd is { } d && !StatusMatchesDpd(s, d))
        {
            Report(EditRules.V15, LoanTapeColumn.Status, LoanTapeFormat.Statuses.ToCode(s), d);
        }

        var chargeOff = Amount(LoanTapeColumn.ChargeOffAmount, EditRules.V16);
        var recovery = Amount(LoanTapeColumn.RecoveryAmount, EditRules.V17);
        var funding = Code(LoanTapeColumn.FundingSource, LoanTapeFormat.FundingSources, EditRules.V18);
        if (findings.Count > before)
        {
            return null;
        }

        return new LoanTapeRow(
            rowNumber, _platformCode, _period, loanId!, borrowerRef!, product!.Value, scenario!.Value, origination!.Value,
            principal!.Value, creditLimit!.Value, term!.Value, rate!.Value, outstanding!.Value, dpd!.Value, status!.Value,
            chargeOff!.Value, recovery!.Value, funding!.Value);
    }

    /// <summary>
    /// Macro edits over the whole file, compared with the previous month when there is one. They run only when every
    /// row was valid: figures over part of a file would raise false alarms.
    /// </summary>
    public void Finish(ICollection<Finding> findings)
    {
        if (_rowErrors)
        {
            return;
        }

        var current = Figures;
        if (_previous is { LoanCount: > 0 } previous)
        {
            var change = Math.Abs(current.LoanCount - previous.LoanCount) / (decimal)previous.LoanCount;
            if (change > EditRules.LoanCountChangeLimit)
            {
                findings.Add(FileFinding(EditRules.M01, null, current.LoanCount.ToString(Inv), change * 100, previous.LoanCount, current.LoanCount));
            }
        }

        if (_previous?.DefaultRate is { } before && current.DefaultRate is { } now
            && Math.Abs(now - before) * 100 > EditRules.DefaultRateChangeLimitPp)
        {
            findings.Add(FileFinding(EditRules.M02, null, Percent(now), before * 100, now * 100));
        }

        if (current.DefaultRate is { } rate && rate > EditRules.DefaultShareLimit)
        {
            findings.Add(FileFinding(EditRules.M03, null, Percent(rate), rate * 100));
        }
    }

    public static bool StatusMatchesDpd(LoanStatus status, int dpd) => status switch
    {
        LoanStatus.Current => dpd == 0,
        LoanStatus.Delinquent => dpd is >= 1 and <= 89,
        LoanStatus.Defaulted => dpd >= 90,
        _ => true,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CheckQuality(LoanTapeRow loan)
    {
        if (loan.Principal > EditRules.LargePrincipal)
        {
            Report(EditRules.Q01, LoanTapeColumn.Principal);
        }

        if (loan.AnnualRatePct > EditRules.HighRatePct)
        {
            Report(EditRules.Q02, LoanTapeColumn.AnnualRatePct);
        }

        if (loan.OutstandingPrincipal > loan.Principal)
        {
            Report(EditRules.Q03, LoanTapeColumn.OutstandingPrincipal);
        }

        // A credit limit of 0 on an instalment or cash loan means it has no credit line: nothing to compare. A credit
        // line always has a limit, so a CREDIT_LINE with 0 and a balance is compared like any other.
        if (loan.CreditLimit < loan.OutstandingPrincipal && (loan.CreditLimit > 0 || loan.ProductType == ProductType.CreditLine))
        {
            Report(EditRules.Q04, LoanTapeColumn.CreditLimit);
        }

        // A charged-off loan carries the delinquency it had when written off; fewer than 90 days is usually a wrong
        // days_past_due (or status), occasionally an early write-off (fraud, bankruptcy) the filer confirms.
        if (loan.Status == LoanStatus.ChargedOff && loan.DaysPastDue < EditRules.ChargeOffMinimumDpd)
        {
            Report(EditRules.Q07, LoanTapeColumn.DaysPastDue, loan.DaysPastDue);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? Text(LoanTapeColumn column, EditRule rule)
    {
        var i = _map[(int)column];
        var length = _row.FullLength(i);
        if (length is 0 or > LoanTapeFormat.MaxTextLength)
        {
            Report(rule, column);
            return null;
        }

        return _row[i].ToString();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private T? Code<T>(LoanTapeColumn column, EnumCodes<T> codes, EditRule rule) where T : struct, Enum
    {
        if (codes.TryParse(Field(column), out var value))
        {
            return value;
        }

        Report(rule, column);
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private DateOnly? Date(LoanTapeColumn column, EditRule rule)
    {
        var text = Field(column);
        if (TryParseIsoDate(text, out var date) || DateOnly.TryParseExact(text, "yyyy-MM-dd", Inv, DateTimeStyles.None, out date))
        {
            return date;
        }

        Report(rule, column);
        return null;
    }

    private decimal? Amount(LoanTapeColumn column, EditRule rule, bool allowZero = true) =>
        Number(column, rule, 0, MoneyRules.Max, decimals: 2, allowZero);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private decimal? Number(LoanTapeColumn column, EditRule rule, decimal min, decimal max, int decimals, bool allowZero = true)
    {
        var text = Field(column);
        if (HasThousandsSeparator(column, text))
        {
            return null;
        }

        if ((TryParsePlainDecimal(text, out var value) || decimal.TryParse(text, DecimalStyle, Inv, out value))
            && value >= min && value <= max && (allowZero || value != 0) && (value.Scale <= decimals || decimal.Round(value, decimals) == value))
        {
            return value;
        }

        Report(rule, column);
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int? Whole(LoanTapeColumn column, EditRule rule, int min, int max)
    {
        var text = Field(column);
        if (HasThousandsSeparator(column, text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, Inv, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Report(rule, column);
        return null;
    }

    private bool HasThousandsSeparator(LoanTapeColumn column, ReadOnlySpan<char> text)
    {
        if (!text.Contains(','))
        {
            return false;
        }

        Report(EditRules.V19, column, LoanTapeFormat.Name(column));
        return true;
    }

    /// <summary>The stored field; a field longer than <see cref="RawRow.MaxStoredLength"/> reads as invalid text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<char> Field(LoanTapeColumn column)
    {
        var i = _map[(int)column];
        return _row.FullLength(i) > RawRow.MaxStoredLength ? "\0" : _row[i];
    }

    private void Report(EditRule rule, LoanTapeColumn column, params object?[] args)
    {
        var i = _map[(int)column];
        _rowLoanId ??= TextOrNull(_row, LoanTapeColumn.LoanId);
        _findings.Add(new Finding(rule.Code, _rowNumber, _rowLoanId, LoanTapeFormat.Name(column), _row.ValueOf(i), rule.Format(args)));
    }

    private void CheckEquals(RawRow row, int rowNumber, LoanTapeColumn column, string expected, EditRule rule, ICollection<Finding> findings)
    {
        var i = _map[(int)column];
        if (i >= 0 && !row[i].SequenceEqual(expected))
        {
            findings.Add(new Finding(rule.Code, rowNumber, TextOrNull(row, LoanTapeColumn.LoanId), LoanTapeFormat.Name(column), row.ValueOf(i), rule.Format(expected)));
        }
    }

    private string? TextOrNull(RawRow row, LoanTapeColumn column)
    {
        var i = _map[(int)column];
        return i >= 0 && row.FullLength(i) > 0 ? row.ValueOf(i) : null;
    }

    private static Finding FileFinding(EditRule rule, string? column, string? value, params object?[] args) =>
        new(rule.Code, null, null, column, value, rule.Format(args));

    private static int IndexOfColumn(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < ColumnCount; i++)
        {
            if (name.Equals(LoanTapeFormat.Columns[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static string? LooksSeparatedBy(ReadOnlySpan<char> header) =>
        header.Contains(';') ? "semicolons (;)" : header.Contains('\t') ? "tabs" : header.Contains('|') ? "pipes (|)" : null;

    /// <summary>
    /// The common case of <c>yyyy-MM-dd</c> without the general parser: exactly four, two and two ASCII digits that
    /// form a real date. Anything else returns false and goes to <see cref="DateOnly.TryParseExact(ReadOnlySpan{char}, ReadOnlySpan{char}, IFormatProvider?, DateTimeStyles, out DateOnly)"/>,
    /// which then decides (so the result is always the general parser's).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseIsoDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        var year = 0;
        var month = 0;
        var day = 0;
        for (var i = 0; i < 10; i++)
        {
            if (i is 4 or 7)
            {
                continue;
            }

            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            if (i < 4)
            {
                year = (year * 10) + digit;
            }
            else if (i < 7)
            {
                month = (month * 10) + digit;
            }
            else
            {
                day = (day * 10) + digit;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>
    /// The common case of an unsigned decimal (digits, optionally '.' and digits; at most 18 digits in all) without the
    /// general parser, keeping the scale as written (1000.00 has scale 2), as <see cref="decimal.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider?, out decimal)"/>
    /// does. Anything else returns false and goes to the general parser, which then decides.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParsePlainDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 19)
        {
            return false;
        }

        long mantissa = 0;
        var digits = 0;
        var point = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.' && point < 0 && i > 0)
            {
                point = i;
                continue;
            }

            var digit = c - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            mantissa = (mantissa * 10) + digit;
            digits++;
        }

        if (digits > 18 || point == text.Length - 1)
        {
            return false;
        }

        var scale = point < 0 ? 0 : text.Length - point - 1;
        value = new decimal((int)mantissa, (int)(mantissa >> 32), 0, false, (byte)scale);
        return true;
    }

    private static string Fields(int count) => count == 1 ? "1 field" : $"{count} fields";

    private static string Percent(decimal rate) => (rate * 100).ToString("0.##", Inv) + "%";
}
