using System.Globalization;
using System.Text;

namespace RtmsGateway.Protocol.Webhooks;

/// <summary>
/// Zoom's webhook request signature (§2.5): header <c>x-zm-signature</c> =
/// <c>"v0=" + hex(HMAC-SHA256(secret_token, "v0:" + x-zm-request-timestamp + ":" + raw_body))</c>, checked in constant time
/// over the exact raw body bytes, plus a replay window on the timestamp (seconds, or milliseconds when above 10^12).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "x-zm-signature";
    public const string TimestampHeader = "x-zm-request-timestamp";
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    public static string Compute(string secretToken, string timestamp, ReadOnlySpan<byte> rawBody)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretToken);
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(message, 0);
        rawBody.CopyTo(message.AsSpan(prefix.Length));
        return "v0=" + HmacHex.Compute(secretToken, message);
    }

    public static WebhookSignatureResult Verify(
        string secretToken, string? signatureHeader, string? timestampHeader, ReadOnlySpan<byte> rawBody, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(signatureHeader) || string.IsNullOrEmpty(timestampHeader))
        {
            return WebhookSignatureResult.MissingHeaders;
        }
        if (!TryParseTimestamp(timestampHeader, out var sentAt))
        {
            return WebhookSignatureResult.MalformedTimestamp;
        }
        var expected = Compute(secretToken, timestampHeader, rawBody);
        if (signatureHeader.Length != expected.Length || !HmacHex.FixedTimeEquals(expected, signatureHeader.ToLowerInvariant()))
        {
            return WebhookSignatureResult.InvalidSignature;
        }
        return (now - sentAt).Duration() > tolerance ? WebhookSignatureResult.OutsideReplayWindow : WebhookSignatureResult.Valid;
    }

    /// <summary>Reads the timestamp header: epoch seconds, or epoch milliseconds when the value exceeds 10^12 (§2.5, §8).</summary>
    public static bool TryParseTimestamp(string value, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }
        try
        {
            timestamp = n > 1_000_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(n) : DateTimeOffset.FromUnixTimeSeconds(n);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
