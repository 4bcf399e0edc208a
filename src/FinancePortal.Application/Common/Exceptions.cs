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

/// <summary>
/// The database could not be reached (connection refused, file locked or gone, retries exhausted). Nothing of the
/// operation was saved; the user can try again once it is back (maps to HTTP 503).
/// </summary>
public sealed class DatabaseUnavailableException(Exception? inner = null)
    : Exception(UserMessage, inner)
{
    public const string UserMessage = "The database is unavailable; your changes were not saved. Try again in a moment.";
}
