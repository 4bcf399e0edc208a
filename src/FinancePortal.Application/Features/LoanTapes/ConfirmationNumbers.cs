using System.Security.Cryptography;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// Confirmation numbers of filing receipts: <c>FP-</c> and 20 random Crockford base32 characters (100 bits from the
/// system's cryptographic generator) in groups of four, e.g. <c>FP-7K2M-Q9XD-4HTV-0BNR-WC3E</c>. Not derived from ids,
/// times or file hashes, so one cannot be guessed from another. Back-filled numbers of versions signed before receipts
/// existed use the hexadecimal subset of the same alphabet (80 random bits).
/// </summary>
public static class ConfirmationNumbers
{
    public const string Prefix = "FP-";

    /// <summary>Crockford's base32: no I, L, O or U, so a number read aloud or retyped is not mistaken.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private const int Groups = 5;

    private const int GroupLength = 4;

    public static string New()
    {
        Span<byte> random = stackalloc byte[Groups * GroupLength];
        RandomNumberGenerator.Fill(random);
        var text = new System.Text.StringBuilder(Prefix, Prefix.Length + Groups * (GroupLength + 1));
        for (var i = 0; i < random.Length; i++)
        {
            if (i > 0 && i % GroupLength == 0)
            {
                text.Append('-');
            }

            // 5 bits of each byte: every character of the alphabet equally likely.
            text.Append(Alphabet[random[i] & 31]);
        }

        return text.ToString();
    }

    /// <summary>Whether <paramref name="value"/> has the shape of a confirmation number (new or back-filled).</summary>
    public static bool IsWellFormed(string? value)
    {
        if (value is null || value.Length != Prefix.Length + Groups * GroupLength + Groups - 1 || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = Prefix.Length; i < value.Length; i++)
        {
            var dash = (i - Prefix.Length) % (GroupLength + 1) == GroupLength;
            if (dash ? value[i] != '-' : !Alphabet.Contains(value[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
