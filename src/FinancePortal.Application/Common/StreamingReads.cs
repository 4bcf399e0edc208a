namespace FinancePortal.Application;

/// <summary>
/// Marks the opening of a streamed read (an export's row source). A retrying execution strategy (SQL Server's
/// EnableRetryOnFailure) makes EF Core buffer every query result in memory, since it cannot replay half-read rows; a
/// context whose first query runs inside this scope does not retry and so streams, keeping exports' memory flat on
/// SQL Server too. A transient failure then fails the export (nothing is audited) and the user asks again.
/// </summary>
public static class StreamingReads
{
    private static readonly AsyncLocal<bool> Current = new();

    /// <summary>True inside <see cref="Begin"/>: execution strategies report that they do not retry.</summary>
    public static bool Active => Current.Value;

    /// <summary>Starts the scope (for the caller and everything it awaits) until the result is disposed.</summary>
    public static IDisposable Begin()
    {
        var previous = Current.Value;
        Current.Value = true;
        return new Scope(previous);
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
