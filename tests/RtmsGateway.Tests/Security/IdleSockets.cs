using System.Net;
using System.Net.Sockets;

namespace RtmsGateway.Tests.Security;

/// <summary>An attacker's silent TCP connections: opened from a chosen source address, never sending a byte.</summary>
internal static class IdleSockets
{
    /// <summary>Opens up to <paramref name="count"/> connections to <paramref name="target"/>'s port from <paramref name="source"/>;
    /// <paramref name="failed"/> hears each attempt that failed (a gateway over its budget resets a connection so fast that
    /// the connect itself can report ConnectionReset).</summary>
    public static async Task<List<Socket>> OpenAsync(Uri target, int count, IPAddress source, Action<SocketError>? failed = null)
    {
        var sockets = new List<Socket>(count);
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(source, 0));
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, target.Port));
                sockets.Add(socket);
            }
            catch (SocketException e)
            {
                failed?.Invoke(e.SocketErrorCode);
                socket.Dispose();
            }
        }
        return sockets;
    }

    /// <summary>How many of the sockets the gateway still holds open. Whatever the gateway sent (an HTTP/2 GOAWAY before it
    /// closes) is read and dropped; a closed socket then reads end-of-stream or fails.</summary>
    public static int StillOpen(List<Socket> sockets)
    {
        var scratch = new byte[4096];
        return sockets.Count(s =>
        {
            try
            {
                while (s.Poll(0, SelectMode.SelectRead))
                {
                    if (s.Receive(scratch) == 0)
                    {
                        return false;
                    }
                }
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        });
    }
}
