using System.Globalization;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// Recognises a borrower reference that is not pseudonymous (DOMAIN §4: "no names, no national ids"): a PRC resident
/// identity number anywhere in it (18 characters, GB 11643: region, a real date of birth, sequence and a valid
/// ISO 7064 MOD 11-2 check character; or the 15-digit first-generation form with a real date of birth), or Chinese
/// characters, which is how a borrower's name would appear. Names in Latin letters cannot be told apart from ids and
/// are not flagged. Fast for ordinary ids: a reference of ASCII letters and digits with no run of 15 digits is
/// accepted after one pass over it.
/// </summary>
public static class PersonalIdentifiers
{
    /// <summary>What a national identity number is called in messages.</summary>
    public const string IdentityNumber = "a resident identity card number";

    /// <summary>What Chinese characters are taken for in messages.</summary>
    public const string Name = "a personal name (it contains Chinese characters)";

    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>What <paramref name="value"/> looks like (<see cref="IdentityNumber"/> or <see cref="Name"/>), or null when it looks pseudonymous.</summary>
    public static string? Recognise(ReadOnlySpan<char> value)
    {
        var run = 0;
        var longestRun = 0;
        var chinese = false;
        foreach (var c in value)
        {
            run = char.IsAsciiDigit(c) ? run + 1 : 0;
            longestRun = Math.Max(longestRun, run);
            chinese |= IsHan(c);
        }

        if (longestRun >= 14 && ContainsIdentityNumber(value))
        {
            return IdentityNumber;
        }

        return chinese ? Name : null;
    }

    /// <summary>The value with all but its first three and last two characters hidden (all of it when shorter than 8), for findings.</summary>
    public static string Mask(string value) =>
        value.Length < 8 ? new string('*', value.Length) : string.Concat(value.AsSpan(0, 3), new string('*', value.Length - 5), value.AsSpan(value.Length - 2));

    private static bool ContainsIdentityNumber(ReadOnlySpan<char> value)
    {
        for (var start = 0; start < value.Length; start++)
        {
            // Only at the start of a run of digits: a longer run of digits is not an identity number.
            if (!char.IsAsciiDigit(value[start]) || (start > 0 && char.IsAsciiDigit(value[start - 1])))
            {
                continue;
            }

            var digits = 0;
            while (start + digits < value.Length && char.IsAsciiDigit(value[start + digits]))
            {
                digits++;
            }

            var end = start + digits;
            var candidate = value[start..end];
            if (digits == 17 && end < value.Length && value[end] is 'X' or 'x' && (end + 1 == value.Length || !char.IsAsciiLetterOrDigit(value[end + 1])))
            {
                if (IsSecondGeneration(value.Slice(start, 18)))
                {
                    return true;
                }
            }
            else if (digits == 18 && IsSecondGeneration(candidate))
            {
                return true;
            }
            else if (digits == 15 && IsRealDate(candidate.Slice(6, 6), century: 1900))
            {
                return true;
            }

            start = end;
        }

        return false;
    }

    /// <summary>18 characters: a real date of birth at 7-14 and the GB 11643 check character last.</summary>
    private static bool IsSecondGeneration(ReadOnlySpan<char> id)
    {
        if (!IsRealDate(id.Slice(6, 8), century: null))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (id[i] - '0') * Weights[i];
        }

        return char.ToUpperInvariant(id[17]) == CheckCharacters[sum % 11];
    }

    /// <summary>yyyyMMdd (or yyMMdd in <paramref name="century"/>), a real date from 1900 to today.</summary>
    private static bool IsRealDate(ReadOnlySpan<char> digits, int? century)
    {
        var format = century is null ? "yyyyMMdd" : "yyMMdd";
        if (!DateOnly.TryParseExact(digits, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        if (century is { } c)
        {
            date = new DateOnly(c + (date.Year % 100), date.Month, date.Day);
        }

        return date.Year >= 1900 && date <= DateOnly.FromDateTime(DateTime.UtcNow);
    }

    /// <summary>CJK Unified Ideographs, Extension A and the compatibility block.</summary>
    private static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';
}
