using RtmsGateway.Api.V1;
using RtmsGateway.Observability;

namespace RtmsGateway.Sessions;

/// <summary>
/// One channel (audio, video, transcripts or events) of a session: assigns sequences, keeps the replay buffer and fans
/// each message out to every subscriber with a non-blocking write, so the RTMS receive loop never waits on a subscriber.
/// <para>
/// With <see cref="ChannelPersistence{T}"/> (cluster mode, transcripts and events) a published item is first handed to
/// the cluster's history writer and <em>held</em>: it is fanned out once the store acknowledged it (pipelined, well under
/// a millisecond on a healthy Redis), or when it has waited <see cref="ChannelPersistence{T}.WriteWait"/>, whichever comes
/// first, always in sequence order. So whatever any subscriber received is in the history unless Redis was slow or down at
/// that moment, and a reader resuming after the owner was killed gets it from another replica; and an outage of any length
/// delays transcripts by at most the wait, never stops them. Held items are not in a new subscriber's backlog (it gets them
/// live when they are released), which keeps <see cref="Subscribe"/>'s backlog + live hand-over exact.
/// </para>
/// </summary>
internal sealed class SessionChannel<T> : IHistoryAcknowledgement where T : class
{
    private readonly Lock _lock = new();
    private readonly ReplayBuffer<T> _replay;
    private readonly TimeProvider _time;
    private readonly bool _reliable;
    private readonly int _queueCapacity;
    private readonly int _maxSubscribers;
    private ChannelSubscription<T>[] _subscribers = [];
    private readonly ChannelPersistence<T>? _persistence;
    private IChannelFollower<T>[] _followers = [];
    private readonly ulong _epochBase;
    private ulong _last;
    // The last sequence offered to subscribers: equal to _last unless items are held for the history's acknowledgement.
    private ulong _released;
    private Queue<ChannelItem<T>>? _held;
    private ITimer? _holdTimer;
    private long _unconfirmed;
    private SessionEnded? _ended;
    private long _overflows;
    private long _droppedFrames;
    private readonly GatewayMetrics? _metrics;

    public SessionChannel(bool reliable, int queueCapacity, int maxSubscribers, ReplayLimits replay, ulong epoch, TimeProvider time,
        string name = "", GatewayMetrics? metrics = null, Func<T, int>? sizeOf = null, ChannelPersistence<T>? persistence = null)
    {
        _persistence = reliable ? persistence : null;
        Name = name;
        _metrics = metrics;
        _reliable = reliable;
        _queueCapacity = queueCapacity;
        _maxSubscribers = maxSubscribers;
        _time = time;
        _replay = new ReplayBuffer<T>(replay, time, sizeOf);
        _epochBase = Sequences.First(epoch) - 1;
        _last = _epochBase;
        _released = _epochBase;
    }

    /// <summary>Whether what this channel publishes is stored in the cluster's history (readers may backfill from it).</summary>
    public bool HasHistory => _persistence is not null;

    /// <summary>Items fanned out before the history acknowledged them (the wait ran out: Redis slow or down).</summary>
    public long UnconfirmedReleases => Interlocked.Read(ref _unconfirmed);

    /// <summary>audio, video, transcripts or events (metric tag).</summary>
    public string Name { get; }

    public GatewayMetrics? Metrics => _metrics;

    /// <summary>Time since a <see cref="ChannelItem{T}.PublishedAt"/>, on this channel's clock.</summary>
    public TimeSpan ElapsedSince(long publishedAt) => _time.GetElapsedTime(publishedAt);

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>The last sequence published (epoch base when none).</summary>
    public ulong LastSequence
    {
        get
        {
            lock (_lock)
            {
                return _last;
            }
        }
    }

    /// <summary>Bytes held by the replay buffer (what the size function measures).</summary>
    public long RetainedBytes
    {
        get
        {
            lock (_lock)
            {
                return _replay.Bytes;
            }
        }
    }

    /// <summary>Frames dropped for slow media subscribers, over all subscribers.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>Reliable subscribers cut off because they overflowed.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    /// <summary>Assigns the next sequence, builds the shared response with it, retains it and offers it to every subscriber.</summary>
    public ulong Publish<TState>(string userId, TState state, Func<ulong, TState, T> build)
    {
        lock (_lock)
        {
            if (_ended is not null)
            {
                return 0;
            }
            var sequence = ++_last;
            var item = new ChannelItem<T>(sequence, userId, build(sequence, state), _time.GetTimestamp());
            _replay.Add(item);
            if (_persistence is null)
            {
                Offer(item);
            }
            else
            {
                Hold(item, _persistence);
            }
            foreach (var follower in _followers)
            {
                follower.Follow(item);
            }
            return sequence;
        }
    }

    /// <summary>The history stored (or gave up) every item up to <paramref name="sequence"/>: those held are fanned out.</summary>
    public void Settled(ulong sequence)
    {
        lock (_lock)
        {
            ReleaseThrough(sequence, confirmed: true);
        }
    }

    private void Offer(in ChannelItem<T> item)
    {
        _released = item.Sequence;
        foreach (var subscriber in _subscribers)
        {
            if (!subscriber.Offer(item) && _reliable)
            {
                Interlocked.Increment(ref _overflows);
                _metrics?.Overflow(Name);
            }
        }
    }

    private void Hold(in ChannelItem<T> item, ChannelPersistence<T> persistence)
    {
        var held = _held ??= new Queue<ChannelItem<T>>();
        held.Enqueue(item);
        var queued = persistence.Writer.Append(new HistoryAppend(persistence.StreamId, Name, item.Sequence, item.UserId, persistence.BytesOf(item.Response), this));
        if (!queued || persistence.WriteWait <= TimeSpan.Zero)
        {
            // Never to be stored (the writer's pending bound is reached: Redis has been unreachable for long), or never
            // waited for (write-behind): nothing to wait for. Order needs whatever is held before it released too.
            ReleaseThrough(item.Sequence, confirmed: false);
            return;
        }
        if (held.Count == 1)
        {
            ArmHoldTimer(persistence.WriteWait);
        }
    }

    /// <summary>Fans out the held items up to <paramref name="sequence"/>, in order. Under the lock.</summary>
    private void ReleaseThrough(ulong sequence, bool confirmed)
    {
        if (_held is not { } held)
        {
            return;
        }
        while (held.TryPeek(out var next) && next.Sequence <= sequence)
        {
            held.Dequeue();
            if (!confirmed)
            {
                Interlocked.Increment(ref _unconfirmed);
            }
            Offer(next);
        }
        if (held.TryPeek(out var oldest) && _persistence is { } persistence)
        {
            var waited = _time.GetElapsedTime(oldest.PublishedAt);
            ArmHoldTimer(waited >= persistence.WriteWait ? TimeSpan.Zero : persistence.WriteWait - waited);
        }
    }

    private void ArmHoldTimer(TimeSpan due)
    {
        _holdTimer ??= _time.CreateTimer(static state => ((SessionChannel<T>)state!).OnHoldElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _holdTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The oldest held items waited their bound: fanned out without the store's acknowledgement (transcripts never
    /// stop because Redis is slow or down).</summary>
    private void OnHoldElapsed()
    {
        lock (_lock)
        {
            if (_held is not { } held || _persistence is not { } persistence)
            {
                return;
            }
            var now = _time.GetTimestamp();
            var through = 0ul;
            foreach (var item in held)
            {
                if (_time.GetElapsedTime(item.PublishedAt, now) < persistence.WriteWait)
                {
                    break;
                }
                through = item.Sequence;
            }
            if (through != 0)
            {
                ReleaseThrough(through, confirmed: false);
            }
            else if (held.TryPeek(out var oldest))
            {
                ArmHoldTimer(persistence.WriteWait - _time.GetElapsedTime(oldest.PublishedAt, now));
            }
        }
    }

    /// <summary>
    /// Publishes an item whose sequence another channel assigned (a channel derived from that one, e.g. converted audio):
    /// the same sequence and publication time, so resume points, gaps and retention mean the same on both. Sequences must
    /// increase; an item at or below the last one is ignored.
    /// </summary>
    public void PublishFollowing(in ChannelItem<T> item)
    {
        lock (_lock)
        {
            if (_ended is not null || item.Sequence <= _last)
            {
                return;
            }
            _last = item.Sequence;
            _replay.Add(item);
            Offer(item);
        }
    }

    /// <summary>
    /// Fills a new derived channel with what its source retains (already converted), before any live item: a late
    /// <c>from_start</c> or resuming subscriber of the derived channel then gets what it would get from the source.
    /// <paramref name="last"/> is the source's last sequence, so an empty backlog still knows where the channel stands.
    /// </summary>
    public void Seed(IEnumerable<ChannelItem<T>> backlog, ulong last)
    {
        lock (_lock)
        {
            foreach (var item in backlog)
            {
                if (item.Sequence > _last)
                {
                    _replay.Add(item);
                    _last = item.Sequence;
                }
            }
            _last = Math.Max(_last, last);
            // Nothing of a seeded backlog is held (only persisted channels hold): all of it is replayable.
            _released = _last;
        }
    }

    /// <summary>
    /// Attaches <paramref name="follower"/>, atomically with respect to publishing: it first prepares from the retained
    /// backlog outside the lock (converting a long backlog must not hold up the publisher), then, under the lock, is
    /// started with what was published meanwhile, the last sequence and the end (when the channel ended already), and
    /// from then on sees every published item, in order, under this channel's lock (so it must never wait, and must never
    /// take a lock that is held while calling into this channel).
    /// </summary>
    public void Attach(IChannelFollower<T> follower)
    {
        List<ChannelItem<T>> backlog;
        ulong prepared;
        lock (_lock)
        {
            backlog = _replay.After(0);
            prepared = _last;
        }
        follower.Prepare(backlog);
        lock (_lock)
        {
            follower.Start(_replay.After(prepared), _last, _ended);
            if (_ended is null)
            {
                _followers = [.. _followers, follower];
            }
        }
    }

    /// <summary>Fans out everything held (the session ends: subscribers get it before <see cref="SessionEnded"/>) and stops
    /// the hold timer. Under the lock.</summary>
    private void ReleaseAllHeld()
    {
        ReleaseThrough(_last, confirmed: false);
        _holdTimer?.Dispose();
        _holdTimer = null;
    }

    /// <summary>Detaches a follower: it sees nothing published after this returns.</summary>
    public void Detach(IChannelFollower<T> follower)
    {
        lock (_lock)
        {
            _followers = [.. _followers.Where(f => !ReferenceEquals(f, follower))];
        }
    }

    /// <summary>Registers a subscriber atomically with its backlog, so nothing published in between is lost or doubled.</summary>
    public ChannelSubscription<T> Subscribe(SubscribeStart start)
    {
        lock (_lock)
        {
            if (_ended is null && _subscribers.Length >= _maxSubscribers)
            {
                _metrics?.LimitRejected("subscribers");
                throw new SubscriptionRefusedException(SubscriptionRefusal.SubscriberLimit, $"This session already has {_maxSubscribers} subscribers on this channel.");
            }
            var (backlog, gap) = Backlog(start);
            var subscription = new ChannelSubscription<T>(_queueCapacity, _reliable, Unsubscribe, OnDropped)
            {
                Backlog = backlog,
                InitialGap = gap,
                After = StartAfter(start),
                NextLive = _released + 1,
            };
            if (_ended is not null)
            {
                subscription.Complete(_ended);
            }
            else
            {
                _subscribers = [.. _subscribers, subscription];
            }
            return subscription;
        }
    }

    /// <summary>The session stopped: subscribers drain what is queued, receive <paramref name="ended"/> and complete.
    /// <paramref name="purge"/> also drops the replay buffer, so no later reader gets the stream's media.</summary>
    public void Complete(SessionEnded ended, bool purge = false)
    {
        lock (_lock)
        {
            ReleaseAllHeld();
            if (purge)
            {
                _replay.Clear();
            }
            _ended ??= ended;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Complete(_ended);
            }
            _subscribers = [];
            foreach (var follower in _followers)
            {
                follower.Complete(_ended, purge);
            }
            _followers = [];
        }
    }

    /// <summary>Drops replayable messages that aged out (a timer calls it, so a quiet channel frees its memory too).</summary>
    public void EvictExpired()
    {
        lock (_lock)
        {
            _replay.EvictExpired();
        }
    }

    /// <summary>Drops everything replayable (the session is forgotten): its bytes leave the replica's account.</summary>
    public void ClearReplay()
    {
        lock (_lock)
        {
            ReleaseAllHeld();
            _replay.Clear();
        }
    }

    /// <summary>Ends every live subscription with <paramref name="error"/> (drain: subscribers reconnect elsewhere).</summary>
    public void AbortSubscribers(Exception error)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Abort(error);
            }
            _subscribers = [];
            foreach (var follower in _followers)
            {
                follower.Abort(error);
            }
        }
    }

    /// <summary>
    /// What a new subscriber gets before live items, and the one <see cref="Gap"/> that announces what it asked for and
    /// cannot get here. The gap, when there is one, covers exactly the sequences between the resume point and the first item
    /// delivered, so a reader that adds up gaps counts each hole once (see <see cref="BacklogCursor"/>). Only released items
    /// are in the backlog; held ones reach the subscriber live. On a reliable channel <c>from_start</c> is "after 0": the
    /// whole history, with a gap for what is no longer retained. With a history (<see cref="HasHistory"/>) the caller fills
    /// that gap from the store where it can (<see cref="HistoryBackfill"/>).
    /// </summary>
    private (List<ChannelItem<T>> Backlog, Gap? Gap) Backlog(SubscribeStart start)
    {
        if (start.ResumeAfter is null)
        {
            if (!start.FromStart)
            {
                return ([], null);
            }
            if (!_reliable)
            {
                return (_replay.After(0, _released), null);
            }
        }
        var after = StartAfter(start);
        var epoch = Sequences.EpochOf(_epochBase + 1);
        var afterEpoch = Sequences.EpochOf(after);
        if (after != 0 && afterEpoch == 0)
        {
            throw new SubscriptionRefusedException(SubscriptionRefusal.InvalidResumePoint,
                $"resume_after_sequence {after} is no sequence of this gateway: sequences are epoch * {Sequences.EpochStride} + n, epoch >= 1 (0 = before the first message).");
        }
        if (afterEpoch > epoch || (afterEpoch == epoch && after > _last))
        {
            throw new SubscriptionRefusedException(SubscriptionRefusal.FutureResumePoint,
                $"resume_after_sequence {after} is after the last message of this channel ({_last}).");
        }
        var items = _replay.After(after, _released);
        var firstDelivered = items.Count > 0 ? items[0].Sequence : _released + 1;
        return (items, BacklogCursor.Between(after, firstDelivered));
    }

    /// <summary>The sequence a subscription starts after (from_start = 0).</summary>
    private static ulong StartAfter(SubscribeStart start) => start.ResumeAfter ?? 0;

    private void OnDropped()
    {
        Interlocked.Increment(ref _droppedFrames);
        _metrics?.Dropped(Name);
    }

    private void Unsubscribe(ChannelSubscription<T> subscription)
    {
        lock (_lock)
        {
            var index = Array.IndexOf(_subscribers, subscription);
            if (index >= 0)
            {
                _subscribers = [.. _subscribers[..index], .. _subscribers[(index + 1)..]];
            }
        }
    }
}
