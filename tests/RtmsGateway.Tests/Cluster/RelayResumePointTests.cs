using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Cluster;

/// <summary>
/// A resume point of 0 ("before the first message") means the same on a replica that relays the session as on its
/// owner: the relay passes it on as set, so the caller gets the backlog the owner holds, not a live start without a Gap.
/// </summary>
public sealed class RelayResumePointTests : IAsyncLifetime
{
    private ClusterUnderTest _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterUnderTest.StartAsync(replicas: 2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Resume_after_zero_on_a_relaying_replica_gets_what_it_gets_on_the_owner()
    {
        var meeting = _cluster.Simulator.AddMeeting(new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(100) });
        using var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout);
        await meeting.StartAsync(timeout.Token);
        await meeting.WaitForStreamingAsync(timeout.Token);
        var owner = _cluster.Replica(await _cluster.OwnerOfAsync(meeting.StreamId));
        var relay = _cluster.Replicas.First(r => r != owner);
        var fromZero = new SubscriptionTarget { RtmsStreamId = meeting.StreamId, ResumeAfterSequence = 0 };
        // Some transcripts exist before anyone asks, so a live start would begin after them.
        using (var live = owner.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } }))
        {
            await StreamReading.ReadAsync(live.ResponseStream, 3, r => r.Segment is not null);
        }

        // The meeting is younger than the replay retention (30 s): from 0, both calls start at its very first message,
        // with nothing missing to announce.
        using var direct = owner.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = fromZero });
        var onOwner = (await StreamReading.ReadAsync(direct.ResponseStream, 1, r => r.Segment is not null)).First();
        using var relayed = relay.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = fromZero });
        var onRelay = (await StreamReading.ReadAsync(relayed.ResponseStream, 1, r => r.Segment is not null)).First();
        Assert.Equal(SubscribeTranscriptsResponse.MessageOneofCase.Segment, onOwner.MessageCase);
        Assert.Equal(onOwner.MessageCase, onRelay.MessageCase);
        Assert.Equal(onOwner.Segment.Header.Sequence, onRelay.Segment.Header.Sequence);

        using var audio = owner.Client.SubscribeAudio(new SubscribeAudioRequest { Target = fromZero });
        var audioOnOwner = (await StreamReading.ReadAsync(audio.ResponseStream, 1, r => r.Frame is not null)).First();
        using var relayedAudio = relay.Client.SubscribeAudio(new SubscribeAudioRequest { Target = fromZero });
        var audioOnRelay = (await StreamReading.ReadAsync(relayedAudio.ResponseStream, 1, r => r.Frame is not null)).First();
        Assert.Equal(SubscribeAudioResponse.MessageOneofCase.Frame, audioOnOwner.MessageCase);
        Assert.Equal(audioOnOwner.MessageCase, audioOnRelay.MessageCase);
        Assert.Equal(audioOnOwner.Frame.Header.Sequence, audioOnRelay.Frame.Header.Sequence);
    }
}
