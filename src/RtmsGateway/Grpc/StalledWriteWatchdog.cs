using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;

namespace RtmsGateway.Grpc;

/// <summary>
/// Aborts subscriptions whose response stream accepted nothing for <see cref="FanoutOptions.SubscriberStallTimeout"/>: a
/// consumer that froze (or whose network vanished) without closing its connection keeps its HTTP/2 flow-control window
/// shut, its pump waits in a write for ever, and everything the call holds (its queue, a participant's individual video,
/// a subscriber slot) stays held. Each pump marks when its pending write started; one timer checks them all each second,
/// so a write costs two field stores, not a timer.
/// </summary>
internal sealed partial class StalledWriteWatchdog : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<Watch, byte> _watches = new();
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<StalledWriteWatchdog> _logger;
    private readonly long _timeoutTicks;

    public StalledWriteWatchdog(IOptions<FanoutOptions> options, TimeProvider time, GatewayMetrics metrics, ILogger<StalledWriteWatchdog> logger)
    {
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _timeoutTicks = (long)(options.Value.SubscriberStallTimeout.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Watches one call until the returned watch is disposed; <paramref name="abort"/> ends the call.</summary>
    public Watch Start(string channel, Action abort)
    {
        var watch = new Watch(this, channel, abort);
        _watches.TryAdd(watch, 0);
        return watch;
    }

    /// <summary>One sweep (the timer calls it every second).</summary>
    internal void Check()
    {
        var now = _time.GetTimestamp();
        foreach (var watch in _watches.Keys)
        {
            var since = Volatile.Read(ref watch.PendingSince);
            if (since != 0 && now - since > _timeoutTicks && watch.TryAbort())
            {
                _metrics.LimitRejected("subscriber_stalled");
                LogStalled(watch.Channel, (now - since) / (double)_time.TimestampFrequency);
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync("stalled_write_watchdog", _ =>
        {
            Check();
            return Task.FromResult(Interval);
        }, Interval, _time, _logger, _metrics, stoppingToken);

    [LoggerMessage(EventId = LogEventIds.SubscriberStalled, Level = LogLevel.Warning, Message = "A {Channel} subscriber accepted nothing for {Seconds:0} s (frozen or unreachable without closing its connection); its call is aborted")]
    private partial void LogStalled(string channel, double seconds);

    /// <summary>One call's pending-write mark.</summary>
    internal sealed class Watch(StalledWriteWatchdog owner, string channel, Action abort) : IDisposable
    {
        internal long PendingSince;
        private int _aborted;

        public string Channel { get; } = channel;

        /// <summary>A write or flush is about to wait on the consumer.</summary>
        public void Begin() => Volatile.Write(ref PendingSince, Math.Max(1, owner._time.GetTimestamp()));

        /// <summary>It completed.</summary>
        public void End() => Volatile.Write(ref PendingSince, 0);

        internal bool TryAbort()
        {
            if (Interlocked.Exchange(ref _aborted, 1) != 0)
            {
                return false;
            }
            abort();
            return true;
        }

        public void Dispose() => owner._watches.TryRemove(this, out _);
    }
}
