namespace RtmsGateway.Ownership;

/// <summary>The Redis key layout, in one place.</summary>
internal sealed class RedisKeys(string prefix)
{
    /// <summary>String "replicaId|epoch" with the lease TTL.</summary>
    public string Lease(string streamId) => $"{prefix}lease:{streamId}";

    /// <summary>Counter: the fencing epoch of the stream, incremented by every new owner.</summary>
    public string Epoch(string streamId) => $"{prefix}epoch:{streamId}";

    /// <summary>JSON <see cref="SessionRecord"/>: what a taking-over replica needs to connect.</summary>
    public string Record(string streamId) => $"{prefix}record:{streamId}";

    /// <summary>Set of stream ids with a live record: what takeover scans.</summary>
    public string Active => $"{prefix}active";

    /// <summary>Protobuf SessionInfo of a session (the cluster-wide session list), with a TTL once stopped.</summary>
    public string Info(string streamId) => $"{prefix}info:{streamId}";

    /// <summary>Set of stream ids with a SessionInfo.</summary>
    public string Sessions => $"{prefix}sessions";

    /// <summary>Pub/sub channel of session lifecycle changes (protobuf WatchSessionsResponse).</summary>
    public string Lifecycle => $"{prefix}lifecycle";

    /// <summary>Pub/sub channel of webhook instructions forwarded to the replica that runs the stream (JSON).</summary>
    public string Commands => $"{prefix}commands";

    /// <summary>
    /// Stream of one reliable channel's published messages (transcripts or events): entry id <c>epoch-n</c> (the message's
    /// sequence), fields <c>u</c> (participant) and <c>m</c> (the encoded response). The stream id is a hash tag, so every
    /// key of one RTMS stream lands in one Redis Cluster slot.
    /// </summary>
    public string History(string streamId, string channel) => $"{prefix}history:{{{streamId}}}:{channel}";

    /// <summary>A replica's advertised internal gRPC address, with a TTL refreshed by the replica.</summary>
    public string Replica(string replicaId) => $"{prefix}replica:{replicaId}";
}
