using System.Net.WebSockets;
using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>What one <see cref="RtmsSocket.ReceiveAsync"/> produced: a message, a rejected message, or the close.</summary>
internal readonly record struct ReceiveResult(RtmsMessage? Value, RtmsProtocolException? Error, bool IsClosed, WebSocketCloseStatus? CloseStatus, string? CloseDescription)
{
    public static ReceiveResult Message(RtmsMessage message) => new(message, null, false, null, null);

    public static ReceiveResult Rejected(RtmsProtocolException error) => new(null, error, false, null, null);

    public static ReceiveResult Closed(WebSocketCloseStatus? status, string? description) => new(null, null, true, status, description);
}
