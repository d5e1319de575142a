namespace RtmsGateway.Ownership;

/// <summary>The single-node <see cref="IOwnershipStore"/>: same semantics as the Redis store, within one process.</summary>
public sealed class InMemoryOwnershipStore(TimeProvider time, TimeSpan leaseTtl) : IOwnershipStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public TimeSpan LeaseTtl { get; } = leaseTtl;

    public Task<OwnershipLease?> TryAcquireAsync(SessionRecord record, string replicaId, CancellationToken ct)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            _entries.TryGetValue(record.StreamId, out var entry);
            entry ??= new Entry();
            entry.Record = record;
            _entries[record.StreamId] = entry;
            if (entry.Owner is not null && entry.ExpiresAt > now)
            {
                return Task.FromResult<OwnershipLease?>(null);
            }
            entry.Epoch++;
            entry.Owner = replicaId;
            entry.ExpiresAt = now + LeaseTtl;
            return Task.FromResult<OwnershipLease?>(new OwnershipLease(record.StreamId, replicaId, entry.Epoch, record));
        }
    }

    public Task RegisterAsync(SessionRecord record, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(record.StreamId, out var entry))
            {
                _entries[record.StreamId] = entry = new Entry();
            }
            entry.Record = record;
        }
        return Task.CompletedTask;
    }

    public Task<bool> RenewAsync(OwnershipLease lease, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(lease.StreamId, out var entry) && entry.Owner == lease.ReplicaId && entry.Epoch == lease.Epoch)
            {
                entry.ExpiresAt = time.GetUtcNow() + LeaseTtl;
                return Task.FromResult(true);
            }
            return Task.FromResult(false);
        }
    }

    public Task ReleaseAsync(OwnershipLease lease, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(lease.StreamId, out var entry) && entry.Owner == lease.ReplicaId && entry.Epoch == lease.Epoch)
            {
                entry.Owner = null;
            }
        }
        return Task.CompletedTask;
    }

    public Task ForgetAsync(string streamId, CancellationToken ct)
    {
        lock (_lock)
        {
            _entries.Remove(streamId);
        }
        return Task.CompletedTask;
    }

    public Task<SessionOwnership?> GetAsync(string streamId, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(streamId, out var entry) || entry.Record is null)
            {
                return Task.FromResult<SessionOwnership?>(null);
            }
            var owner = entry.Owner is not null && entry.ExpiresAt > time.GetUtcNow() ? entry.Owner : null;
            return Task.FromResult<SessionOwnership?>(new SessionOwnership(entry.Record, owner, entry.Epoch));
        }
    }

    public Task<IReadOnlyList<string>> FindOrphansAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            return Task.FromResult<IReadOnlyList<string>>([.. _entries.Where(e => e.Value.Record is not null && (e.Value.Owner is null || e.Value.ExpiresAt <= now)).Select(e => e.Key)]);
        }
    }

    private sealed class Entry
    {
        public SessionRecord? Record { get; set; }

        public string? Owner { get; set; }

        public ulong Epoch { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
