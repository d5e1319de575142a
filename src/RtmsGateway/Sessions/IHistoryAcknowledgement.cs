namespace RtmsGateway.Sessions;

/// <summary>What a <see cref="IHistoryWriter"/> tells the channel that published an item: the store has it (or gave it up).
/// Called from the writer's loop; never blocks.</summary>
internal interface IHistoryAcknowledgement
{
    /// <summary>Every item of the channel up to <paramref name="sequence"/> is settled: stored, or never will be.</summary>
    void Settled(ulong sequence);
}
