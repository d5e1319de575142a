namespace RtmsGateway.Sessions;

/// <summary>
/// The last messages of a channel, bounded by age, count and bytes (its own, and the replica's
/// <see cref="ReplayAccount"/>), for late and resuming subscribers. Aged messages leave on every add and on every
/// <see cref="EvictExpired"/> (a timer calls it, so a channel that went quiet frees its memory too). The ring starts small
/// and doubles up to the capacity, so an idle or quiet channel costs a few hundred bytes, not <c>capacity</c> slots.
/// Not thread-safe: the owning <see cref="SessionChannel{T}"/> guards it.
/// </summary>
internal sealed class ReplayBuffer<T>(ReplayLimits limits, TimeProvider time, Func<T, int>? sizeOf = null)
{
    private const int InitialSlots = 16;
    private ChannelItem<T>[] _items = [];
    private int _head;
    private int _count;

    public int Count => _count;

    /// <summary>Bytes retained, as measured by the size function (0 without one).</summary>
    public long Bytes { get; private set; }

    /// <summary>Slots allocated now (at most the capacity).</summary>
    public int Slots => _items.Length;

    public ulong? OldestSequence => _count == 0 ? null : _items[_head].Sequence;

    public void Add(ChannelItem<T> item)
    {
        if (limits.Capacity <= 0)
        {
            return;
        }
        EvictExpired(item.PublishedAt);
        if (_count == _items.Length)
        {
            if (_items.Length < limits.Capacity)
            {
                Grow();
            }
            else
            {
                DropOldest();
            }
        }
        _items[(_head + _count) % _items.Length] = item;
        _count++;
        var size = SizeOf(item);
        Charge(size);
        // Within its own byte bound, and the replica's; the newest message always stays (it is what live
        // readers get next).
        while (_count > 1 && (Bytes > limits.MaxBytes || limits.Account?.OverBudget == true))
        {
            DropOldest();
        }
    }

    /// <summary>Retained items with a sequence above <paramref name="after"/> and at most <paramref name="through"/>, oldest first.</summary>
    public List<ChannelItem<T>> After(ulong after, ulong through = ulong.MaxValue)
    {
        EvictExpired(time.GetTimestamp());
        var result = new List<ChannelItem<T>>();
        for (var i = 0; i < _count; i++)
        {
            var item = _items[(_head + i) % _items.Length];
            if (item.Sequence > after && item.Sequence <= through)
            {
                result.Add(item);
            }
        }
        return result;
    }

    /// <summary>Drops what is older than the retention (called on every add, and by a timer for quiet channels).</summary>
    public void EvictExpired() => EvictExpired(time.GetTimestamp());

    /// <summary>Drops everything retained (Zoom revoked the stream, or the session is forgotten).</summary>
    public void Clear()
    {
        Charge(-Bytes);
        _items = [];
        _head = 0;
        _count = 0;
        Bytes = 0;
    }

    private void Grow()
    {
        var larger = new ChannelItem<T>[Math.Min(limits.Capacity, Math.Max(InitialSlots, _items.Length * 2))];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _items[(_head + i) % _items.Length];
        }
        _items = larger;
        _head = 0;
    }

    private void EvictExpired(long now)
    {
        while (_count > 0 && time.GetElapsedTime(_items[_head].PublishedAt, now) > limits.Retention)
        {
            DropOldest();
        }
        if (_count == 0 && _items.Length > InitialSlots)
        {
            // A channel that went quiet gives its ring back too.
            _items = [];
            _head = 0;
        }
    }

    private void DropOldest()
    {
        var size = SizeOf(_items[_head]);
        Charge(-size);
        // Cleared, so the ring does not keep a dropped response alive.
        _items[_head] = default;
        _head = (_head + 1) % _items.Length;
        _count--;
    }

    private void Charge(long size)
    {
        Bytes += size;
        limits.Account?.Add(size);
    }

    private long SizeOf(in ChannelItem<T> item) => sizeOf is null ? 0 : sizeOf(item.Response);
}
