namespace FinancePortal.Application;

/// <summary>The user may not do this (maps to HTTP 403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>The thing does not exist or is outside the user's data scope (maps to HTTP 404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>Input failed validation; <see cref="Errors"/> maps field names to messages.</summary>
public sealed class ValidationFailedException(IReadOnlyDictionary<string, string> errors)
    : Exception(string.Join(" ", errors.Values))
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;

    public ValidationFailedException(string field, string message)
        : this(new Dictionary<string, string> { [field] = message })
    {
    }
}

/// <summary>Someone else saved the same record first.</summary>
public sealed class ConcurrencyConflictException()
    : Exception("This record was changed by someone else. Reload it and apply your change again.");
