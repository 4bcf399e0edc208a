using System.Net.Mail;
using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Users;

/// <summary>The rules a user account's fields must meet (the password is checked by Identity's policy).</summary>
public static class UserValidator
{
    /// <summary>Field rules shared by create and update; the password is checked by Identity's policy.</summary>
    public static Dictionary<string, string> Validate(UserInput input, bool creating)
    {
        var errors = new Dictionary<string, string>();
        if (!MailAddress.TryCreate(input.Email?.Trim() ?? "", out _))
        {
            errors[nameof(UserInput.Email)] = "Enter a valid e-mail address; it is the user name.";
        }

        if (string.IsNullOrWhiteSpace(input.DisplayName))
        {
            errors[nameof(UserInput.DisplayName)] = "Display name is required.";
        }

        if (input.JobTitle is { Length: > 200 })
        {
            errors[nameof(UserInput.JobTitle)] = "A job title has at most 200 characters.";
        }

        var unknown = input.Roles.Where(r => !Roles.All.Contains(r)).ToList();
        if (input.Roles.Count == 0)
        {
            errors[nameof(UserInput.Roles)] = "Give the user at least one role.";
        }
        else if (unknown.Count > 0)
        {
            errors[nameof(UserInput.Roles)] = $"Unknown role: {string.Join(", ", unknown)}.";
        }
        else if (input.Roles.Contains(Roles.Operator) && input.Roles.Count > 1)
        {
            errors[nameof(UserInput.Roles)] = "An Operator works for a platform and cannot also hold a regulator role.";
        }

        if (input.Roles.Contains(Roles.Operator) && input.PlatformId is null)
        {
            errors[nameof(UserInput.PlatformId)] = "An Operator must be bound to exactly one platform.";
        }
        else if (!input.Roles.Contains(Roles.Operator) && input.PlatformId is not null)
        {
            errors[nameof(UserInput.PlatformId)] = "Only Operators are bound to a platform.";
        }

        if (input.Roles.Contains(Roles.Operator) && input.Provinces.Count > 0)
        {
            errors[nameof(UserInput.Provinces)] = "Provinces limit regulator-side users; an Operator sees only their platform.";
        }
        else if (input.Provinces.FirstOrDefault(p => !Provinces.IsKnown(p)) is { } bad)
        {
            errors[nameof(UserInput.Provinces)] = $"Unknown province: {bad}.";
        }

        if (creating && string.IsNullOrEmpty(input.Password))
        {
            errors[nameof(UserInput.Password)] = "Set an initial password.";
        }

        return errors;
    }
}
