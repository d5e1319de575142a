using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using RtmsGateway.Protocol.Serialization;

namespace RtmsGateway.Protocol;

/// <summary><c>media_server</c> of the signaling handshake response: where to open media sockets (§3.4).</summary>
public sealed class MediaServerInfo
{
    private Dictionary<string, string> _serverUrls = [];

    /// <summary>Media socket URLs by key: <c>audio</c>, <c>video</c>, <c>transcript</c>, <c>all</c> (documented) and
    /// any other key Zoom adds (<c>sharescreen</c>, <c>chat</c> seen in samples). Which keys exist depends on the app's scopes.</summary>
    /// <remarks>Read generously (<see cref="ServerUrlsConverter"/>): a JSON null reads as no URLs, a key whose URL is null
    /// is dropped, a single URL string (or an array of URLs) is the <c>all</c> URL; a value of another shape costs only
    /// that value (named in <see cref="RtmsMessage.UnreadFields"/>).</remarks>
    [JsonPropertyName("server_urls")]
    [JsonConverter(typeof(ServerUrlsConverter))]
    [AllowNull]
    public Dictionary<string, string> ServerUrls { get => _serverUrls; set => _serverUrls = value ?? []; }

    /// <summary>Beta-era per-media keys; not in current docs. Read generously (<see cref="SrtpKeysConverter"/>).</summary>
    [JsonPropertyName("srtp_keys")]
    [JsonConverter(typeof(SrtpKeysConverter))]
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
