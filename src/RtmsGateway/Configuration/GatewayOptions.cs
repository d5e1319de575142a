using System.ComponentModel.DataAnnotations;

namespace RtmsGateway.Configuration;

/// <summary>Identity of this replica (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Stable id of this replica (the pod name in Kubernetes). Defaults to the host name and process id.</summary>
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string ReplicaId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// The gRPC address other replicas use to relay this replica's sessions (in Kubernetes <c>http://$(POD_IP):50051</c>
    /// from the downward API). Only needed with Redis.
    /// </summary>
    public Uri? AdvertisedAddress { get; set; }

    /// <summary>How long a relaying replica waits for a session without owner (takeover in progress) before giving up with UNAVAILABLE.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RelayFollowTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>gRPC server reflection (grpcurl, buf curl without protos). Turn off where the API should not be discoverable.</summary>
    public bool EnableReflection { get; set; } = true;

    /// <summary>With consumer auth enabled (<c>Auth:Mode</c> Jwt or Mtls), reflection needs the same credentials as the API.</summary>
    public bool ReflectionRequiresAuth { get; set; } = true;

    /// <summary>Most sessions this replica owns at once (0 = no limit). Beyond it, a cluster replica leaves new sessions to others.</summary>
    [Range(0, 100_000)]
    public int MaxSessions { get; set; }

    /// <summary>Path of the Zoom webhook endpoint.</summary>
    [Required]
    [RegularExpression("^/.*")]
    public string WebhookPath { get; set; } = "/webhooks/zoom";
}
