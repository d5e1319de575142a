using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>
/// Zoom refused a signaling or data handshake: with a non-zero status code, or with a response that is not a valid
/// handshake response at all (no <c>status_code</c>, a field of the wrong type: <see cref="IsMalformed"/>).
/// </summary>
internal sealed class RtmsHandshakeException : Exception
{
    /// <summary>The <see cref="Status"/> of a malformed response, which carries none (not a value Zoom defines).</summary>
    public const StatusCode NoStatus = (StatusCode)(-1);

    public RtmsHandshakeException(StatusCode status, string? reason, bool signaling)
        : base($"{Kind(signaling)} handshake refused: {(int)status} {status} {reason}".TrimEnd())
    {
        Status = status;
        Signaling = signaling;
    }

    private RtmsHandshakeException(string message, bool signaling, Exception inner)
        : base(message, inner)
    {
        Status = NoStatus;
        Signaling = signaling;
    }

    public StatusCode Status { get; }

    public bool Signaling { get; }

    /// <summary>The response broke the protocol (typically: no <c>status_code</c>). Treated as a definite refusal.</summary>
    public bool IsMalformed => Status == NoStatus;

    /// <summary>The retry categories of the samples' RTMSError (§3.5): connection errors (8, 15, 16) and internal errors are retried.
    /// A malformed response is not: it cannot be read as success, and nothing says a retry would be answered differently.</summary>
    public bool IsRetryable => Status is StatusCode.DuplicateSignalRequest or StatusCode.MediaDataAllConnectionExist
        or StatusCode.DuplicateMediaDataConnection or StatusCode.InternalException;

    /// <summary>
    /// The one media type a refusal is about: 9-13 (the app's scopes do not include it) and the invalid-parameter codes of
    /// one type (18-39, 43, 46, 47). Null when the refusal concerns the whole connection (signature, stream, message).
    /// </summary>
    public MediaDataType? RefusedMediaType => IsMalformed ? null : MediaTypeRefusals.Concerning(Status);

    /// <summary>A handshake response that could not be read (§3.4/§4.4 make <c>status_code</c> part of every response).</summary>
    public static RtmsHandshakeException Malformed(RtmsProtocolException error, bool signaling) =>
        new($"{Kind(signaling)} handshake response is malformed ({error.Error}: {error.Message}); a response without a valid status_code is a protocol violation and is treated as a refusal", signaling, error);

    private static string Kind(bool signaling) => signaling ? "Signaling" : "Data";
}
