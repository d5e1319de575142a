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

    /// <summary>Hosts the gateway dials for RTMS (signaling and media URLs Zoom hands over): exact names or IP literals, or
    /// <c>*.domain</c> for any subdomain. Anything else is refused and logged once. No initializer: configuration binding
    /// appends to an existing list; read <see cref="RtmsHostAllowList"/>.</summary>
    public List<string>? RtmsHosts { get; set; }

    /// <summary>Zoom's RTMS domains: the default of <see cref="RtmsHosts"/>.</summary>
    public static readonly IReadOnlyList<string> ZoomRtmsHosts = ["*.zoom.us", "*.zoom.com", "*.zoomgov.com"];

    public IReadOnlyList<string> RtmsHostAllowList => RtmsHosts is { Count: > 0 } hosts ? hosts : ZoomRtmsHosts;

    /// <summary>Dial RTMS hosts that resolve to loopback, private, link-local or other non-public addresses (local simulators
    /// only). Off by default: a signed webhook must not make the gateway reach into its own network.</summary>
    public bool AllowPrivateRtmsAddresses { get; set; }

    /// <summary>Webhook deliveries remembered to recognise Zoom's retries (3 h each, oldest forgotten first beyond this).</summary>
    [Range(1000, 10_000_000)]
    public int WebhookDeduplicationCapacity { get; set; } = 50_000;

    /// <summary>True when the credentials were generated for the embedded simulator.</summary>
    public bool Simulated { get; internal set; }

    public bool HasCredentials => !string.IsNullOrEmpty(ClientId) || !string.IsNullOrEmpty(ClientSecret) || !string.IsNullOrEmpty(WebhookSecretToken);
}
