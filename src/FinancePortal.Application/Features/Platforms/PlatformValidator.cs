using System.Text.RegularExpressions;
using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Platforms;

/// <summary>Field rules for <see cref="PlatformInput"/>, shared by the form and the service.</summary>
public static partial class PlatformValidator
{
    public const int MaxCodeLength = 16;
    public const int MaxNameLength = 200;

    /// <summary>Field name to message; empty when the input is valid.</summary>
    public static Dictionary<string, string> Validate(PlatformInput input)
    {
        var errors = new Dictionary<string, string>();
        var code = input.Code?.Trim() ?? "";
        if (!CodePattern().IsMatch(code))
        {
            errors[nameof(PlatformInput.Code)] = $"Code must be 2-{MaxCodeLength} capital letters or digits, e.g. JDBT.";
        }

        var name = input.LegalName?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors[nameof(PlatformInput.LegalName)] = "Legal name is required.";
        }
        else if (name.Length > MaxNameLength)
        {
            errors[nameof(PlatformInput.LegalName)] = $"Legal name must be at most {MaxNameLength} characters.";
        }

        if (!Provinces.IsKnown(input.Province ?? ""))
        {
            errors[nameof(PlatformInput.Province)] = "Choose the home province from the list.";
        }

        if (!Enum.IsDefined(input.Kind))
        {
            errors[nameof(PlatformInput.Kind)] = "Choose a platform kind from the list.";
        }

        errors.AddMoneyError(nameof(PlatformInput.RegisteredCapital), "Registered capital", input.RegisteredCapital);
        return errors;
    }

    [GeneratedRegex("^[A-Z0-9]{2,16}$")]
    private static partial Regex CodePattern();
}
