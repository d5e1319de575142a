namespace RtmsGateway.Sessions;

/// <summary>
/// The last messages of a channel, bounded by count and age, for late and resuming subscribers. The ring starts small
/// and doubles up to <c>capacity</c>, so an idle or quiet channel costs a few hundred bytes, not <c>capacity</c> slots.
/// Not thread-safe: the owning <see cref="SessionChannel{T}"/> guards it.
/// </summary>
internal sealed class ReplayBuffer<T>(int capacity, TimeSpan retention, TimeProvider time, Func<T, int>? sizeOf = null)
{
    private const int InitialSlots = 16;
    private ChannelItem<T>?[] _items = [];
    private int _head;
    private int _count;

    public int Count => _count;

    /// <summary>Bytes retained, as measured by the size function (0 without one).</summary>
    public long Bytes { get; private set; }

    /// <summary>Slots allocated now (at most the capacity).</summary>
    public int Slots => _items.Length;

    public ulong? OldestSequence => _count == 0 ? null : _items[_head]!.Sequence;

    public void Add(ChannelItem<T> item)
    {
        if (capacity <= 0)
        {
            return;
        }
        EvictExpired(item.PublishedAt);
        if (_count == _items.Length)
        {
            if (_items.Length < capacity)
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
        Bytes += SizeOf(item);
    }

    /// <summary>Retained items with a sequence above <paramref name="after"/>, oldest first.</summary>
    public List<ChannelItem<T>> After(ulong after)
    {
        EvictExpired(time.GetTimestamp());
        var result = new List<ChannelItem<T>>();
        for (var i = 0; i < _count; i++)
        {
            var item = _items[(_head + i) % _items.Length]!;
            if (item.Sequence > after)
            {
                result.Add(item);
            }
        }
        return result;
    }

    /// <summary>Drops everything retained (Zoom revoked the stream: its media must not be kept).</summary>
    public void Clear()
    {
        _items = [];
        _head = 0;
        _count = 0;
        Bytes = 0;
    }

    private void Grow()
    {
        var larger = new ChannelItem<T>?[Math.Min(capacity, Math.Max(InitialSlots, _items.Length * 2))];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _items[(_head + i) % _items.Length];
        }
        _items = larger;
        _head = 0;
    }

    private void EvictExpired(long now)
    {
        while (_count > 0 && time.GetElapsedTime(_items[_head]!.PublishedAt, now) > retention)
        {
            DropOldest();
        }
    }

    private void DropOldest()
    {
        Bytes -= SizeOf(_items[_head]!);
        _items[_head] = null;
        _head = (_head + 1) % _items.Length;
        _count--;
    }

    private long SizeOf(ChannelItem<T> item) => sizeOf is null ? 0 : sizeOf(item.Response);
}
