extern alias client;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Cluster;
using ClientApi = client::RtmsGateway.Api.V1;
using GatewayClient = client::RtmsGateway.Client.GatewayClient;
using GatewayClientOptions = client::RtmsGateway.Client.GatewayClientOptions;
using RetryPolicy = client::RtmsGateway.Client.RetryPolicy;
using StreamItemKind = client::RtmsGateway.Client.StreamItemKind;

namespace RtmsGateway.Tests.Clients;

/// <summary>
/// The C# client library (clients/csharp) against real gateway processes: a subscription's loop survives a kill -9 of
/// the session's owner with no code of its own, every sequence is accounted for (delivered, or inside exactly one gap),
/// and errors a retry cannot fix end it at once.
/// </summary>
public sealed class CSharpClientTests
{
    private static GatewayClientOptions Options(IEnumerable<GatewayReplica> replicas)
    {
        var options = new GatewayClientOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(500) };
        foreach (var replica in replicas)
        {
            options.Addresses.Add(replica.GrpcUrl);
        }
        return options;
    }

    [Fact]
    public async Task A_subscription_survives_a_kill_of_the_owner_and_accounts_for_every_sequence()
    {
        await using var cluster = await ClusterUnderTest.StartAsync();
        var meeting = await cluster.StartMeetingAsync(via: cluster.Replicas[0]);
        var owner = cluster.Replica(await cluster.OwnerOfAsync(meeting.StreamId));
        await using var gateway = new GatewayClient(Options(cluster.Replicas));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        ulong last = 0;
        ulong? firstAfterKill = null;
        var gaps = new List<ClientApi.Gap>();
        var delivered = 0;
        await foreach (var item in gateway.SubscribeAudio(new ClientApi.SubscriptionTarget { RtmsStreamId = meeting.StreamId }, timeout.Token))
        {
            switch (item.Kind)
            {
                case StreamItemKind.Gap:
                    Assert.True(last == 0 || item.Gap!.FirstMissingSequence == last + 1, $"gap {item.Gap} does not start right after {last}");
                    gaps.Add(item.Gap!);
                    last = item.Gap!.LastMissingSequence;
                    break;
                case StreamItemKind.Message:
                    Assert.True(last == 0 || item.Sequence == last + 1, $"{item.Sequence} after {last} with no gap between");
                    last = item.Sequence;
                    delivered++;
                    break;
                default:
                    Assert.Fail($"the session ended: {item.Ended}");
                    break;
            }
            if (delivered == 25 && firstAfterKill is null)
            {
                owner.Kill(); // SIGKILL, mid-stream; the loop has no code for it
                firstAfterKill = 0;
            }
            if (firstAfterKill == 0 && RtmsGateway.Sessions.Sequences.EpochOf(last) > 1)
            {
                firstAfterKill = last;
            }
            if (firstAfterKill > 0 && last >= firstAfterKill + 50)
            {
                break;
            }
        }
        Assert.True(firstAfterKill > 0, "no frame of the new owner arrived");
        // What the dead owner sent after the last frame delivered is announced once, as an owner change.
        Assert.Contains(gaps, g => g.Reason == ClientApi.Gap.Types.Reason.OwnerChanged);
    }

    [Fact]
    public async Task Errors_a_retry_cannot_fix_end_the_subscription_at_once_with_their_reason()
    {
        await using var gateway = await Infrastructure.GatewayUnderTest.StartAsync();
        var options = new GatewayClientOptions();
        options.Addresses.Add(gateway.GrpcUrl);
        await using var client = new GatewayClient(options);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in client.SubscribeTranscripts(new ClientApi.SubscriptionTarget { RtmsStreamId = "no-such-stream" }))
            {
            }
        });
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("SESSION_NOT_FOUND", ErrorDetails.Of(error).Reason);
    }

    [Fact]
    public Task The_examples_print_transcripts_record_wav_files_and_save_key_frames() =>
        Examples.ExampleScenario.RunAsync((name, arguments) => RunningProgram.Start("dotnet", [RepositoryPaths.ClientExamplesDll, name, .. arguments]));

    private static RpcException Error(StatusCode code, string reason, TimeSpan? retry = null)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = reason, Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = "rtms.gateway.v1" }) } };
        if (retry is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }));
        }
        var trailers = new Metadata();
        trailers.SetRpcStatus(status);
        return new RpcException(new global::Grpc.Core.Status(code, reason), trailers);
    }

    [Theory]
    [InlineData(StatusCode.NotFound, "SESSION_NOT_FOUND", false)]
    [InlineData(StatusCode.InvalidArgument, "INVALID_TARGET", false)]
    [InlineData(StatusCode.OutOfRange, "FUTURE_RESUME_POINT", false)]
    [InlineData(StatusCode.PermissionDenied, "NOT_ALLOWED", false)]
    [InlineData(StatusCode.Unauthenticated, "CREDENTIALS_REQUIRED", false)]
    [InlineData(StatusCode.FailedPrecondition, "INDIVIDUAL_VIDEO_UNAVAILABLE", false)]
    [InlineData(StatusCode.Unavailable, "DRAINING", true)]
    [InlineData(StatusCode.Unavailable, "OWNER_LOST", true)]
    [InlineData(StatusCode.ResourceExhausted, "SUBSCRIBER_TOO_SLOW", true)]
    [InlineData(StatusCode.Cancelled, "", true)]
    [InlineData(StatusCode.Unknown, "", true)]
    public void Only_what_a_retry_can_fix_is_retried(StatusCode code, string reason, bool retried)
    {
        Assert.Equal(retried, RetryPolicy.Decide(Error(code, reason), cancelledByCaller: false, TimeSpan.FromMilliseconds(10)).Retry);
        Assert.False(RetryPolicy.Decide(Error(code, reason), cancelledByCaller: true, TimeSpan.FromMilliseconds(10)).Retry);
    }

    [Fact]
    public void A_full_session_is_retried_no_sooner_than_the_gateway_asks_and_an_overflow_resumes_on_the_same_replica()
    {
        var full = RetryPolicy.Decide(Error(StatusCode.ResourceExhausted, "SUBSCRIBER_LIMIT", TimeSpan.FromSeconds(5)), false, TimeSpan.FromMilliseconds(10));
        Assert.True(full.Retry);
        Assert.True(full.Delay >= TimeSpan.FromSeconds(5));
        // A limit without RetryInfo (not the gateway's, e.g. a proxy's) is not retried blindly.
        Assert.False(RetryPolicy.Decide(Error(StatusCode.ResourceExhausted, "SOMETHING_ELSE"), false, TimeSpan.FromMilliseconds(10)).Retry);
        var overflow = RetryPolicy.Decide(Error(StatusCode.ResourceExhausted, "SUBSCRIBER_TOO_SLOW"), false, TimeSpan.FromMilliseconds(10));
        Assert.False(overflow.OtherReplica);
    }

    [Fact]
    public void Backoff_grows_to_its_cap_and_is_jittered()
    {
        var initial = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(2);
        var waits = Enumerable.Range(0, 200).Select(_ => RetryPolicy.Backoff(10, initial, max)).ToList();
        Assert.All(waits, w => Assert.InRange(w, max / 2, max));
        Assert.True(waits.Distinct().Count() > 100, "waits must not be synchronised across clients");
        Assert.InRange(RetryPolicy.Backoff(0, initial, max), initial / 2, initial);
    }
}
