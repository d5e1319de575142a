using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Many meetings from one process, one pacing loop; a slow client loses frames (counted) without slowing anyone else.</summary>
public sealed class ScaleTests
{
    private static readonly int Meetings = int.TryParse(Environment.GetEnvironmentVariable("SIM_SCALE_MEETINGS"), out var n) ? n : 150;

    [Fact]
    public async Task Many_meetings_stream_audio_at_real_time_pace_at_once()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.KeepAliveInterval = TimeSpan.FromSeconds(10));
        var sessions = new List<(SimulatedMeeting Meeting, RawRtmsClient Signaling, RawRtmsClient Media)>();
        try
        {
            foreach (var batch in Enumerable.Range(0, Meetings).Chunk(50))
            {
                sessions.AddRange(await Task.WhenAll(batch.Select(async _ =>
                {
                    var meeting = harness.Simulator.AddMeeting(new MeetingOptions { TranscriptInterval = TimeSpan.FromSeconds(1) });
                    Assert.Equal(System.Net.HttpStatusCode.OK, await meeting.StartAsync());
                    var (signaling, response) = await harness.SignalAsync(meeting, events: []);
                    var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1);
                    return (meeting, signaling, media);
                })));
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Task.WhenAll(sessions.Select(s => s.Meeting.WaitForStreamingAsync(timeout.Token)));
            var before = sessions.Select(s => s.Meeting.Counters.AudioFramesSent).ToArray();
            // Every meeting receives a full second of audio (50 packets) from the one pacing loop.
            await Task.WhenAll(sessions.Select((s, i) => s.Meeting.WaitForAsync(c => c.AudioFramesSent >= before[i] + 50, timeout.Token)));
            // ...and the clients really got it, in order, without holes.
            foreach (var (_, _, media) in sessions.Take(10))
            {
                var audio = await media.CollectAsync(m => RawRtmsClient.MsgType(m) == 14, 50, "audio");
                Assert.All(audio.Zip(audio.Skip(1)), pair => Assert.Equal(20, RawRtmsClient.Timestamp(pair.Second) - RawRtmsClient.Timestamp(pair.First)));
            }
            Assert.Equal(0, harness.Simulator.Counters.FramesDropped);
            Assert.Equal(Meetings, harness.Simulator.Counters.LiveSignalingConnections);
        }
        finally
        {
            foreach (var (_, signaling, media) in sessions)
            {
                await signaling.DisposeAsync();
                await media.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_client_that_stops_reading_loses_frames_and_nobody_else_does()
    {
        await using var harness = await SimulatorHarness.StartAsync(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromSeconds(30);
            o.SocketQueueCapacity = 64;
            o.SocketSendBufferBytes = 8192;
        });
        var heavy = """{"audio":{"sample_rate":3,"channel":2,"send_rate":20}}""";

        await using var healthy = await harness.StreamingAsync(mediaParams: JsonNode.Parse(heavy)!.AsObject());
        var (slow, _) = await harness.StartMeetingAsync();
        var (signaling, response) = await harness.SignalAsync(slow, events: []);
        await using var s = signaling;
        using var stalled = await StalledMediaClient.ConnectAsync(new Uri((string)response["media_server"]!["server_urls"]!["all"]!), SimulatorHarness.DataRequest(slow, 32, JsonNode.Parse(heavy)!.AsObject()));
        await signaling.SendAsync(new JsonObject { ["msg_type"] = 7, ["rtms_stream_id"] = slow.StreamId });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await slow.WaitForAsync(c => c.FramesDropped > 0, timeout.Token);
        var before = healthy.Meeting.Counters.AudioFramesSent;
        healthy.Media.Clear();
        var packets = await healthy.Media.CollectAsync(m => RawRtmsClient.MsgType(m) == 14, 25, "audio of the healthy meeting");
        Assert.Equal(0, healthy.Meeting.Counters.FramesDropped);
        Assert.All(packets, p => Assert.Equal(3840, RawRtmsClient.Data(p).Length));
        Assert.True(harness.Simulator.Counters.FramesDropped > 0);
        Assert.True(healthy.Meeting.Counters.AudioFramesSent > before);
    }

    /// <summary>Completes the data handshake, then never reads again, with a tiny TCP receive window: the simulator's writes back up.</summary>
    private sealed class StalledMediaClient : IDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly HttpMessageInvoker _invoker;

        private StalledMediaClient(ClientWebSocket socket, HttpMessageInvoker invoker)
        {
            _socket = socket;
            _invoker = invoker;
        }

        public static async Task<StalledMediaClient> ConnectAsync(Uri uri, JsonObject handshake)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            };
            var invoker = new HttpMessageInvoker(handler);
            var client = new ClientWebSocket();
            await client.ConnectAsync(uri, invoker, CancellationToken.None);
            await client.SendAsync(Encoding.UTF8.GetBytes(handshake.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[16 * 1024];
            var result = await client.ReceiveAsync(buffer, CancellationToken.None);
            Assert.Equal(4, (int)JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!["msg_type"]!);
            return new StalledMediaClient(client, invoker);
        }

        public void Dispose()
        {
            _socket.Abort();
            _socket.Dispose();
            _invoker.Dispose();
        }
    }
}
