using System.Text;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Known-answer vectors for the tests' own webhook HMAC (<see cref="ZoomWebhookHmac"/>), so the independent check
/// the simulator's webhooks are verified with is itself verified.</summary>
public sealed class ZoomWebhookHmacTests
{
    // Inputs: secret "secret", timestamp "1700000000", body
    //   {"event":"meeting.rtms_started","event_ts":1700000000123,"payload":{"meeting_uuid":"4444AAAiAAAAAiAiAiiAii==","rtms_stream_id":"609340fb2a7946909659956c8aa9250c"}}
    // Expected hex computed with:
    //   python3 -c 'import hmac,hashlib;print(hmac.new(b"secret",b"v0:1700000000:{\"event\":\"meeting.rtms_started\",\"event_ts\":1700000000123,\"payload\":{\"meeting_uuid\":\"4444AAAiAAAAAiAiAiiAii==\",\"rtms_stream_id\":\"609340fb2a7946909659956c8aa9250c\"}}",hashlib.sha256).hexdigest())'
    //   → 3bad3802fd1727cfebcb157fe39ba0eb99dbac66b702f5052f51ab23e49f9ba9
    private const string Body = """{"event":"meeting.rtms_started","event_ts":1700000000123,"payload":{"meeting_uuid":"4444AAAiAAAAAiAiAiiAii==","rtms_stream_id":"609340fb2a7946909659956c8aa9250c"}}""";
    private const string ExpectedSignature = "v0=3bad3802fd1727cfebcb157fe39ba0eb99dbac66b702f5052f51ab23e49f9ba9";

    // URL validation: secret "secret", plainToken "qgg8vlvZRS6UYooatFL8Aw", computed with:
    //   python3 -c 'import hmac,hashlib;print(hmac.new(b"secret",b"qgg8vlvZRS6UYooatFL8Aw",hashlib.sha256).hexdigest())'
    //   → 72cef096bfd47c0b8664df30d07721641e4abd7e885ba432204260db477a9a3e
    private const string ExpectedEncryptedToken = "72cef096bfd47c0b8664df30d07721641e4abd7e885ba432204260db477a9a3e";

    [Fact]
    public void The_event_signature_matches_the_known_answer()
    {
        Assert.Equal(ExpectedSignature, ZoomWebhookHmac.EventSignature("secret", "1700000000", Encoding.UTF8.GetBytes(Body)));
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_010);
        Assert.Equal(RtmsGateway.Protocol.Webhooks.WebhookSignatureResult.Valid,
            ZoomWebhookHmac.Check("secret", ExpectedSignature, "1700000000", Encoding.UTF8.GetBytes(Body), at));
        Assert.Equal(RtmsGateway.Protocol.Webhooks.WebhookSignatureResult.InvalidSignature,
            ZoomWebhookHmac.Check("secret", ExpectedSignature, "1700000000", Encoding.UTF8.GetBytes(Body + " "), at));
        Assert.Equal(RtmsGateway.Protocol.Webhooks.WebhookSignatureResult.OutsideReplayWindow,
            ZoomWebhookHmac.Check("secret", ExpectedSignature, "1700000000", Encoding.UTF8.GetBytes(Body), at.AddHours(1)));
    }

    [Fact]
    public void The_url_validation_token_matches_the_known_answer() =>
        Assert.Equal(ExpectedEncryptedToken, ZoomWebhookHmac.EncryptedToken("secret", "qgg8vlvZRS6UYooatFL8Aw"));
}
