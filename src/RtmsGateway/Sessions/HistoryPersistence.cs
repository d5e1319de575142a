namespace RtmsGateway.Sessions;

/// <summary>
/// Cluster mode: where reliable channels store what they publish, and how long a published item waits for the store's
/// acknowledgement before it is fanned out anyway (<see cref="Configuration.RedisOptions.HistoryWriteWait"/>).
/// </summary>
internal sealed record HistoryPersistence(IHistoryWriter Writer, IHistoryReader Reader, TimeSpan WriteWait, TimeSpan ReadTimeout);
