namespace RtmsGateway.Sessions;

/// <summary>
/// What one channel's replay buffer may hold: messages younger than <paramref name="Retention"/>, at most
/// <paramref name="Capacity"/> of them and <paramref name="MaxBytes"/> bytes, and its share of the replica-wide
/// <paramref name="Account"/>. The oldest messages go first when any bound is reached.
/// </summary>
internal sealed record ReplayLimits(int Capacity, TimeSpan Retention, long MaxBytes = long.MaxValue, ReplayAccount? Account = null)
{
    /// <summary>A transcript or event history: kept for the session's whole life, bounded only by bytes (its own and the
    /// replica's).</summary>
    public static ReplayLimits WholeLife(long maxBytes, ReplayAccount? replica) => new(int.MaxValue, TimeSpan.MaxValue, maxBytes, replica);
}
