using System.Net;
using System.Net.Sockets;

namespace RtmsGateway.Rtms;

/// <summary>
/// Opens every RTMS WebSocket through one HTTP handler that follows no redirects (a 3xx is a failed handshake, never a
/// hop to another host) and checks each address a host resolves to against the <see cref="RtmsUrlPolicy"/> at connect
/// time. Shared by all streams of the replica.
/// </summary>
internal sealed class RtmsConnector : IDisposable
{
    private readonly SocketsHttpHandler _handler;

    public RtmsConnector(RtmsUrlPolicy policy)
    {
        Policy = policy;
        _handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = async (context, ct) =>
            {
                var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
                var allowed = addresses.Where(policy.IsAllowed).ToArray();
                if (allowed.Length == 0)
                {
                    throw new RtmsUrlRefusedException($"{context.DnsEndPoint.Host} resolves to no address the gateway may dial ({string.Join(", ", addresses.Select(a => a.ToString()))})");
                }
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    public RtmsUrlPolicy Policy { get; }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose()
    {
        Invoker.Dispose();
        _handler.Dispose();
    }
}
