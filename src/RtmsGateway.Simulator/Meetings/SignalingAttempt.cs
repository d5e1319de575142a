using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// One signaling handshake a meeting received: when, from which client socket (<c>ip:port</c> of the peer), what it was
/// answered, and — for a duplicate — the peer of the signaling connection that was live at that moment. Tells which
/// two clients talked to Zoom for one stream (match the ports with the clients' logs or <c>ss -tnp</c>).
/// </summary>
public sealed record SignalingAttempt(DateTimeOffset At, string RemoteEndpoint, StatusCode Status, string? LiveRemoteEndpoint)
{
    /// <summary>It arrived while another signaling connection of the stream was live.</summary>
    public bool Duplicate => LiveRemoteEndpoint is not null;

    public override string ToString() =>
        $"{At:HH:mm:ss.fff} from {RemoteEndpoint}: status {(int)Status} {Status}{(Duplicate ? $" (duplicate: {LiveRemoteEndpoint} was live)" : string.Empty)}";
}
