using Microsoft.Extensions.Logging;

namespace RtmsGateway.Testing;

/// <summary>One log line a <see cref="CapturingLoggerProvider"/> kept.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>
/// Keeps what an in-process host logs (after the host's own level filters), so a test can assert on log lines; a test
/// waits for a line with <see cref="WaitForAsync"/> (a readiness signal, not a sleep). Bounded: the oldest lines go first.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private const int Capacity = 20_000;

    private readonly Lock _lock = new();
    private readonly Queue<CapturedLog> _lines = new();
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<CapturedLog> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>The first line (kept so far or logged later) that matches; throws <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/> (default: <see cref="StreamReading.DefaultTimeout"/>).</summary>
    public async Task<CapturedLog> WaitForAsync(Func<CapturedLog, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? StreamReading.DefaultTimeout);
        while (true)
        {
            Task added;
            lock (_lock)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }
                added = _added.Task;
            }
            try
            {
                await added.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching log line within the timeout; {Lines.Count} lines were logged.");
            }
        }
    }

    public void Dispose()
    {
    }

    private void Add(CapturedLog line)
    {
        TaskCompletionSource added;
        lock (_lock)
        {
            if (_lines.Count == Capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue(line);
            added = _added;
            _added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        added.TrySetResult();
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Add(new CapturedLog(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
