namespace RtmsGateway.Protocol;

/// <summary>The documented keys of <c>media_server.server_urls</c>.</summary>
public static class MediaServerKeys
{
    public const string Audio = "audio";
    public const string Video = "video";
    public const string Transcript = "transcript";
    public const string All = "all";
    /// <summary>Probed by samples; undocumented.</summary>
    public const string ScreenShare = "sharescreen";
    /// <summary>Probed by samples; undocumented.</summary>
    public const string Chat = "chat";
}
