using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// The media types a Zoom app's scopes allow (§2.3: <c>meeting:read:meeting_audio|video|…</c>). A data handshake asking
/// for another type is refused with that type's "not supported" status (9 audio, 10 video, 11 deskshare, 12 transcript,
/// 13 chat: the first refused type of the request, in that order); <c>media_type</c> 32 (ALL) is accepted and delivers
/// only the allowed types (§4.2); the signaling handshake response offers media URLs only for allowed types, plus
/// <c>all</c> ("the set depends on the app's available scopes", §3.4).
/// </summary>
public static class AppScopes
{
    /// <summary>Every media type (the default: an app with all RTMS scopes).</summary>
    public const MediaDataType Everything =
        MediaDataType.Audio | MediaDataType.Video | MediaDataType.Deskshare | MediaDataType.Transcript | MediaDataType.Chat;

    /// <summary>The order in which a request's types are checked: the first one outside the scopes is refused.</summary>
    private static readonly MediaDataType[] Order = [MediaDataType.Audio, MediaDataType.Video, MediaDataType.Deskshare, MediaDataType.Transcript, MediaDataType.Chat];

    private static readonly (MediaDataType Type, string Key)[] UrlKeys =
    [
        (MediaDataType.Audio, MediaServerKeys.Audio),
        (MediaDataType.Video, MediaServerKeys.Video),
        (MediaDataType.Transcript, MediaServerKeys.Transcript),
    ];

    /// <summary>The status refusing the first type of <paramref name="requested"/> outside <paramref name="allowed"/>, or
    /// null when every requested type is allowed. ALL (32) is never refused for scopes.</summary>
    internal static StatusCode? FirstRefused(MediaDataType requested, MediaDataType allowed)
    {
        if (requested.HasFlag(MediaDataType.All))
        {
            return null;
        }
        foreach (var type in Order)
        {
            if (requested.HasFlag(type) && !allowed.HasFlag(type))
            {
                return MediaTypeRefusals.NotSupported(type);
            }
        }
        return null;
    }

    /// <summary>What a media socket with an accepted <paramref name="requested"/> type delivers.</summary>
    internal static MediaDataType Delivered(MediaDataType requested, MediaDataType allowed) =>
        (requested.HasFlag(MediaDataType.All) ? allowed : requested & allowed) & Everything;

    /// <summary><c>media_server.server_urls</c> restricted to the allowed types (and <c>all</c>).</summary>
    internal static Dictionary<string, string> Urls(IReadOnlyDictionary<string, string> offered, MediaDataType allowed)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, url) in offered)
        {
            var type = Array.Find(UrlKeys, k => k.Key == key).Type;
            if (key == MediaServerKeys.All || (type != MediaDataType.None && allowed.HasFlag(type)))
            {
                result[key] = url;
            }
        }
        return result;
    }
}
