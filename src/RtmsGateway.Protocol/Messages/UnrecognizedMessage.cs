namespace RtmsGateway.Protocol;

/// <summary>
/// A message whose <c>msg_type</c> has no model (0, the reserved metadata types 23–27, or a type Zoom adds later).
/// The raw JSON is kept so it can be logged or forwarded unchanged.
/// </summary>
public sealed class UnrecognizedMessage(MessageType msgType, ReadOnlyMemory<byte> rawJson) : RtmsMessage(msgType)
{
    /// <summary>The message exactly as received (UTF-8 JSON).</summary>
    public ReadOnlyMemory<byte> RawJson { get; } = rawJson;
}
