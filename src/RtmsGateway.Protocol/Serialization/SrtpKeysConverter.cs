namespace RtmsGateway.Protocol.Serialization;

/// <summary><c>media_server.srtp_keys</c> (beta mock: an object of hex keys by media kind, §3.4): a single key string is
/// read as the <c>all</c> key; an array of keys as entries named by their position (<c>0</c>, <c>1</c>, …).</summary>
public sealed class SrtpKeysConverter() : LenientStringMapConverter("srtp_keys")
{
    protected override Dictionary<string, string> FromStrings(IReadOnlyList<string> values) =>
        values.Count == 1
            ? new() { [MediaServerKeys.All] = values[0] }
            : values.Select((key, i) => (key, i)).ToDictionary(p => p.i.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.key);
}
