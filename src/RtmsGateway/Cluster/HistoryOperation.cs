using RtmsGateway.Sessions;

namespace RtmsGateway.Cluster;

/// <summary>One queued change of the Redis history, applied in queue order: store an item, or end a session's history
/// (expire it, or delete it when Zoom revoked the stream).</summary>
internal sealed record HistoryOperation(HistoryAppend? Append, string StreamId, IReadOnlyList<string> Channels, bool Delete)
{
    public static HistoryOperation Write(HistoryAppend append) => new(append, append.StreamId, [append.Channel], Delete: false);

    public static HistoryOperation End(string streamId, IReadOnlyList<string> channels, bool delete) => new(null, streamId, channels, delete);

    /// <summary>What the item costs against the pending bound (its bytes and the entry's overhead).</summary>
    public long Cost => Append is null ? 0 : Append.Bytes.Length + 64;
}
