namespace RtmsGateway.Simulator;

/// <summary>
/// Audio Zoom has produced but not yet delivered, as runs of 20 ms units on the stream's timeline: it grows while no
/// client is connected (before the first connection and during interruptions), is capped at the buffer limit (oldest
/// first), and is drained in packets of the negotiated send rate once a media socket is ready. Gaps (pause, everyone
/// muted) split runs, so a packet never spans a gap. Not thread-safe: used under the meeting's lock.
/// </summary>
internal sealed class AudioBacklog
{
    private readonly LinkedList<(long Start, long Count)> _runs = new();

    /// <summary>Buffered units (× 20 ms).</summary>
    public long Units { get; private set; }

    /// <summary>Adds units [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>), extending the last run when contiguous.</summary>
    public void Add(long start, long count)
    {
        if (count <= 0)
        {
            return;
        }
        if (_runs.Last is { } last && last.Value.Start + last.Value.Count == start)
        {
            last.Value = (last.Value.Start, last.Value.Count + count);
        }
        else
        {
            _runs.AddLast((start, count));
        }
        Units += count;
    }

    /// <summary>
    /// Takes the next packet: <paramref name="units"/> units from the oldest run, or the remainder of a run that a gap
    /// ended. The newest run is only taken in whole packets (more audio may still extend it).
    /// </summary>
    public bool TryTake(int units, out long start, out int count)
    {
        start = 0;
        count = 0;
        if (_runs.First is not { } head || (head == _runs.Last && head.Value.Count < units))
        {
            return false;
        }
        start = head.Value.Start;
        count = (int)Math.Min(units, head.Value.Count);
        Consume(head, count);
        return true;
    }

    /// <summary>Drops the oldest units beyond <paramref name="maxUnits"/>; returns how many.</summary>
    public long TrimTo(long maxUnits)
    {
        var dropped = 0L;
        while (Units > maxUnits && _runs.First is { } head)
        {
            var n = Math.Min(Units - maxUnits, head.Value.Count);
            Consume(head, n);
            dropped += n;
        }
        return dropped;
    }

    public void Clear()
    {
        _runs.Clear();
        Units = 0;
    }

    private void Consume(LinkedListNode<(long Start, long Count)> head, long n)
    {
        if (head.Value.Count == n)
        {
            _runs.RemoveFirst();
        }
        else
        {
            head.Value = (head.Value.Start + n, head.Value.Count - n);
        }
        Units -= n;
    }
}
