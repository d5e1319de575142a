using System.ComponentModel.DataAnnotations;

namespace RtmsGateway.Configuration;

/// <summary>
/// Who may read what over gRPC (section <c>Auth</c>). The Zoom webhook stays public (it is signed); health and metrics
/// stay open for probes and scrapers.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.None;

    /// <summary>Token validation for <see cref="AuthMode.Jwt"/>: an OpenID Connect authority, or a shared signing key.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Client-certificate validation for <see cref="AuthMode.Mtls"/>.</summary>
    public MtlsOptions Mtls { get; set; } = new();

    /// <summary>
    /// Consumers by identity (the token's <c>client_id</c>, <c>azp</c> or <c>sub</c> claim; <c>*</c> = any authenticated
    /// consumer not listed). A consumer not covered is refused with PERMISSION_DENIED.
    /// </summary>
    public Dictionary<string, ConsumerPolicy> Consumers { get; set; } = new(StringComparer.Ordinal);
}

public enum AuthMode
{
    /// <summary>No authentication (trusted network, or mTLS terminated by the platform).</summary>
    None,

    /// <summary>Bearer JWT on every gRPC call, checked against <see cref="AuthOptions.Consumers"/>.</summary>
    Jwt,

    /// <summary>A client certificate on every gRPC call (TLS endpoint), issued by <see cref="MtlsOptions.ClientCaPath"/>;
    /// the consumer is the certificate's subject common name, checked against <see cref="AuthOptions.Consumers"/>.</summary>
    Mtls,
}

public sealed class MtlsOptions
{
    /// <summary>PEM file of the CA certificate(s) that issue consumer (and replica) certificates.</summary>
    public string? ClientCaPath { get; set; }

    /// <summary>This replica's own certificate and key (PEM), presented when it relays a subscription from another
    /// replica (cluster mode); the peer's server certificate must chain to <see cref="ClientCaPath"/> too.</summary>
    public string? RelayCertificatePath { get; set; }

    public string? RelayKeyPath { get; set; }

    /// <summary>Certificate common names of the replicas themselves: a call from one of them may name the consumer it
    /// relays for (header <c>x-rtms-consumer</c>), and is authorized as that consumer.</summary>
    /// <remarks>No initializer: configuration binding appends to an existing list.</remarks>
    public List<string>? RelayIdentities { get; set; }
}

public sealed class JwtOptions
{
    /// <summary>OpenID Connect authority (metadata and keys discovered from it).</summary>
    public string? Authority { get; set; }

    /// <summary>Symmetric HMAC signing key (at least 32 bytes), from a Secret, when no authority is used.</summary>
    public string? SigningKey { get; set; }

    [Required]
    public string Issuer { get; set; } = "rtms-gateway";

    [Required]
    public string Audience { get; set; } = "rtms-gateway";
}

/// <summary>What one consumer may read.</summary>
public sealed class ConsumerPolicy
{
    /// <summary>Meeting/instance ids (or RTMS stream ids) it may read; <c>*</c> = all; unset = none (fails closed).</summary>
    /// <remarks>No initializer: configuration binding appends to an existing list.</remarks>
    public List<string>? Instances { get; set; }

    /// <summary>Channels it may read: audio, video, transcripts, events; <c>*</c> = all; unset = none (fails closed).</summary>
    public List<string>? MediaTypes { get; set; }
}
