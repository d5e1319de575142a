namespace RtmsGateway.Protocol;

/// <summary>
/// The signature of the signaling and every data handshake (§3.2):
/// <c>lowercase_hex(HMAC-SHA256(client_secret, client_id + "," + instance_id + "," + rtms_stream_id))</c>.
/// The instance id (meeting UUID etc.) is used exactly as received, never URL-encoded.
/// </summary>
public static class RtmsHandshakeSignature
{
    public static string Compute(string clientId, string clientSecret, string instanceId, string rtmsStreamId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(rtmsStreamId);
        return HmacHex.Compute(clientSecret, string.Concat(clientId, ",", instanceId, ",", rtmsStreamId));
    }

    /// <summary>Constant-time check of a received signature. Zoom compares lower-case hex, so upper-case hex is refused.</summary>
    public static bool Verify(string clientId, string clientSecret, string instanceId, string rtmsStreamId, string? signature) =>
        signature is { Length: 64 }
        && HmacHex.FixedTimeEquals(Compute(clientId, clientSecret, instanceId, rtmsStreamId), signature);
}
