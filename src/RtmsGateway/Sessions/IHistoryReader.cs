namespace RtmsGateway.Sessions;

/// <summary>Reads a reliable channel's history from the cluster's store (every epoch, every owner), in sequence order.</summary>
internal interface IHistoryReader
{
    /// <summary>
    /// The stored items with <paramref name="after"/> &lt; sequence &lt; <paramref name="before"/>, oldest first, a page at a
    /// time. Throws <see cref="Ownership.OwnershipStoreUnavailableException"/> when the store cannot be reached.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<ChannelItem<EncodedMessage>>> ReadAsync(string streamId, string channel, ulong after, ulong before, CancellationToken ct);
}
