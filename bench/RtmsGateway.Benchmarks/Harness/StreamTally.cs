namespace RtmsGateway.Benchmarks.Harness;

/// <summary>What subscribers received: messages, gaps (announced losses), sequence holes (silent losses).</summary>
internal sealed class StreamTally
{
    private long _messages;
    private long _gaps;
    private long _missed;

    public long Messages => Interlocked.Read(ref _messages);

    public long Gaps => Interlocked.Read(ref _gaps);

    /// <summary>Messages lost: announced by gaps or visible as holes in the sequence.</summary>
    public long Missed => Interlocked.Read(ref _missed);

    public void Message() => Interlocked.Increment(ref _messages);

    public void Gap(ulong missed)
    {
        Interlocked.Increment(ref _gaps);
        Interlocked.Add(ref _missed, (long)missed);
    }

    public void Hole(ulong missed) => Interlocked.Add(ref _missed, (long)missed);

    public void Reset()
    {
        Interlocked.Exchange(ref _messages, 0);
        Interlocked.Exchange(ref _gaps, 0);
        Interlocked.Exchange(ref _missed, 0);
    }
}
