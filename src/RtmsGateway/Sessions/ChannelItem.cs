namespace RtmsGateway.Sessions;

/// <summary>
/// One published message of a session channel. The response object is built once and shared by every subscriber (and
/// the replay buffer), so fan-out costs no allocation per subscriber. A value (copied into each subscriber's queue and
/// the replay ring, never allocated): per frame, only the response is an object. Immutable.
/// </summary>
internal readonly struct ChannelItem<T>(ulong sequence, string userId, T response, long publishedAt)
{
    public ulong Sequence { get; } = sequence;

    /// <summary>Zoom participant id ("0" for mixed audio / none), for participant filters.</summary>
    public string UserId { get; } = userId;

    public T Response { get; } = response;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when published (replay retention).</summary>
    public long PublishedAt { get; } = publishedAt;
}
