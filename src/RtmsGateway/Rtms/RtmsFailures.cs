using System.Net.WebSockets;

namespace RtmsGateway.Rtms;

/// <summary>Which exceptions mean "the connection to Zoom failed" (retry), and how to describe them with their cause.</summary>
internal static class RtmsFailures
{
    public static bool IsConnectionFailure(Exception ex) =>
        ex is WebSocketException or IOException or TimeoutException or HttpRequestException or System.Net.Sockets.SocketException or ObjectDisposedException
        || (ex is RtmsHandshakeException h && h.IsRetryable);

    /// <summary>The message and the innermost cause ("Unable to connect" alone hides why).</summary>
    public static string Describe(Exception ex)
    {
        var text = ex is WebSocketException ws ? $"{ws.WebSocketErrorCode}: {ws.Message}" : ex.Message;
        var inner = ex.GetBaseException();
        return ReferenceEquals(inner, ex) || text.Contains(inner.Message, StringComparison.Ordinal) ? text : $"{text} ({inner.Message})";
    }
}
