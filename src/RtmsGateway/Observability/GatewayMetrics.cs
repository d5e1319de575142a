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

    public void Dispose() => _meter.Dispose();
}
