using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>Zoom refused a signaling or data handshake with a non-zero status code.</summary>
internal sealed class RtmsHandshakeException(StatusCode status, string? reason, bool signaling)
    : Exception($"{(signaling ? "Signaling" : "Data")} handshake refused: {(int)status} {status} {reason}".TrimEnd())
{
    public StatusCode Status { get; } = status;

    public bool Signaling { get; } = signaling;

    /// <summary>The retry categories of the samples' RTMSError (§3.5): connection errors (8, 15, 16) and internal errors are retried.</summary>
    public bool IsRetryable => Status is StatusCode.DuplicateSignalRequest or StatusCode.MediaDataAllConnectionExist
        or StatusCode.DuplicateMediaDataConnection or StatusCode.InternalException;

    /// <summary>
    /// The one media type a refusal is about: 9-13 (the app's scopes do not include it) and the invalid-parameter codes of
    /// one type (18-39, 43, 46, 47). Null when the refusal concerns the whole connection (signature, stream, message).
    /// </summary>
    public MediaDataType? RefusedMediaType => MediaTypeRefusals.Concerning(Status);
}
