using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;

namespace RtmsGateway.Sessions.Audio;

/// <summary>
/// The audio conversions of one session (on its owner): at most one per normalized format, shared by every subscriber
/// asking for it, at most <see cref="FanoutOptions.MaxAudioFormatsPerSession"/> at a time. A conversion nobody reads is
/// retired <see cref="FanoutOptions.AudioFormatIdleTimeout"/> after its last reader left (the replay sweeper's timer calls
/// <see cref="Sweep"/>), freeing its codec states and its replay bytes. Thread-safe.
/// </summary>
internal sealed class AudioConversions(SessionChannel<EncodedMessage> source, Func<SessionChannel<EncodedMessage>> newChannel, FanoutOptions options, TimeProvider time, GatewayMetrics? metrics)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<AudioTarget, AudioConversion> _active = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _active.Count;
            }
        }
    }

    public IReadOnlyList<AudioConversion> Active
    {
        get
        {
            lock (_lock)
            {
                return [.. _active.Values];
            }
        }
    }

    /// <summary>
    /// Where a subscriber asking for <paramref name="request"/> reads: the source channel when it is that format already,
    /// else the conversion to it (created, with the source's retained backlog converted, when it is the first). The lease
    /// keeps the conversion alive; dispose it when the call ends.
    /// </summary>
    public AudioSubscriptionSource Open(AudioFormatRequest request, AudioFormat? sourceFormat)
    {
        if (AudioFormatSelection.Resolve(request, sourceFormat) is not { } target)
        {
            return new AudioSubscriptionSource(source, null);
        }
        lock (_lock)
        {
            if (!_active.TryGetValue(target, out var conversion))
            {
                if (_active.Count >= options.MaxAudioFormatsPerSession)
                {
                    metrics?.LimitRejected("audio_formats");
                    throw new SubscriptionRefusedException(SubscriptionRefusal.ConversionLimit,
                        $"This session already converts its audio to {_active.Count} formats (Fanout:MaxAudioFormatsPerSession {options.MaxAudioFormatsPerSession}); ask for one in use: {string.Join(", ", _active.Keys.Select(k => k.Tag))}.",
                        "format", options.MaxAudioFormatsPerSession);
                }
                conversion = new AudioConversion(target, newChannel(), options.MaxAudioSpeakersPerFormat, metrics);
                source.Attach(conversion);
                _active.Add(target, conversion);
                metrics?.AudioConversionStarted(target.Tag);
            }
            conversion.Leases++;
            return new AudioSubscriptionSource(conversion.Channel, new Lease(this, conversion));
        }
    }

    /// <summary>Retires conversions idle for the timeout, and ages out their replay buffers.</summary>
    public void Sweep()
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            foreach (var (target, conversion) in _active.ToList())
            {
                if (conversion.Leases == 0 && time.GetElapsedTime(conversion.IdleSince, now) >= options.AudioFormatIdleTimeout)
                {
                    Retire(target, conversion);
                }
                else
                {
                    conversion.Channel.EvictExpired();
                }
            }
        }
    }

    /// <summary>The session is forgotten: every conversion goes, with its replay bytes.</summary>
    public void RetireAll()
    {
        lock (_lock)
        {
            foreach (var (target, conversion) in _active.ToList())
            {
                Retire(target, conversion);
            }
        }
    }

    /// <summary><paramref name="figure"/> summed over the conversions' channels (metrics).</summary>
    public long Sum(Func<SessionChannel<EncodedMessage>, long> figure)
    {
        lock (_lock)
        {
            return _active.Values.Sum(c => figure(c.Channel));
        }
    }

    private void Retire(AudioTarget target, AudioConversion conversion)
    {
        source.Detach(conversion);
        conversion.Retire();
        _active.Remove(target);
        metrics?.AudioConversionEnded(target.Tag);
    }

    private void Release(AudioConversion conversion)
    {
        lock (_lock)
        {
            if (--conversion.Leases == 0)
            {
                conversion.IdleSince = time.GetTimestamp();
            }
        }
    }

    private sealed class Lease(AudioConversions owner, AudioConversion conversion) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(conversion);
            }
        }
    }
}
