using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>What every RTMS connection of one stream needs: whom to reach, how, with which credentials, and where to report.</summary>
internal sealed record UpstreamContext(
    RtmsStreamTarget Target, RtmsClientOptions Options, ZoomCredentials Credentials, RtmsConnector Connector, RtmsMessageReader Reader, TimeProvider Time, ILogger Logger,
    GatewayMetrics? Metrics)
{
    public string StreamId => Target.StreamId;
}
