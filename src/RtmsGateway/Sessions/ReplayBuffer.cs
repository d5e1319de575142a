namespace RtmsGateway.Sessions;

/// <summary>
/// The last messages of a channel, bounded by count and age, for late and resuming subscribers. Not thread-safe: the
/// owning <see cref="SessionChannel{T}"/> guards it.
/// </summary>
internal sealed class ReplayBuffer<T>(int capacity, TimeSpan retention, TimeProvider time)
{
    private readonly ChannelItem<T>?[] _items = new ChannelItem<T>?[capacity];
    private int _head;
    private int _count;

    public int Count => _count;

    public ulong? OldestSequence => _count == 0 ? null : _items[_head]!.Sequence;

    public void Add(ChannelItem<T> item)
    {
        if (_count == _items.Length)
        {
            _items[_head] = null;
            _head = (_head + 1) % _items.Length;
            _count--;
        }
        _items[(_head + _count) % _items.Length] = item;
        _count++;
        EvictExpired(item.PublishedAt);
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

    private void EvictExpired(long now)
    {
        while (_count > 0 && time.GetElapsedTime(_items[_head]!.PublishedAt, now) > retention)
        {
            _items[_head] = null;
            _head = (_head + 1) % _items.Length;
            _count--;
        }
    }
}
