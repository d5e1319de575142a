using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>How the simulated Zoom behaves. Defaults are Zoom's documented values (protocol reference §3.9, §5.2).</summary>
public sealed class SimulatorOptions
{
    /// <summary>The Zoom app's client id: handshakes are signed with it (§3.2).</summary>
    public required string ClientId { get; set; }

    /// <summary>The Zoom app's client secret: the HMAC key of handshake signatures.</summary>
    public required string ClientSecret { get; set; }

    /// <summary>The webhook secret token: signs <c>x-zm-signature</c> and answers URL validation.</summary>
    public required string WebhookSecretToken { get; set; }

    /// <summary>Where webhooks are posted (the gateway's event notification endpoint). Null: no webhooks are sent.</summary>
    public Uri? WebhookUrl { get; set; }

    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Zoom sends KEEP_ALIVE_REQ on every socket every 10 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A socket that leaves this many pings in a row unanswered is dropped (Zoom: 3).</summary>
    public int MaxMissedKeepAlives { get; set; } = 3;

    /// <summary>How long a stream waits for a new signaling handshake after losing signaling (Zoom: one minute),
    /// before it ends with stop reason 19 AWAIT_RECONNECTION_TIMEOUT.</summary>
    public TimeSpan SignalingReconnectWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a stream waits for a lost media socket to be replaced (Zoom: 65 s).</summary>
    public TimeSpan MediaReconnectWindow { get; set; } = TimeSpan.FromSeconds(65);

    /// <summary>What a second signaling handshake for a stream with a live signaling connection gets (§5.3).</summary>
    public DuplicateSignalingMode DuplicateSignaling { get; set; } = DuplicateSignalingMode.Reject;

    /// <summary>The media types the app's scopes allow (<see cref="Simulator.AppScopes"/>), unless a meeting sets its own
    /// <see cref="MeetingOptions.AppScopes"/>. Default: every type.</summary>
    public MediaDataType AppScopes { get; set; } = Simulator.AppScopes.Everything;

    /// <summary>Unit of <c>x-zm-request-timestamp</c> (seconds in most sources, milliseconds in some, §2.5).</summary>
    public WebhookTimestampUnit WebhookTimestampUnit { get; set; } = WebhookTimestampUnit.Seconds;

    /// <summary>Fields directly under <c>payload</c> (default) or under <c>payload.object</c> (§2.2).</summary>
    public WebhookPayloadShape WebhookPayloadShape { get; set; } = WebhookPayloadShape.Flat;

    /// <summary>Layout of webhook bodies (the signature covers the exact bytes, §2.5).</summary>
    public WebhookBodyStyle WebhookBodyStyle { get; set; } = WebhookBodyStyle.Compact;

    /// <summary>A webhook answered later than this counts as failed, as with Zoom (§2.6: reply within 3 s).</summary>
    public TimeSpan WebhookResponseTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Delays of the redeliveries of a webhook that failed (non-2xx, no answer, or too late), each after the
    /// previous attempt; the same body is posted again with a fresh timestamp and signature. Empty (default): no
    /// redelivery. Zoom's schedule is <see cref="ZoomWebhookRedeliveryDelays"/>; tests use milliseconds.</summary>
    public IReadOnlyList<TimeSpan> WebhookRedeliveryDelays { get; set; } = [];

    /// <summary>Zoom's general webhook retry policy (§2.6): up to 3 retries at +5, +20 and +60 minutes.</summary>
    public static IReadOnlyList<TimeSpan> ZoomWebhookRedeliveryDelays { get; } = [TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(60)];

    /// <summary>Stamp each audio payload and JPEG with its send time (see <see cref="SendStamp"/>), for latency measurement.</summary>
    public bool EmbedSendTimestamps { get; set; }

    /// <summary>Send every message as a binary WebSocket frame (Zoom may; clients must accept both). Per meeting:
    /// <see cref="MeetingFaults.BinaryFrames"/>.</summary>
    public bool BinaryFrames { get; set; }

    /// <summary>Audio Zoom keeps for a client that is not connected yet or reconnecting (Zoom: up to 60 s).</summary>
    public TimeSpan AudioBufferLimit { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Outbound queue per socket. Media for a client that falls this far behind is dropped (counted), so a slow
    /// client never stalls the pacing loop; control messages have a reserve on top.</summary>
    public int SocketQueueCapacity { get; set; } = 2048;

    /// <summary>How long a new socket may take to send its handshake before it is closed.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Period of the single pacing loop that produces media, pings and timeouts for every meeting.</summary>
    public TimeSpan PacingInterval { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Drives pacing, keep-alives, reconnect windows and timestamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Kernel send buffer of accepted sockets (tests: make a non-reading client back up quickly). Null: the OS default.</summary>
    internal int? SocketSendBufferBytes { get; set; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(ClientId);
        ArgumentException.ThrowIfNullOrEmpty(ClientSecret);
        ArgumentException.ThrowIfNullOrEmpty(WebhookSecretToken);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KeepAliveInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxMissedKeepAlives);
        ArgumentOutOfRangeException.ThrowIfLessThan(SocketQueueCapacity, 64);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PacingInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(AudioBufferLimit, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WebhookResponseTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(WebhookRedeliveryDelays);
    }
}
