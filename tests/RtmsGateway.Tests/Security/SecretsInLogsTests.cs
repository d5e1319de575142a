using System.Security.Claims;
using System.Text;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Security;

/// <summary>
/// No secret ever reaches a log, at any level: the gateway runs with every category at Trace while a meeting streams,
/// webhooks (signed and forged) arrive and consumers call with tokens, and its whole output is searched for the client
/// secret, the webhook token, the JWT signing key, the tokens themselves and the handshake signature.
/// </summary>
public sealed class SecretsInLogsTests : IAsyncLifetime
{
    private const string ClientSecret = "client-secret-that-must-never-be-logged";
    private const string WebhookToken = "webhook-token-that-must-never-be-logged";
    private const string SigningKey = "jwt-signing-key-that-must-never-be-logged!!";
    private GatewayReplica _gateway = null!;
    private RtmsSimulator _simulator = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayReplica.StartAsync("secrets", new Dictionary<string, string?>
        {
            ["Zoom:ClientId"] = GatewayUnderTest.ClientId,
            ["Zoom:ClientSecret"] = ClientSecret,
            ["Zoom:WebhookSecretToken"] = WebhookToken,
            ["Zoom:AllowInsecureRtmsUrls"] = "true",
            ["Zoom:RtmsHosts:0"] = "127.0.0.1",
            ["Zoom:AllowPrivateRtmsAddresses"] = "true",
            ["Simulation:Enabled"] = "false",
            ["Auth:Mode"] = "Jwt",
            ["Auth:Jwt:SigningKey"] = SigningKey,
            ["Auth:Consumers:reader:MediaTypes:0"] = "*",
            ["Auth:Consumers:reader:Instances:0"] = "*",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Grpc"] = "Trace",
        });
        _simulator = await RtmsSimulator.StartAsync(new SimulatorOptions
        {
            ClientId = GatewayUnderTest.ClientId,
            ClientSecret = ClientSecret,
            WebhookSecretToken = WebhookToken,
            WebhookUrl = _gateway.WebhookUrl,
            KeepAliveInterval = TimeSpan.FromMilliseconds(500),
        });
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    private static string Token() => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "rtms-gateway",
        Audience = "rtms-gateway",
        Subject = new ClaimsIdentity([new Claim("client_id", "reader")]),
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), SecurityAlgorithms.HmacSha256),
    });

    [Fact]
    public async Task No_secret_token_or_signature_appears_in_the_log_even_at_trace_level()
    {
        var meeting = _simulator.AddMeeting();
        using (var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout))
        {
            await meeting.StartAsync(timeout.Token);
            await meeting.WaitForStreamingAsync(timeout.Token);
        }
        var token = Token();
        var headers = new Metadata { { "authorization", "Bearer " + token } };
        using (var call = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } }, headers))
        {
            await StreamReading.ReadAsync(call.ResponseStream, 2, r => r.Segment is not null);
        }
        var forged = "Bearer " + token[..^4] + "AAAA";
        await Assert.ThrowsAsync<RpcException>(async () => await _gateway.Client.ListSessionsAsync(new ListSessionsRequest(), new Metadata { { "authorization", forged } }));
        using var http = new HttpClient();
        var webhookBody = ZoomWebhooks.Interrupted(meeting.InstanceId, meeting.StreamId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var signed = await ZoomWebhooks.PostAsync(http, _gateway.WebhookUrl, webhookBody, secret: WebhookToken);
        await ZoomWebhooks.PostAsync(http, _gateway.WebhookUrl, webhookBody, secret: "not-the-token");
        var webhookSignature = signed.RequestMessage!.Headers.GetValues(Protocol.Webhooks.WebhookSignature.SignatureHeader).Single();
        await meeting.WaitForAsync(c => c.SignalingHandshakes >= 2, CancellationToken.None);

        var output = _gateway.Output;
        Assert.Contains("trce:", output);
        var handshakeSignature = RtmsHandshakeSignature.Compute(GatewayUnderTest.ClientId, ClientSecret, meeting.InstanceId, meeting.StreamId);
        foreach (var (what, secret) in new[]
        {
            ("client secret", ClientSecret), ("webhook token", WebhookToken), ("JWT signing key", SigningKey), ("bearer token", token),
            ("forged token", forged[7..]), ("RTMS handshake signature", handshakeSignature), ("webhook signature", webhookSignature["v0=".Length..]),
        })
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"the log contains the {what}");
        }
    }
}
