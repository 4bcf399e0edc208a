using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FinancePortal.TestSupport;

/// <summary>One log event as a provider receives it: the template's named properties are in <see cref="Properties"/>.</summary>
public sealed record LogEvent(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Properties)
{
    /// <summary>The message template ("{OriginalFormat}"): proves the call used a template, not an interpolated string.</summary>
    public string? Template => Properties.TryGetValue("{OriginalFormat}", out var t) ? t as string : null;
}

/// <summary>A logger provider that keeps every event (add it with <c>AddProvider</c> and a filter for its level).</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => _events.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _events);

    /// <summary>Forgets the events so far (e.g. those of the app's start-up).</summary>
    public void Clear() => _events.Clear();

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEvent> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value)
                : new Dictionary<string, object?>();
            events.Enqueue(new LogEvent(category, logLevel, eventId, formatter(state, exception), properties));
        }
    }
}
