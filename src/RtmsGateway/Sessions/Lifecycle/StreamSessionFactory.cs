using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Protocol;
using RtmsGateway.Rtms;

namespace RtmsGateway.Sessions.Lifecycle;

/// <summary>Builds a <see cref="StreamSession"/> (its hub, its RTMS context, its lifecycle) for a stream this replica now owns.</summary>
internal sealed class StreamSessionFactory(
    IOptions<ZoomOptions> zoom, IOptions<RtmsClientOptions> rtms, IOptions<FanoutOptions> fanout, ISessionCatalog catalog, IOwnershipStore ownership,
    OwnershipJanitor janitor, ReplayAccount replayAccount, RtmsConnector connector, ILoggerFactory loggers, TimeProvider time, GatewayMetrics metrics,
    HistoryPersistence? history = null)
{
    private readonly ILogger _logger = loggers.CreateLogger<StreamSession>();

    public StreamSession Create(SessionRecord record, OwnershipLease lease)
    {
        var options = rtms.Value;
        var hub = new SessionHub(record, lease.Epoch, lease.ReplicaId, fanout.Value, time, metrics, replayAccount, history);
        var upstream = new UpstreamContext(
            new RtmsStreamTarget(record.InstanceId, record.StreamId, new Uri(record.SignalingUrl), record.Product),
            options,
            new ZoomCredentials(zoom.Value.ClientId!, zoom.Value.ClientSecret!),
            connector,
            new RtmsMessageReader(options.MaxMessageBytes, MediaPayloadAllocation.Pooled),
            time,
            _logger,
            metrics);
        return new StreamSession(hub, lease, upstream, ownership, janitor, catalog, Random.Shared);
    }
}
