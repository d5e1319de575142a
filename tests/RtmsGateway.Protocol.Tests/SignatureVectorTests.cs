using System.Text;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Protocol.Tests;

/// <summary>
/// Signatures against vectors computed independently with Python's hmac module:
/// <c>python3 -c "import hmac,hashlib; print(hmac.new(KEY.encode(), MSG.encode(), hashlib.sha256).hexdigest())"</c>.
/// </summary>
public sealed class SignatureVectorTests
{
    [Theory]
    // KEY="test-client-secret", MSG="test-client-id,4444AAAiAAAAAiAiAiiAii==,609340fb2a7946909659956c8aa9250c"
    [InlineData("test-client-id", "test-client-secret", "4444AAAiAAAAAiAiAiiAii==", "609340fb2a7946909659956c8aa9250c",
        "a728f3e385cbb16f3d47dfb06fb1293bfdbc62beeb4ac0bf9ea5710aadf09d97")]
    // KEY="s3cr3t", MSG="cid,ab/cd+ef==,0123456789abcdef0123456789abcdef" (a UUID with '/', '+', '=' is used as is)
    [InlineData("cid", "s3cr3t", "ab/cd+ef==", "0123456789abcdef0123456789abcdef",
        "66696bcdbfb4887439c095c4ae6a3f5ff7f439e16ffde40fef90602bec16e6a5")]
    public void Handshake_signature_is_the_comma_joined_hmac(string clientId, string secret, string uuid, string streamId, string expected)
    {
        Assert.Equal(expected, RtmsHandshakeSignature.Compute(clientId, secret, uuid, streamId));
        Assert.True(RtmsHandshakeSignature.Verify(clientId, secret, uuid, streamId, expected));
        Assert.False(RtmsHandshakeSignature.Verify(clientId, secret, uuid, streamId, expected.ToUpperInvariant())); // Zoom: lower-case hex only
        Assert.False(RtmsHandshakeSignature.Verify(clientId, secret + "x", uuid, streamId, expected));
        Assert.False(RtmsHandshakeSignature.Verify(clientId, secret, uuid, streamId, expected[..^1]));
        Assert.False(RtmsHandshakeSignature.Verify(clientId, secret, uuid, streamId, null));
    }

    // KEY="whsecret", MSG="v0:1732000000:" + Body
    private const string Body = "{\"event\":\"meeting.rtms_started\",\"payload\":{\"meeting_uuid\":\"u\",\"rtms_stream_id\":\"s\",\"server_urls\":\"wss://x\"},\"event_ts\":1732000000000}";
    private const string BodySignature = "v0=59d051a43cc905bc0c791fec781cf00097daaedcf321be39ebfcbc5ddf0b46e2";
    private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(1_732_000_000);

    [Fact]
    public void Webhook_signature_covers_the_timestamp_and_raw_body()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        Assert.Equal(BodySignature, WebhookSignature.Compute("whsecret", "1732000000", body));
        Assert.Equal(WebhookSignatureResult.Valid, WebhookSignature.Verify("whsecret", BodySignature, "1732000000", body, SentAt.AddSeconds(10), WebhookSignature.DefaultTolerance));
    }

    [Fact]
    public void Webhook_verification_refuses_every_kind_of_tampering()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        var now = SentAt.AddSeconds(1);
        var window = WebhookSignature.DefaultTolerance;
        var tampered = Encoding.UTF8.GetBytes(Body.Replace("\"u\"", "\"v\"", StringComparison.Ordinal));
        Assert.Equal(WebhookSignatureResult.InvalidSignature, WebhookSignature.Verify("whsecret", BodySignature, "1732000000", tampered, now, window));
        Assert.Equal(WebhookSignatureResult.InvalidSignature, WebhookSignature.Verify("other", BodySignature, "1732000000", body, now, window));
        Assert.Equal(WebhookSignatureResult.InvalidSignature, WebhookSignature.Verify("whsecret", BodySignature, "1732000001", body, now, window));
        Assert.Equal(WebhookSignatureResult.MissingHeaders, WebhookSignature.Verify("whsecret", null, "1732000000", body, now, window));
        Assert.Equal(WebhookSignatureResult.MissingHeaders, WebhookSignature.Verify("whsecret", BodySignature, "", body, now, window));
        Assert.Equal(WebhookSignatureResult.MalformedTimestamp, WebhookSignature.Verify("whsecret", BodySignature, "yesterday", body, now, window));
        Assert.Equal(WebhookSignatureResult.OutsideReplayWindow, WebhookSignature.Verify("whsecret", BodySignature, "1732000000", body, SentAt.AddMinutes(6), window));
        Assert.Equal(WebhookSignatureResult.OutsideReplayWindow, WebhookSignature.Verify("whsecret", BodySignature, "1732000000", body, SentAt.AddMinutes(-6), window));
    }

    [Fact]
    public void Millisecond_timestamps_are_signed_verbatim_and_checked_for_freshness()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        var ms = "1732000000000";
        var signature = WebhookSignature.Compute("whsecret", ms, body);
        Assert.Equal(WebhookSignatureResult.Valid, WebhookSignature.Verify("whsecret", signature, ms, body, SentAt.AddSeconds(3), WebhookSignature.DefaultTolerance));
        Assert.Equal(WebhookSignatureResult.OutsideReplayWindow, WebhookSignature.Verify("whsecret", signature, ms, body, SentAt.AddHours(1), WebhookSignature.DefaultTolerance));
    }

    [Fact]
    public void Url_validation_answers_with_the_hmac_of_the_plain_token()
    {
        // KEY="whsecret", MSG="qgg8vlvZRS6UYooatFL8Aw"
        var response = UrlValidation.CreateResponse("whsecret", "qgg8vlvZRS6UYooatFL8Aw");
        Assert.Equal("qgg8vlvZRS6UYooatFL8Aw", response.PlainToken);
        Assert.Equal("ddf88355b0e25119268d211b77198b1a6f8a8c6389e35b8cc44b380fbc76ad52", response.EncryptedToken);
    }

    [Theory]
    [InlineData("v0:1732000000:{\"event\":\"x\"}")]
    [InlineData("has space")]
    [InlineData("tab\t")]
    [InlineData("")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Url_validation_refuses_tokens_that_would_make_it_a_signing_oracle(string token)
    {
        Assert.False(UrlValidation.IsAcceptableToken(token));
        Assert.Throws<ArgumentException>(() => UrlValidation.CreateResponse("whsecret", token));
    }
}
