namespace RtmsGateway.Protocol.Serialization;

/// <summary><c>media_server.server_urls</c>: documented as an object of URLs by media kind (§3.4); a single URL string
/// (as the webhook's <c>server_urls</c> is), comma-separated URLs or an array of URLs are read as the <c>all</c> URL —
/// the first WebSocket (<c>wss://</c>, <c>ws://</c>) entry, else the first entry.</summary>
public sealed class ServerUrlsConverter() : LenientStringMapConverter("server_urls")
{
    protected override Dictionary<string, string> FromStrings(IReadOnlyList<string> values)
    {
        var url = values.FirstOrDefault(IsWebSocket) ?? (values.Count > 0 ? values[0] : null);
        return url is null ? [] : new() { [MediaServerKeys.All] = url };
    }

    private static bool IsWebSocket(string url) =>
        url.StartsWith("wss://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("ws://", StringComparison.OrdinalIgnoreCase);
}
