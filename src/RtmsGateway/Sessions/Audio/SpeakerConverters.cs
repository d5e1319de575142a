namespace RtmsGateway.Sessions.Audio;

/// <summary>
/// The <see cref="SpeakerConverter"/> of each speaker of one conversion (per-speaker audio interleaves the frames of
/// several users, each needing its own codec and resampler state), at most <c>capacity</c> of them: beyond it the one
/// used least recently is dropped (that speaker's next frame starts a fresh state). Not thread-safe.
/// </summary>
internal sealed class SpeakerConverters(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string UserId, SpeakerConverter Converter)>> _byUser = new(StringComparer.Ordinal);
    private readonly LinkedList<(string UserId, SpeakerConverter Converter)> _recency = new();

    public int Count => _byUser.Count;

    /// <summary>States dropped to stay within the capacity.</summary>
    public long Evictions { get; private set; }

    /// <summary>The converter of <paramref name="userId"/> for frames of <paramref name="source"/> (a new one when the
    /// speaker is new, or its source format changed).</summary>
    public SpeakerConverter For(string userId, SourceAudio source, AudioTarget target)
    {
        if (_byUser.TryGetValue(userId, out var node))
        {
            _recency.Remove(node);
            if (node.Value.Converter.Source == source)
            {
                _recency.AddFirst(node);
                return node.Value.Converter;
            }
            _byUser.Remove(userId);
        }
        while (_byUser.Count >= capacity && _recency.Last is { } oldest)
        {
            _recency.RemoveLast();
            _byUser.Remove(oldest.Value.UserId);
            Evictions++;
        }
        var added = _recency.AddFirst((userId, new SpeakerConverter(source, target.For(source.SampleRateHz, source.Channels))));
        _byUser[userId] = added;
        return added.Value.Converter;
    }

    public void Clear()
    {
        _byUser.Clear();
        _recency.Clear();
    }
}
