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
    /// <summary>Meeting/instance ids (or RTMS stream ids) it may read; <c>*</c> or unset = all.</summary>
    /// <remarks>No initializer: configuration binding appends to an existing list.</remarks>
    public List<string>? Instances { get; set; }

    /// <summary>Channels it may read: audio, video, transcripts, events; <c>*</c> or unset = all.</summary>
    public List<string>? MediaTypes { get; set; }
}
