using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>The app credentials that sign RTMS handshakes. The secret never leaves this object (not even via ToString).</summary>
internal sealed class ZoomCredentials(string clientId, string clientSecret)
{
    public string ClientId { get; } = clientId;

    public string Sign(string instanceId, string streamId) => RtmsHandshakeSignature.Compute(ClientId, clientSecret, instanceId, streamId);

    public override string ToString() => $"ZoomCredentials({ClientId}, secret hidden)";
}
