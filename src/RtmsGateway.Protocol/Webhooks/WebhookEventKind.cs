namespace RtmsGateway.Protocol.Webhooks;

/// <summary>What a Zoom webhook means to an RTMS consumer (§2.2).</summary>
public enum WebhookEventKind
{
    /// <summary>An event this gateway does not act on.</summary>
    Other,
    UrlValidation,
    RtmsStarted,
    RtmsStopped,
    RtmsInterrupted,
    ConcurrencyNearLimit,
    ConcurrencyLimited,
    StartFailed,
}
