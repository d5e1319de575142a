namespace RtmsGateway.Sessions;

/// <summary>
/// The bytes every replay buffer of this replica holds, against one budget. A buffer that adds a message while the
/// replica is over budget evicts its own oldest messages until the replica is within it again (the channel that adds
/// pays), so no outsider-driven stream can make the replica hold more than the budget plus one message per channel.
/// Thread-safe.
/// </summary>
internal sealed class ReplayAccount(long maxBytes)
{
    private long _bytes;

    public long MaxBytes { get; } = maxBytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public bool OverBudget => Interlocked.Read(ref _bytes) > MaxBytes;

    public void Add(long bytes) => Interlocked.Add(ref _bytes, bytes);
}
