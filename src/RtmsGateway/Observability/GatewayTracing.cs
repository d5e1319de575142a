using System.Diagnostics;

namespace RtmsGateway.Observability;

/// <summary>
/// The gateway's traces (activity source <c>RtmsGateway</c>, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set). One trace per session start: the webhook's HTTP request → <see cref="Webhook"/> (the router handling it) →
/// <see cref="Claim"/> (the lease) → <see cref="SessionStart"/> (until Zoom's first media message) with
/// <see cref="Connect"/> (signaling and media handshakes until every media socket is ready) inside it. A takeover starts
/// its own trace at <see cref="Takeover"/>. Every span carries the stream id as <see cref="StreamIdTag"/>.
/// </summary>
public static class GatewayTracing
{
    public const string SourceName = "RtmsGateway";

    public const string Webhook = "rtms.webhook";
    public const string Takeover = "rtms.takeover";
    public const string Claim = "rtms.claim";
    public const string SessionStart = "rtms.session.start";
    public const string Connect = "rtms.connect";

    public const string StreamIdTag = "rtms.stream_id";
    public const string EpochTag = "rtms.epoch";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts a span for <paramref name="streamId"/> under <paramref name="parent"/> (or the current span).</summary>
    public static Activity? Start(string name, string? streamId, ActivityContext parent = default)
    {
        var activity = parent == default ? Source.StartActivity(name) : Source.StartActivity(name, ActivityKind.Internal, parent);
        activity?.SetTag(StreamIdTag, streamId);
        return activity;
    }
}
