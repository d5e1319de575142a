using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace RtmsGateway.Rtms;

/// <summary>Which exceptions mean "the connection to Zoom failed" (retry), and how to describe them with their cause.</summary>
internal static class RtmsFailures
{
    /// <summary>Enough for any real chain (WebSocket → HTTP → socket/TLS → OS); a cycle cannot make the text endless.</summary>
    private const int MaxDepth = 8;

    public static bool IsConnectionFailure(Exception ex) =>
        ex is WebSocketException or IOException or TimeoutException or HttpRequestException or SocketException or ObjectDisposedException
        || (ex is RtmsHandshakeException h && h.IsRetryable);

    /// <summary>
    /// The message and, after it, every inner exception of the chain with its type (and socket error code): "Unable to
    /// connect to the remote server" alone hides whether the cause was a refused connection, a TLS failure or DNS:
    /// <c>Faulted: Unable to connect to the remote server &lt;- HttpRequestException: Connection refused (host:port) &lt;-
    /// SocketException ConnectionRefused: Connection refused</c>.
    /// </summary>
    public static string Describe(Exception ex)
    {
        var text = new StringBuilder(ex is WebSocketException ws ? $"{ws.WebSocketErrorCode}: {ws.Message}" : ex.Message);
        var depth = 0;
        for (var inner = ex.InnerException; inner is not null && depth < MaxDepth; inner = inner.InnerException, depth++)
        {
            text.Append(" <- ").Append(inner.GetType().Name);
            if (inner is SocketException socket)
            {
                text.Append(' ').Append(socket.SocketErrorCode);
            }
            text.Append(": ").Append(inner.Message);
        }
        return text.ToString();
    }
}
