using System.ComponentModel.DataAnnotations;

namespace RtmsGateway.Configuration;

/// <summary>
/// The embedded RTMS simulator (section <c>Simulation</c>): when no Zoom credentials are configured and <see cref="Enabled"/>
/// is not false, the gateway starts a simulator in-process and a few simulated meetings, so it shows live data at once.
/// </summary>
public sealed class SimulationOptions
{
    public const string Section = "Simulation";

    /// <summary>null = automatic (on exactly when no Zoom credentials are configured).</summary>
    public bool? Enabled { get; set; }

    [Range(0, 10_000)]
    public int Meetings { get; set; } = 1;

    /// <summary>Where the simulator posts webhooks; by default this gateway's <c>Kestrel:Endpoints:Http</c> URL plus the webhook path.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Time between simulated transcript lines.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan TranscriptInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Keep-alive interval of the simulated Zoom (Zoom: 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);
}
