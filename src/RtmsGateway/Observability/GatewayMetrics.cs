using System.Diagnostics.Metrics;

namespace RtmsGateway.Observability;

/// <summary>
/// The gateway's instruments (meter <c>RtmsGateway</c>, exported for Prometheus at <c>/metrics</c>). Tags use the media
/// channel (<c>audio</c>, <c>video</c>, <c>transcripts</c>, <c>events</c>) so drops and gaps can be alerted per kind.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "RtmsGateway";

    private readonly Meter _meter;
    private readonly Counter<long> _framesIn;
    private readonly Counter<long> _messagesOut;
    private readonly Counter<long> _drops;
    private readonly Counter<long> _gaps;
    private readonly Counter<long> _overflows;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _leaseRenewals;
    private readonly Counter<long> _leaseFailures;
    private readonly Counter<long> _webhooks;
    private readonly Counter<long> _badFrames;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _backgroundFailures;
    private readonly Counter<long> _throttled;
    private readonly Histogram<double> _zoomLatency;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Histogram<double> _timeToFirstMedia;
    private readonly Histogram<double> _sessionDuration;

    /// <summary>Seconds, for per-message latencies: 0.5 ms to 5 s.</summary>
    private static readonly double[] MessageLatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    /// <summary>Seconds, for a session's start (webhook or takeover to its first media): 50 ms to 2 min.</summary>
    private static readonly double[] StartBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120];

    /// <summary>Seconds, for a session's life: 10 s to 12 h.</summary>
    private static readonly double[] DurationBuckets = [10, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200];
    private readonly UpDownCounter<long> _audioConversions;
    private readonly Counter<long> _audioFramesConverted;
    private readonly Counter<long> _audioConversionFailures;

    public GatewayMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _framesIn = _meter.CreateCounter<long>("rtms_gateway.frames_in", "{message}", "RTMS media and event messages received from Zoom");
        _messagesOut = _meter.CreateCounter<long>("rtms_gateway.messages_out", "{message}", "Messages written to subscribers");
        _drops = _meter.CreateCounter<long>("rtms_gateway.subscriber_drops", "{message}", "Audio/video messages dropped for slow subscribers");
        _gaps = _meter.CreateCounter<long>("rtms_gateway.gaps", "{notice}", "Gap notices sent to subscribers");
        _overflows = _meter.CreateCounter<long>("rtms_gateway.subscriber_overflows", "{call}", "Transcript/event subscribers ended with RESOURCE_EXHAUSTED");
        _reconnects = _meter.CreateCounter<long>("rtms_gateway.rtms_reconnects", "{reconnect}", "Reconnects to Zoom RTMS (signaling or media)");
        _leaseRenewals = _meter.CreateCounter<long>("rtms_gateway.lease_renewals", "{renewal}", "Successful ownership lease renewals");
        _leaseFailures = _meter.CreateCounter<long>("rtms_gateway.lease_failures", "{failure}", "Lease renewals refused (lost) or unavailable");
        _webhooks = _meter.CreateCounter<long>("rtms_gateway.webhooks", "{request}", "Zoom webhook requests by outcome");
        _badFrames = _meter.CreateCounter<long>("rtms_gateway.bad_frames", "{frame}", "RTMS frames discarded as malformed or oversized");
        _rejections = _meter.CreateCounter<long>("rtms_gateway.rejections", "{request}", "Requests refused by a limit or by authorization");
        _throttled = _meter.CreateCounter<long>("rtms_gateway.inbound_throttled", "{wait}", "Times a stream's RTMS reads waited because it exceeded Rtms:MaxInboundMessagesPerSecond");
        _audioConversions = _meter.CreateUpDownCounter<long>("rtms_gateway.audio_conversions", "{conversion}", "Audio formats sessions owned here are converted to now, by format");
        _audioFramesConverted = _meter.CreateCounter<long>("rtms_gateway.audio_frames_converted", "{frame}", "Audio frames converted to a subscriber's format, by format");
        _audioConversionFailures = _meter.CreateCounter<long>("rtms_gateway.audio_conversion_failures", "{frame}", "Audio frames that could not be converted (their subscribers got a Gap), by format");
        _backgroundFailures = _meter.CreateCounter<long>("rtms_gateway.background_failures", "{failure}", "Background loop iterations that failed and were retried");
        _zoomLatency = _meter.CreateHistogram("rtms_gateway.zoom_latency", "s",
            "From Zoom's timestamp of a message to its arrival here (includes the clock difference between Zoom and this host)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MessageLatencyBuckets });
        _deliveryLatency = _meter.CreateHistogram("rtms_gateway.delivery_latency", "s",
            "From a live message's arrival from Zoom to its write to a subscriber (the oldest message of each written burst)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MessageLatencyBuckets });
        _timeToFirstMedia = _meter.CreateHistogram("rtms_gateway.time_to_first_media", "s",
            "From a session's start here (the rtms_started webhook, or the takeover claim) to its first message from Zoom",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StartBuckets });
        _sessionDuration = _meter.CreateHistogram("rtms_gateway.session_duration", "s",
            "From the rtms_started webhook to the stream's end, for sessions that ended on this replica",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    /// <summary>The media channels, as tagged.</summary>
    private static readonly string[] Channels = ["audio", "video", "transcripts", "events"];

    /// <summary>
    /// Every series an alert or the dashboard reads exists from the first scrape, at 0: Prometheus' <c>increase()</c> and
    /// <c>rate()</c> need a sample before the first event, or the first lease lost (say) never shows as an increase.
    /// Called once the exporter listens (a measurement made before is not seen).
    /// </summary>
    public void ExportKnownSeries()
    {
        foreach (var channel in Channels)
        {
            var tag = new KeyValuePair<string, object?>("channel", channel);
            _framesIn.Add(0, tag);
            _messagesOut.Add(0, tag);
            _drops.Add(0, tag);
            _overflows.Add(0, tag);
            foreach (var reason in (string[])["subscriber_too_slow", "retention_exceeded", "owner_changed"])
            {
                _gaps.Add(0, tag, new KeyValuePair<string, object?>("reason", reason));
            }
        }
        foreach (var socket in (string[])["signaling", "media"])
        {
            _reconnects.Add(0, new KeyValuePair<string, object?>("socket", socket));
        }
        _leaseRenewals.Add(0);
        foreach (var reason in (string[])["lost", "unavailable"])
        {
            _leaseFailures.Add(0, new KeyValuePair<string, object?>("reason", reason));
        }
        foreach (var outcome in (string[])["accepted", "ignored", "url_validation", "invalid_signature", "malformed_body", "body_too_large", "overloaded"])
        {
            _webhooks.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
        }
        _badFrames.Add(0);
        foreach (var limit in (string[])["subscribers", "sessions", "unauthenticated", "permission"])
        {
            _rejections.Add(0, new KeyValuePair<string, object?>("limit", limit));
        }
        _throttled.Add(0);
        foreach (var loop in (string[])["webhook_router", "stream_session", "replay_sweeper", "stalled_write_watchdog", "ownership_janitor", "takeover", "catalog_refresh", "replica_registry", "replica_membership", "history_writer"])
        {
            _backgroundFailures.Add(0, new KeyValuePair<string, object?>("loop", loop));
        }
    }

    /// <summary>Sessions owned here, subscribers and replay-buffer bytes per channel, read on each scrape.</summary>
    public void Observe(Func<int> sessions, Func<IEnumerable<(string Channel, long Calls)>> subscribers, Func<IEnumerable<(string Channel, long Bytes)>> replayBytes)
    {
        _meter.CreateObservableGauge("rtms_gateway.replay_buffer", () => replayBytes().Select(s => new Measurement<long>(s.Bytes, new KeyValuePair<string, object?>("channel", s.Channel))),
            "By", "Encoded messages retained for late and resuming subscribers");
        _meter.CreateObservableGauge("rtms_gateway.sessions", sessions, "{session}", "Sessions whose RTMS connection runs on this replica");
        _meter.CreateObservableGauge("rtms_gateway.subscribers", () => subscribers().Select(s => new Measurement<long>(s.Calls, new KeyValuePair<string, object?>("channel", s.Channel))),
            "{call}", "Subscriber calls served from this replica's sessions");
    }

    public void FrameIn(string channel) => _framesIn.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void MessagesOut(string channel, int count) => _messagesOut.Add(count, new KeyValuePair<string, object?>("channel", channel));

    public void Dropped(string channel) => _drops.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void Gap(string channel, string reason) => _gaps.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("reason", reason));

    public void Overflow(string channel) => _overflows.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void Reconnect(string socket) => _reconnects.Add(1, new KeyValuePair<string, object?>("socket", socket));

    public void LeaseRenewed() => _leaseRenewals.Add(1);

    public void LeaseFailed(string why) => _leaseFailures.Add(1, new KeyValuePair<string, object?>("reason", why));

    public void Webhook(string outcome) => _webhooks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void BadFrame() => _badFrames.Add(1);

    /// <summary>A limit or authorization refused a request (<c>subscribers</c>, <c>sessions</c>, <c>unauthenticated</c>, <c>permission</c>).</summary>
    public void LimitRejected(string limit) => _rejections.Add(1, new KeyValuePair<string, object?>("limit", limit));

    /// <summary>A stream's reads waited for its inbound budget.</summary>
    public void Throttled() => _throttled.Add(1);

    /// <summary>A session started converting its audio to <paramref name="format"/> (e.g. <c>opus/48000/2</c>).</summary>
    public void AudioConversionStarted(string format) => _audioConversions.Add(1, new KeyValuePair<string, object?>("format", format));

    /// <summary>A conversion was retired (idle, or its session forgotten).</summary>
    public void AudioConversionEnded(string format) => _audioConversions.Add(-1, new KeyValuePair<string, object?>("format", format));

    public void AudioFrameConverted(string format) => _audioFramesConverted.Add(1, new KeyValuePair<string, object?>("format", format));

    public void AudioFrameConversionFailed(string format) => _audioConversionFailures.Add(1, new KeyValuePair<string, object?>("format", format));

    /// <summary>A background loop's iteration failed (it is retried).</summary>
    public void BackgroundFailure(string loop) => _backgroundFailures.Add(1, new KeyValuePair<string, object?>("loop", loop));

    /// <summary>Zoom's timestamp to arrival (negative differences, a clock behind Zoom's, are not recorded).</summary>
    public void ZoomLatency(string channel, TimeSpan latency)
    {
        if (latency >= TimeSpan.Zero)
        {
            _zoomLatency.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("channel", channel));
        }
    }

    public void DeliveryLatency(string channel, TimeSpan latency) =>
        _deliveryLatency.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("channel", channel));

    /// <summary>A session's first message from Zoom, <paramref name="start"/> "webhook" or "takeover".</summary>
    public void FirstMedia(string start, TimeSpan elapsed) =>
        _timeToFirstMedia.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("start", start));

    public void SessionEnded(TimeSpan duration) => _sessionDuration.Record(Math.Max(0, duration.TotalSeconds));

    public void Dispose() => _meter.Dispose();
}
