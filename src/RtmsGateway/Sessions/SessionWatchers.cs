using System.Threading.Channels;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions;

/// <summary>
/// This replica's <c>WatchSessions</c> calls and <c>wait_for_start</c> waiters. It receives lifecycle changes from the
/// <see cref="ISessionCatalog"/> (local ones directly, or every replica's through Redis) and fans them out.
/// </summary>
internal sealed class SessionWatchers
{
    private const int WatcherQueue = 1024;
    private readonly Lock _lock = new();
    private readonly List<Waiter> _waiters = [];
    private ChannelWriter<WatchSessionsResponse>[] _watchers = [];

    /// <summary>Registers a watcher of live changes (register before taking a snapshot, so nothing falls in between).</summary>
    public ChannelReader<WatchSessionsResponse> Watch(CancellationToken ct)
    {
        var queue = Channel.CreateBounded<WatchSessionsResponse>(new BoundedChannelOptions(WatcherQueue) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        lock (_lock)
        {
            _watchers = [.. _watchers, queue.Writer];
        }
        ct.Register(() =>
        {
            lock (_lock)
            {
                _watchers = [.. _watchers.Where(w => w != queue.Writer)];
            }
            queue.Writer.TryComplete();
        });
        return queue.Reader;
    }

    /// <summary>Waits until a session matching the ids starts anywhere in the cluster, and <paramref name="visible"/>
    /// to the waiting consumer (a session it may not read never ends the wait: it is as if it never started).</summary>
    public async Task<SessionInfo> WaitForStartAsync(string streamId, string instanceId, Func<SessionInfo, bool> visible, CancellationToken ct)
    {
        var waiter = new Waiter(streamId, instanceId, visible);
        lock (_lock)
        {
            _waiters.Add(waiter);
        }
        try
        {
            return await waiter.Completion.Task.WaitAsync(ct);
        }
        finally
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Delivers one change to every watcher (a watcher that cannot keep up is ended) and to matching waiters.</summary>
    public void Deliver(WatchSessionsResponse change)
    {
        foreach (var watcher in Volatile.Read(ref _watchers))
        {
            if (!watcher.TryWrite(change))
            {
                watcher.TryComplete(new WatcherOverflowException());
            }
        }
        if (change.Change != SessionChange.Started || change.Session is null)
        {
            return;
        }
        Waiter[] ready;
        lock (_lock)
        {
            ready = [.. _waiters.Where(w => w.Matches(change.Session))];
        }
        foreach (var waiter in ready)
        {
            waiter.Completion.TrySetResult(change.Session);
        }
    }

    /// <summary>Ends every watch call with <paramref name="error"/> (drain).</summary>
    public void AbortAll(Exception error)
    {
        foreach (var watcher in Interlocked.Exchange(ref _watchers, []))
        {
            watcher.TryComplete(error);
        }
    }

    private sealed class Waiter(string streamId, string instanceId, Func<SessionInfo, bool> visible)
    {
        public TaskCompletionSource<SessionInfo> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Matches(SessionInfo info) => (streamId.Length > 0 ? info.RtmsStreamId == streamId : info.InstanceId == instanceId) && visible(info);
    }
}
