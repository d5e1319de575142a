namespace RtmsGateway.Simulator;

/// <summary>How the simulated Zoom behaves. Defaults are Zoom's documented values.</summary>
public sealed class SimulatorOptions
{
    public required string ClientId { get; set; }

    public required string ClientSecret { get; set; }

    public required string WebhookSecretToken { get; set; }

    /// <summary>Where webhooks are posted (the gateway's event notification endpoint). Null: no webhooks.</summary>
    public Uri? WebhookUrl { get; set; }

    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Zoom pings every 10 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A socket that leaves this many pings unanswered is dropped (Zoom: 3).</summary>
    public int MaxMissedKeepAlives { get; set; } = 3;

    /// <summary>How long a stream waits for a new signaling connection after losing one (Zoom: 1 minute).</summary>
    public TimeSpan SignalingReconnectWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a stream waits for a lost media socket (Zoom: 65 s).</summary>
    public TimeSpan MediaReconnectWindow { get; set; } = TimeSpan.FromSeconds(65);

    public DuplicateSignalingMode DuplicateSignaling { get; set; } = DuplicateSignalingMode.Reject;

    public WebhookTimestampUnit WebhookTimestampUnit { get; set; } = WebhookTimestampUnit.Seconds;

    public WebhookPayloadShape WebhookPayloadShape { get; set; } = WebhookPayloadShape.Flat;

    /// <summary>Stamp each audio payload and JPEG with its send time (see <see cref="SendStamp"/>), for latency measurement.</summary>
    public bool EmbedSendTimestamps { get; set; }

    /// <summary>Send every message as a binary WebSocket frame (Zoom may; clients must accept both).</summary>
    public bool BinaryFrames { get; set; }

    /// <summary>Audio Zoom buffers before the client connects and during interruptions (Zoom: up to 60 s).</summary>
    public TimeSpan AudioBufferLimit { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Queue per socket; a client slower than this loses media (counted), never stalls the simulator.</summary>
    public int SocketQueueCapacity { get; set; } = 4096;
}
