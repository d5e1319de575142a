using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Simulator.Tests;

/// <summary>
/// Zoom's webhook HMACs written out from the protocol reference (§2.4, §2.5) with <see cref="HMACSHA256"/> directly, so
/// the simulator's signing is checked against an implementation that is not the project's own
/// (<c>WebhookSignature</c> / <c>UrlValidation</c>). Lower-case hex; the event message is
/// <c>"v0:" + x-zm-request-timestamp + ":" + raw body</c>.
/// </summary>
internal static class ZoomWebhookHmac
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Hex(string key, byte[] message) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), message));

    /// <summary><c>v0=</c> + hex HMAC of <c>v0:{timestamp}:{raw body}</c>.</summary>
    public static string EventSignature(string secret, string timestamp, byte[] rawBody) =>
        "v0=" + Hex(secret, [.. Encoding.UTF8.GetBytes($"v0:{timestamp}:"), .. rawBody]);

    /// <summary>The <c>encryptedToken</c> answering <c>endpoint.url_validation</c>: hex HMAC of the plain token.</summary>
    public static string EncryptedToken(string secret, string plainToken) => Hex(secret, Encoding.UTF8.GetBytes(plainToken));

    /// <summary>Checks a received webhook: headers present, signature equal (constant time), timestamp within 5 minutes
    /// (seconds, or milliseconds when above 10^12, §2.5).</summary>
    public static WebhookSignatureResult Check(string secret, string? signature, string? timestamp, byte[] rawBody, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
        {
            return WebhookSignatureResult.MissingHeaders;
        }
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var stamp))
        {
            return WebhookSignatureResult.MalformedTimestamp;
        }
        var expected = Encoding.ASCII.GetBytes(EventSignature(secret, timestamp, rawBody));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return WebhookSignatureResult.InvalidSignature;
        }
        var sent = stamp > 1_000_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(stamp) : DateTimeOffset.FromUnixTimeSeconds(stamp);
        return (now - sent).Duration() <= Tolerance ? WebhookSignatureResult.Valid : WebhookSignatureResult.OutsideReplayWindow;
    }
}
