using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Security;

/// <summary>
/// Finding F6, as an attacker without the webhook token sends it: the signature is checked on the raw bytes before the
/// body is parsed, so unsigned bodies — invalid UTF-8, lone surrogates, a URL validation challenge — get 401 and nothing
/// else, and a flood of them writes a few throttled log lines, not one per request. Runs the gateway as a real process so
/// its log is what an operator would see.
/// </summary>
public sealed class WebhookAttackTests : IAsyncLifetime, IDisposable
{
    private GatewayReplica _gateway = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _gateway = await GatewayReplica.StartAsync("webhook-attack", new Dictionary<string, string?>
    {
        ["Zoom:ClientId"] = GatewayUnderTest.ClientId,
        ["Zoom:ClientSecret"] = GatewayUnderTest.ClientSecret,
        ["Zoom:WebhookSecretToken"] = GatewayUnderTest.WebhookSecret,
        ["Simulation:Enabled"] = "false",
    });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> PostRawAsync(byte[] body, bool signed = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _gateway.WebhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (signed)
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            request.Headers.Add(Protocol.Webhooks.WebhookSignature.TimestampHeader, timestamp);
            request.Headers.Add(Protocol.Webhooks.WebhookSignature.SignatureHeader, Protocol.Webhooks.WebhookSignature.Compute(GatewayUnderTest.WebhookSecret, timestamp, body));
        }
        return await _http.SendAsync(request);
    }

    public static TheoryData<string> HostileBodies() =>
    [
        "ff fe 7b 22 65 76 65 6e 74 22 3a 22 78 22 7d", // not UTF-8
        "7b 22 65 76 65 6e 74 22 3a 22 5c 75 64 38 30 30 22 7d", // {"event":"\ud800"}: a lone surrogate
        "7b 7b 7b 7b", // not JSON
        "",
    ];

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Unsigned_hostile_bodies_get_401_and_never_a_server_error(string hex)
    {
        var body = hex.Length == 0 ? [] : hex.Split(' ').Select(h => Convert.ToByte(h, 16)).ToArray();
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostRawAsync(body)).StatusCode);
        // Signed, the same bytes are Zoom's mistake: 400, still never a 500 or a stack trace.
        Assert.Equal(HttpStatusCode.BadRequest, (await PostRawAsync(body, signed: true)).StatusCode);
        Assert.DoesNotContain("   at ", _gateway.Output);
        Assert.DoesNotContain("Unhandled exception", _gateway.Output);
    }

    [Fact]
    public async Task An_unsigned_url_validation_challenge_is_not_answered()
    {
        var body = Encoding.UTF8.GetBytes("""{"event":"endpoint.url_validation","payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1764000000000}""");
        var unsigned = await PostRawAsync(body);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.DoesNotContain("encryptedToken", await unsigned.Content.ReadAsStringAsync());
        var signed = await PostRawAsync(body, signed: true);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Contains("encryptedToken", await signed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_flood_of_unsigned_requests_writes_a_few_counted_log_lines()
    {
        var body = Encoding.UTF8.GetBytes("""{"event":"meeting.rtms_started","payload":{}}""");
        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, _) =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostRawAsync(body)).StatusCode);
        });
        var metrics = await _http.GetStringAsync(new Uri(_gateway.HttpUrl, "/metrics"));
        var counted = Regex.Match(metrics, """rtms_gateway_webhooks_total\{[^}]*outcome="invalid_signature"[^}]*\} (\d+)""");
        Assert.True(counted.Success, metrics);
        Assert.True(long.Parse(counted.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 2000);
        var lines = Regex.Count(_gateway.Output, "Webhook refused");
        Assert.InRange(lines, 1, 10);
    }
}
