namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>
/// How the simulated owners kept their leases, counted across every replica of a run: renewals done, refused (the lease
/// was lost), failed (Redis unreachable or too slow), and the gaps between one session's successful renewals. A gap of a
/// whole TTL means the lease lapsed: the load, not the design, decided who owns the stream, so the point is not faithful.
/// </summary>
internal sealed class RenewalTally
{
    private long _renewed;
    private long _lost;
    private long _failed;
    private long _late;
    private long _lapsed;
    private long _maxGapTicks;
    private long _gapTicks;

    public void Renewed(TimeSpan gap, TimeSpan interval, TimeSpan ttl)
    {
        Interlocked.Increment(ref _renewed);
        Interlocked.Add(ref _gapTicks, gap.Ticks);
        if (gap > interval * 1.5)
        {
            Interlocked.Increment(ref _late);
        }
        if (gap >= ttl)
        {
            Interlocked.Increment(ref _lapsed);
        }
        var max = Volatile.Read(ref _maxGapTicks);
        while (gap.Ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxGapTicks, gap.Ticks, max);
            if (seen == max)
            {
                break;
            }
            max = seen;
        }
    }

    public void Lost() => Interlocked.Increment(ref _lost);

    public void Failed() => Interlocked.Increment(ref _failed);

    /// <summary>The counts since the previous call (a window), and a fresh start.</summary>
    public RenewalWindow TakeWindow()
    {
        var renewed = Interlocked.Exchange(ref _renewed, 0);
        var gaps = Interlocked.Exchange(ref _gapTicks, 0);
        return new RenewalWindow(
            renewed,
            Interlocked.Exchange(ref _lost, 0),
            Interlocked.Exchange(ref _failed, 0),
            Interlocked.Exchange(ref _late, 0),
            Interlocked.Exchange(ref _lapsed, 0),
            TimeSpan.FromTicks(Interlocked.Exchange(ref _maxGapTicks, 0)),
            renewed == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(gaps / renewed));
    }
}

/// <summary>One window's renewals. <see cref="Late"/>: a gap over 1.5 renewal intervals; <see cref="Lapsed"/>: over the TTL.</summary>
internal sealed record RenewalWindow(long Renewed, long Lost, long Failed, long Late, long Lapsed, TimeSpan MaxGap, TimeSpan MeanGap);
