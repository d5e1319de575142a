using System.Threading.Channels;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions;

/// <summary>
/// One subscriber of a <see cref="SessionChannel{T}"/>: the replayed backlog, then a bounded queue of live items. Media
/// queues drop their oldest item when full (the reader sees the sequence jump and announces a gap); reliable queues
/// complete with <see cref="SubscriberOverflowException"/> instead, so nothing is lost silently.
/// </summary>
internal sealed class ChannelSubscription<T> : IDisposable
{
    private readonly Channel<ChannelItem<T>> _queue;
    private readonly Action<ChannelSubscription<T>> _unsubscribe;
    private readonly bool _reliable;
    private int _dropped;
    private bool _overflowed;
    private volatile bool _closed;
    private CancellationToken _waitToken;
    private CancellationTokenRegistration _waitRegistration;

    public ChannelSubscription(int capacity, bool reliable, Action<ChannelSubscription<T>> unsubscribe, Action? onDropped = null)
    {
        _reliable = reliable;
        _unsubscribe = unsubscribe;
        var options = new BoundedChannelOptions(capacity)
        {
            FullMode = reliable ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        };
        _queue = reliable
            ? Channel.CreateBounded<ChannelItem<T>>(options)
            : Channel.CreateBounded<ChannelItem<T>>(options, _ =>
            {
                Interlocked.Increment(ref _dropped);
                onDropped?.Invoke();
            });
    }

    /// <summary>Retained items to deliver before live ones.</summary>
    public IReadOnlyList<ChannelItem<T>> Backlog { get; init; } = [];

    /// <summary>Messages the resume point asked for that are no longer retained here.</summary>
    public Gap? InitialGap { get; init; }

    /// <summary>The sequence the subscriber asked to start after (0 for from_start and live).</summary>
    public ulong After { get; init; }

    /// <summary>The first sequence the live queue can deliver (everything before it is the backlog's).</summary>
    public ulong NextLive { get; init; }

    public ChannelReader<ChannelItem<T>> Reader => _queue.Reader;

    /// <summary>
    /// Waits until an item can be read (true) or the queue completed (false, or its error thrown);
    /// <see cref="OperationCanceledException"/> once <paramref name="ct"/> is cancelled. For the single reader. Unlike the
    /// queue's own wait with a cancellable token (a new wait operation and token registration every time the reader
    /// catches up, so once per frame for a subscriber that keeps up), this registers on the token once and waits with
    /// the queue's reusable operation; cancellation wakes the wait by completing the queue.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(ct);
        }
        if (ct.CanBeCanceled && ct != _waitToken)
        {
            _waitRegistration.Dispose();
            _waitToken = ct;
            _waitRegistration = ct.UnsafeRegister(static (state, token) => ((ChannelSubscription<T>)state!).Cancel(token), this);
        }
        return _queue.Reader.WaitToReadAsync(CancellationToken.None);
    }

    /// <summary>Set when the session ended; delivered after the queue drains.</summary>
    public SessionEnded? Ended { get; private set; }

    /// <summary>Items dropped because this subscriber was too slow (media only).</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>
    /// Never blocks. Returns false once, when a reliable subscriber overflows (its queue is then completed with
    /// <see cref="SubscriberOverflowException"/> and it receives nothing more). Called under the channel's lock.
    /// </summary>
    internal bool Offer(ChannelItem<T> item)
    {
        // A subscription closed from its side (disposed, or its call cancelled) is going away: nothing lost that it would read.
        if (_overflowed || _closed || _queue.Writer.TryWrite(item))
        {
            return true;
        }
        if (_reliable)
        {
            _overflowed = true;
            _queue.Writer.TryComplete(new SubscriberOverflowException());
        }
        return false;
    }

    internal void Complete(SessionEnded? ended)
    {
        Ended = ended;
        _queue.Writer.TryComplete();
    }

    /// <summary>Ends the subscription from the server side (drain): the reader sees <paramref name="error"/>.</summary>
    internal void Abort(Exception error) => _queue.Writer.TryComplete(error);

    private void Cancel(CancellationToken token)
    {
        _closed = true;
        _queue.Writer.TryComplete(new OperationCanceledException(token));
    }

    public void Dispose()
    {
        _closed = true;
        _waitRegistration.Dispose();
        _queue.Writer.TryComplete();
        _unsubscribe(this);
    }
}
