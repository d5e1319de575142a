using System.Collections.Concurrent;

namespace RtmsGateway.Simulator;

/// <summary>
/// Fire-and-forget work of the simulator (webhooks after a socket drop, stream stops on timeouts, socket closes):
/// every task is observed (failures logged, never unobserved) and awaited, bounded, when the simulator is disposed.
/// </summary>
internal sealed partial class BackgroundWork(ILogger logger)
{
    private readonly ConcurrentDictionary<Task, string> _running = new();

    public void Track(Task task, string what)
    {
        if (task.IsCompleted)
        {
            Observe(task, what);
            return;
        }
        _running[task] = what;
        _ = task.ContinueWith(
            (t, state) =>
            {
                var self = (BackgroundWork)state!;
                self._running.TryRemove(t, out var name);
                self.Observe(t, name ?? "background work");
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public void Run(Func<Task> work, string what) => Track(Task.Run(work), what);

    /// <summary>Waits for tracked work to finish, at most <paramref name="timeout"/>.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var pending = _running.Keys.ToArray();
        if (pending.Length == 0)
        {
            return;
        }
        await Task.WhenAll(pending).WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Observe(Task task, string what)
    {
        if (task.Exception is { } ex)
        {
            LogFailed(ex.GetBaseException(), what);
        }
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Warning, Message = "Simulator background work failed: {What}")]
    private partial void LogFailed(Exception ex, string what);
}
