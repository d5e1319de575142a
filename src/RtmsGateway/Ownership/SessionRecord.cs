using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Ownership;

/// <summary>
/// What Zoom's <c>rtms_started</c> webhook told us about a stream: enough for any replica to connect to it. Stored with
/// the ownership lease so another replica can take over when the owner dies.
/// </summary>
public sealed record SessionRecord
{
    public required string StreamId { get; init; }

    public required string InstanceId { get; init; }

    public required string SignalingUrl { get; init; }

    public RtmsProduct Product { get; init; }

    public string? OperatorId { get; init; }

    public string? AccountId { get; init; }

    public long? MeetingId { get; init; }

    /// <summary><c>event_ts</c> of the webhook that produced this record (tells retries from failovers).</summary>
    public long EventTimestamp { get; init; }

    public DateTimeOffset AcceptedAt { get; init; }

    /// <summary>A repeated <c>rtms_started</c> is a failover when it is newer than this record, or names another server.</summary>
    public bool IsFailover(long eventTimestamp, string signalingUrl) =>
        eventTimestamp > EventTimestamp || (eventTimestamp == EventTimestamp && !string.Equals(signalingUrl, SignalingUrl, StringComparison.Ordinal));

    public static SessionRecord FromWebhook(ZoomWebhookEvent evt, string signalingUrl, DateTimeOffset now) => new()
    {
        StreamId = evt.RtmsStreamId!,
        InstanceId = evt.InstanceId!,
        SignalingUrl = signalingUrl,
        Product = evt.Product,
        OperatorId = evt.OperatorId,
        AccountId = evt.AccountId,
        MeetingId = evt.MeetingId,
        EventTimestamp = evt.EventTimestamp,
        AcceptedAt = now,
    };
}
