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

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>Bearer-token auth with per-consumer allow-lists, the reflection switch, and the limits, each with its status.</summary>
public sealed class AuthAndLimitTests
{
    private const string SigningKey = "test-signing-key-of-at-least-32-characters!";

    private static Dictionary<string, string?> JwtSettings(string allowedInstance) => new()
    {
        ["Auth:Mode"] = "Jwt",
        ["Auth:Jwt:SigningKey"] = SigningKey,
        ["Auth:Consumers:analytics:MediaTypes:0"] = "transcripts",
        ["Auth:Consumers:analytics:Instances:0"] = "*",
        ["Auth:Consumers:bot:MediaTypes:0"] = "*",
        ["Auth:Consumers:bot:Instances:0"] = allowedInstance,
    };

    private static Metadata Bearer(string clientId, string key = SigningKey) => new()
    {
        {
            "authorization", "Bearer " + new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = "rtms-gateway",
                Audience = "rtms-gateway",
                Subject = new ClaimsIdentity([new Claim("client_id", clientId)]),
                Expires = DateTime.UtcNow.AddMinutes(5),
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
            })
        },
    };

    private static async Task<StatusCode> FirstStatusAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            try
            {
                await call.ResponseStream.MoveNext(CancellationToken.None);
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        }
    }

    [Fact]
    public async Task Consumers_need_a_valid_token_and_read_only_what_their_policy_allows()
    {
        var allowed = "meeting-allowed==";
        await using var gateway = await GatewayUnderTest.StartAsync(settings: JwtSettings(allowed));
        var mine = await gateway.StartMeetingAsync(new Simulator.MeetingOptions { InstanceId = allowed, TranscriptInterval = TimeSpan.FromMilliseconds(200) });
        var other = await gateway.StartMeetingAsync();

        var anonymous = await Assert.ThrowsAsync<RpcException>(async () => await gateway.Client.ListSessionsAsync(new ListSessionsRequest()));
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal("CREDENTIALS_REQUIRED", ErrorDetails.Of(anonymous).Reason);
        var forged = await Assert.ThrowsAsync<RpcException>(async () => await gateway.Client.ListSessionsAsync(new ListSessionsRequest(), Bearer("bot", new string('x', 48))));
        Assert.Equal(StatusCode.Unauthenticated, forged.StatusCode);
        var stranger = await Assert.ThrowsAsync<RpcException>(async () => await gateway.Client.ListSessionsAsync(new ListSessionsRequest(), Bearer("stranger")));
        Assert.Equal(StatusCode.PermissionDenied, stranger.StatusCode);
        Assert.Equal("NOT_ALLOWED", ErrorDetails.Of(stranger).Reason);

        var botSees = await gateway.Client.ListSessionsAsync(new ListSessionsRequest(), Bearer("bot"));
        Assert.Equal([mine.StreamId], botSees.Sessions.Select(s => s.RtmsStreamId));
        Assert.Equal(2, (await gateway.Client.ListSessionsAsync(new ListSessionsRequest(), Bearer("analytics"))).Sessions.Count);

        var target = new SubscriptionTarget { RtmsStreamId = mine.StreamId };
        Assert.Equal(StatusCode.OK, await FirstStatusAsync(gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = target }, Bearer("analytics"))));
        Assert.Equal(StatusCode.PermissionDenied, await FirstStatusAsync(gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target }, Bearer("analytics"))));
        Assert.Equal(StatusCode.OK, await FirstStatusAsync(gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target }, Bearer("bot"))));
        // Another consumer's meeting is answered like one that does not exist.
        Assert.Equal(StatusCode.NotFound, await FirstStatusAsync(gateway.Client.SubscribeAudio(
            new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = other.StreamId } }, Bearer("bot"))));
        Assert.Equal(StatusCode.Unauthenticated, await FirstStatusAsync(gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = target })));

        // The webhook stays public (signed) and probes stay open.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        Assert.Matches("""rtms_gateway_rejections_total\{[^}]*limit="permission"[^}]*\} [1-9]""", await gateway.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
    }

    [Fact]
    public async Task Reflection_can_be_turned_off()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:EnableReflection"] = "false" });
        using var call = new ServerReflection.ServerReflectionClient(gateway.Channel).ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(30));
        // Only read: the server refuses on the request's headers, and a write racing that refusal fails on the client with
        // CANCELLED (its stream was reset) instead of the server's status.
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task Limits_refuse_with_resource_exhausted_and_are_counted()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:MaxSessions"] = "1",
            ["Fanout:MaxSubscribersPerSession"] = "1",
        });
        var first = await gateway.StartMeetingAsync();
        var second = gateway.Simulator.AddMeeting();
        Assert.Equal(HttpStatusCode.OK, await second.StartAsync(CancellationToken.None));

        var target = new SubscriptionTarget { RtmsStreamId = first.StreamId };
        using var holder = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target });
        Assert.True(await holder.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.ResourceExhausted, await FirstStatusAsync(gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target })));

        var oversized = await Assert.ThrowsAsync<RpcException>(async () => await gateway.Client.ListSessionsAsync(new ListSessionsRequest { InstanceId = new string('x', 100_000) }));
        Assert.Equal(StatusCode.ResourceExhausted, oversized.StatusCode);

        var metrics = await gateway.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches("""rtms_gateway_rejections_total\{[^}]*limit="subscribers"[^}]*\} [1-9]""", metrics);
        Assert.Matches("""rtms_gateway_rejections_total\{[^}]*limit="sessions"[^}]*\} [1-9]""", metrics);
        Assert.Equal([first.StreamId], (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Select(s => s.RtmsStreamId));
        Assert.Equal(0, second.Counters.SignalingHandshakes);
    }
}
