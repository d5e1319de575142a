namespace RtmsGateway.Sessions;

/// <summary>How one reliable channel stores what it publishes: the writer, the stream it belongs to, the bounded wait for
/// the store's acknowledgement, and the bytes of a response.</summary>
internal sealed record ChannelPersistence<T>(IHistoryWriter Writer, string StreamId, TimeSpan WriteWait, Func<T, byte[]> BytesOf);
