using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary><c>media_server</c> of the signaling handshake response: where to open media sockets (§3.4).</summary>
public sealed class MediaServerInfo
{
    /// <summary>Media socket URLs by key: <c>audio</c>, <c>video</c>, <c>transcript</c>, <c>all</c> (documented) and
    /// any other key Zoom adds (<c>sharescreen</c>, <c>chat</c> seen in samples). Which keys exist depends on the app's scopes.</summary>
    [JsonPropertyName("server_urls")]
    public Dictionary<string, string> ServerUrls { get; set; } = [];

    /// <summary>Beta-era per-media keys; not in current docs.</summary>
    [JsonPropertyName("srtp_keys")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? SrtpKeys { get; set; }

    /// <summary>Undocumented region hint read by one sample.</summary>
    [JsonPropertyName("datacenter_region")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DatacenterRegion { get; set; }

    /// <summary>The URL for a media kind, falling back to <c>all</c>.</summary>
    public string? UrlFor(string key) =>
        ServerUrls.TryGetValue(key, out var url) && !string.IsNullOrEmpty(url) ? url
        : ServerUrls.TryGetValue(MediaServerKeys.All, out var all) && !string.IsNullOrEmpty(all) ? all
        : null;
}
