namespace RtmsGateway.Ownership;

/// <summary>
/// Records which replica owns each RTMS stream: a lease with a TTL and a fencing epoch, stored with the stream's
/// <see cref="SessionRecord"/>. Exactly one replica talks to Zoom per stream. Implementations: in-memory (single node)
/// and Redis (cluster). Every method honours its token and throws <see cref="OwnershipStoreUnavailableException"/> (only
/// that) when the store cannot be reached; callers retry.
/// </summary>
public interface IOwnershipStore
{
    /// <summary>How long a lease lives without renewal. Owners renew every third of it.</summary>
    TimeSpan LeaseTtl { get; }

    /// <summary>Claims <paramref name="record"/>'s stream for <paramref name="replicaId"/> unless another replica holds a live lease.
    /// Stores the record either way (so a later takeover has the newest signaling URL). Null when someone else owns it.</summary>
    Task<OwnershipLease?> TryAcquireAsync(SessionRecord record, string replicaId, CancellationToken ct);

    /// <summary>Stores the record without claiming the stream: another replica takes it over (this one is full).</summary>
    Task RegisterAsync(SessionRecord record, CancellationToken ct);

    /// <summary>Extends the lease (re-asserting it if the store lost it). False when another replica holds the stream: stop
    /// talking to Zoom at once.</summary>
    Task<bool> RenewAsync(OwnershipLease lease, CancellationToken ct);

    /// <summary>Gives the lease up (drain, or the stream ended) if it is still ours.</summary>
    Task ReleaseAsync(OwnershipLease lease, CancellationToken ct);

    /// <summary>The stream ended: forget its record so no replica takes it over.</summary>
    Task ForgetAsync(string streamId, CancellationToken ct);

    /// <summary>Current owner and record of a stream, or null if unknown.</summary>
    Task<SessionOwnership?> GetAsync(string streamId, CancellationToken ct);

    /// <summary>Streams with a record but no live lease: their owner died or drained. Candidates for takeover.</summary>
    Task<IReadOnlyList<string>> FindOrphansAsync(CancellationToken ct);
}
