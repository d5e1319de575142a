using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>What every RTMS connection of one stream needs: whom to reach, how, with which credentials, and where to report.</summary>
internal sealed record UpstreamContext(
    RtmsStreamTarget Target, RtmsClientOptions Options, ZoomCredentials Credentials, RtmsConnector Connector, RtmsMessageReader Reader, TimeProvider Time, ILogger Logger,
    GatewayMetrics? Metrics)
{
    /// <summary>The stream's inbound budget, shared by all its sockets.</summary>
    public InboundRate Rate { get; } = new(Options.MaxInboundMessagesPerSecond, Time);

    /// <summary>Waits out the budget after a message when the stream is over it (counted, never dropped).</summary>
    public async ValueTask ThrottleAsync(CancellationToken ct)
    {
        var wait = Rate.Take();
        if (wait > TimeSpan.Zero)
        {
            Metrics?.Throttled();
            await Task.Delay(wait, Time, ct);
        }
    }

    public string StreamId => Target.StreamId;
}
