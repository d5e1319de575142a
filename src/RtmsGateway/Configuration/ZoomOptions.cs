using System.ComponentModel.DataAnnotations;

namespace RtmsGateway.Configuration;

/// <summary>
/// Zoom app credentials and webhook rules (section <c>Zoom</c>). Secrets come only from configuration or the environment
/// (<c>Zoom__ClientSecret</c> …) and are never logged. With no credentials at all the gateway runs against an embedded
/// simulator (see <see cref="SimulationOptions"/>).
/// </summary>
public sealed class ZoomOptions
{
    public const string Section = "Zoom";

    /// <summary>The app's client id (signs RTMS handshakes together with the secret).</summary>
    public string? ClientId { get; set; }

    /// <summary>The app's client secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The webhook secret token (verifies <c>x-zm-signature</c>, answers URL validation).</summary>
    public string? WebhookSecretToken { get; set; }

    /// <summary>Largest accepted webhook body; larger requests get 413.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxWebhookBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How far <c>x-zm-request-timestamp</c> may be from now.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan WebhookReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Dial <c>ws://</c> signaling URLs (local simulators only; Zoom requires TLS).</summary>
    public bool AllowInsecureRtmsUrls { get; set; }

    /// <summary>Webhook deliveries remembered to recognise Zoom's retries (3 h each, oldest forgotten first beyond this).</summary>
    [Range(1000, 10_000_000)]
    public int WebhookDeduplicationCapacity { get; set; } = 50_000;

    /// <summary>True when the credentials were generated for the embedded simulator.</summary>
    public bool Simulated { get; internal set; }

    public bool HasCredentials => !string.IsNullOrEmpty(ClientId) || !string.IsNullOrEmpty(ClientSecret) || !string.IsNullOrEmpty(WebhookSecretToken);
}
