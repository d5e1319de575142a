namespace RtmsGateway.Protocol.Webhooks;

/// <summary>The outcome of <see cref="WebhookSignature.Verify"/>.</summary>
public enum WebhookSignatureResult
{
    Valid,
    MissingHeaders,
    MalformedTimestamp,
    InvalidSignature,
    OutsideReplayWindow,
}
