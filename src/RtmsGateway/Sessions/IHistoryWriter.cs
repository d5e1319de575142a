namespace RtmsGateway.Sessions;

/// <summary>
/// Stores what reliable channels (transcripts, events) publish in the cluster's history, so a <c>from_start</c> or resuming
/// reader on any replica, and a new owner after this one died, can read it. Never blocks: the RTMS receive loop calls it.
/// </summary>
internal interface IHistoryWriter
{
    /// <summary>
    /// Queues one published item, in publish order. The store acknowledges it through <see cref="HistoryAppend.Ack"/> once
    /// it is stored (or given up). False when it cannot even be queued (the pending bound is reached, or the writer stopped):
    /// it will never be stored, and readers of the history see the hole in the sequence and get a Gap for it.
    /// </summary>
    bool Append(HistoryAppend append);

    /// <summary>The session ended: its history expires after the retention, or (<paramref name="revoked"/>) is deleted now,
    /// after whatever of it is still queued.</summary>
    void Ended(string streamId, IReadOnlyList<string> channels, bool revoked);
}
