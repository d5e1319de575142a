namespace RtmsGateway.Protocol.Webhooks;

/// <summary>A parsed Zoom webhook with the fields RTMS needs, read tolerantly from <c>payload</c> or <c>payload.object</c>.</summary>
public sealed record ZoomWebhookEvent
{
    /// <summary>The <c>event</c> name, e.g. <c>meeting.rtms_started</c>.</summary>
    public required string Event { get; init; }

    /// <summary><c>event_ts</c>, epoch milliseconds (0 when absent).</summary>
    public long EventTimestamp { get; init; }

    public WebhookEventKind Kind { get; init; }

    public RtmsProduct Product { get; init; }

    /// <summary>meeting_uuid, else webinar_uuid, else session_id, else engagement_id (the SDK's priority), else call_id (Zoom Phone).</summary>
    public string? InstanceId { get; init; }

    public string? RtmsStreamId { get; init; }

    /// <summary><c>server_urls</c> split on commas (a JSON array is accepted too).</summary>
    public IReadOnlyList<string> ServerUrls { get; init; } = [];

    public string? OperatorId { get; init; }

    public string? AccountId { get; init; }

    public long? MeetingId { get; init; }

    /// <summary>Video SDK custom session key.</summary>
    public string? SessionKey { get; init; }

    public bool? IsOriginalHost { get; init; }

    public StopReason? StopReason { get; init; }

    /// <summary>The URL validation challenge.</summary>
    public string? PlainToken { get; init; }

    public int? ConcurrencyLimit { get; init; }

    public int? ConcurrencyNumber { get; init; }

    public int? Percentage { get; init; }

    /// <summary>
    /// The signaling URL to dial: the first <c>wss://</c> entry, or (when <paramref name="allowInsecure"/>, for local
    /// simulators) the first <c>ws://</c> entry.
    /// </summary>
    public string? SelectSignalingUrl(bool allowInsecure)
    {
        var secure = ServerUrls.FirstOrDefault(u => u.StartsWith("wss://", StringComparison.OrdinalIgnoreCase));
        return secure ?? (allowInsecure ? ServerUrls.FirstOrDefault(u => u.StartsWith("ws://", StringComparison.OrdinalIgnoreCase)) : null);
    }
}
