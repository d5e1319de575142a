using RtmsGateway.Configuration;
using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>
/// Which media sockets to open for a signaling response: one <c>all</c> socket in unified mode when Zoom offers it, else
/// one socket per requested type that Zoom offered a URL for (the set depends on the app's scopes). URLs that do not parse
/// are skipped, never fatal.
/// </summary>
internal static class MediaPlan
{
    private static readonly (MediaDataType Type, string Key)[] SplitKeys =
    [
        (MediaDataType.Audio, MediaServerKeys.Audio),
        (MediaDataType.Video, MediaServerKeys.Video),
        (MediaDataType.Deskshare, MediaServerKeys.ScreenShare),
        (MediaDataType.Transcript, MediaServerKeys.Transcript),
        (MediaDataType.Chat, MediaServerKeys.Chat),
    ];

    public static IReadOnlyList<MediaLinkPlan> For(MediaServerInfo? server, RtmsClientOptions options)
    {
        if (server is null)
        {
            return [];
        }
        var wanted = options.MediaTypes;
        if (options.MediaConnectionMode == MediaConnectionMode.Unified && Parse(server.UrlFor(MediaServerKeys.All)) is { } all)
        {
            return [new MediaLinkPlan(wanted, all)];
        }
        var links = new List<MediaLinkPlan>();
        foreach (var (type, key) in SplitKeys)
        {
            if (wanted.HasFlag(type) && Parse(server.UrlFor(key)) is { } url)
            {
                links.Add(new MediaLinkPlan(type, url));
            }
        }
        return links;
    }

    private static Uri? Parse(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
}
