using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>
/// Zoom accepted a data handshake but said its payloads are encrypted (<c>payload_encryption</c>/<c>payload_encrypted</c>
/// true, §4.4). The public sources name the flag only (keys "in the signaling handshake response", no cipher, no framing),
/// so the gateway cannot decrypt it, and forwarding it would hand subscribers ciphertext as media: the socket's media types
/// are given up for the stream instead, never retried (a retry would be answered the same way).
/// </summary>
internal sealed class RtmsPayloadEncryptedException(MediaDataType mediaType)
    : Exception($"Zoom encrypts the {mediaType} payloads of this media socket (payload_encrypted true), which the gateway cannot decrypt; {mediaType} is not forwarded for this stream")
{
    public MediaDataType MediaType { get; } = mediaType;
}
