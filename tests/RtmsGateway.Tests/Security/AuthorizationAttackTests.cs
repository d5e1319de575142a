using System.Net;
using System.Security.Claims;
using System.Text;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RtmsGateway.Api.V1;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Security;

/// <summary>
/// What an authenticated but unauthorized consumer, or an unauthenticated caller on the gRPC port, can learn and do —
/// written as such a caller would try it. Findings F7 (allow-lists failing open), F8 (existence oracle) and F12 (open
/// reflection, webhook and metrics on the gRPC port).
/// </summary>
public sealed class AuthorizationAttackTests : IAsyncLifetime
{
    private const string SigningKey = "attack-test-signing-key-of-32-characters+";
    private const string BotInstance = "bot-meeting==";
    private GatewayUnderTest _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Auth:Mode"] = "Jwt",
        ["Auth:Jwt:SigningKey"] = SigningKey,
        // Only channels, no meetings: must read nothing (an unset list allows nothing).
        ["Auth:Consumers:channels-only:MediaTypes:0"] = "*",
        ["Auth:Consumers:bot:MediaTypes:0"] = "*",
        ["Auth:Consumers:bot:Instances:0"] = BotInstance,
    });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static Metadata Bearer(string clientId) => new()
    {
        {
            "authorization", "Bearer " + new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = "rtms-gateway",
                Audience = "rtms-gateway",
                Subject = new ClaimsIdentity([new Claim("client_id", clientId)]),
                Expires = DateTime.UtcNow.AddMinutes(5),
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), SecurityAlgorithms.HmacSha256),
            })
        },
    };

    private async Task<RpcException?> RefusalAsync(SubscriptionTarget target, string consumer, DateTime? deadline = null)
    {
        using var call = _gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = target }, Bearer(consumer), deadline);
        try
        {
            await call.ResponseStream.MoveNext(CancellationToken.None);
            return null;
        }
        catch (RpcException ex)
        {
            return ex;
        }
    }

    [Fact]
    public async Task A_policy_that_names_only_channels_reads_no_meeting()
    {
        var meeting = await _gateway.StartMeetingAsync();
        Assert.Empty((await _gateway.Client.ListSessionsAsync(new ListSessionsRequest(), Bearer("channels-only"))).Sessions);
        var refused = await RefusalAsync(new SubscriptionTarget { RtmsStreamId = meeting.StreamId }, "channels-only");
        Assert.Equal(StatusCode.NotFound, refused?.StatusCode);
    }

    [Fact]
    public async Task Another_consumers_meeting_is_answered_exactly_like_a_meeting_that_does_not_exist()
    {
        var meeting = await _gateway.StartMeetingAsync();
        var existing = await RefusalAsync(new SubscriptionTarget { RtmsStreamId = meeting.StreamId }, "bot");
        var missing = await RefusalAsync(new SubscriptionTarget { RtmsStreamId = "no-such-stream" }, "bot");
        Assert.Equal(StatusCode.NotFound, existing?.StatusCode);
        Assert.Equal(missing?.StatusCode, existing?.StatusCode);
        Assert.Equal(missing!.Status.Detail.Replace("no-such-stream", "X"), existing!.Status.Detail.Replace(meeting.StreamId, "X"));

        // Naming the meeting's real instance, or another instance, tells nothing either.
        var contradiction = await RefusalAsync(new SubscriptionTarget { RtmsStreamId = meeting.StreamId, InstanceId = "guess==" }, "bot");
        Assert.Equal(StatusCode.NotFound, contradiction?.StatusCode);
        var byInstance = await RefusalAsync(new SubscriptionTarget { InstanceId = meeting.InstanceId }, "bot");
        Assert.Equal(StatusCode.NotFound, byInstance?.StatusCode);
    }

    [Fact]
    public async Task Waiting_for_another_consumers_meeting_never_returns_when_it_starts()
    {
        var hidden = _gateway.Simulator.AddMeeting();
        var waiting = RefusalAsync(new SubscriptionTarget { InstanceId = hidden.InstanceId, WaitForStart = true }, "bot", DateTime.UtcNow.AddSeconds(3));
        await hidden.StartAsync(CancellationToken.None);
        await hidden.WaitForStreamingAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted, "the wait ended when a meeting the consumer may not read started");
        Assert.Equal(StatusCode.DeadlineExceeded, (await waiting)?.StatusCode);

        // The same wait for its own meeting returns as soon as it starts.
        var mine = _gateway.Simulator.AddMeeting(new Simulator.MeetingOptions { InstanceId = BotInstance });
        var own = RefusalAsync(new SubscriptionTarget { InstanceId = BotInstance, WaitForStart = true }, "bot", DateTime.UtcNow.AddSeconds(20));
        await mine.StartAsync(CancellationToken.None);
        Assert.Null(await own);
    }

    [Fact]
    public async Task Reflection_needs_the_same_credentials_as_the_api_while_health_stays_open()
    {
        async Task<StatusCode> ListServicesAsync(Metadata? headers)
        {
            using var call = new ServerReflection.ServerReflectionClient(_gateway.Channel).ServerReflectionInfo(headers);
            try
            {
                await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
                await call.RequestStream.CompleteAsync();
                await call.ResponseStream.MoveNext(CancellationToken.None);
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        }

        Assert.Equal(StatusCode.Unauthenticated, await ListServicesAsync(null));
        Assert.Equal(StatusCode.OK, await ListServicesAsync(Bearer("bot")));
        var health = await new global::Grpc.Health.V1.Health.HealthClient(_gateway.Channel).CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task The_grpc_port_serves_no_webhook_metrics_or_probe()
    {
        using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = _gateway.GrpcUrl, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (var path in new[] { "/metrics", "/healthz", "/readyz" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }
        using var body = new StringContent("{}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(new Uri("/webhooks/zoom", UriKind.Relative), body)).StatusCode);
        // The HTTP port still serves them.
        Assert.Equal(HttpStatusCode.OK, (await _gateway.Http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }
}
