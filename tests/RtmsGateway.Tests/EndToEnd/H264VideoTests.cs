using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// H.264 video end to end: the gateway asks for H.264 at 25 fps (what Zoom's sample clients ask for), the simulator
/// serves real H.264 access units, and what a subscriber receives, concatenated in sequence order from its first key
/// frame, is a stream ffprobe and ffmpeg decode frame for frame at the size the frames declare.
/// </summary>
public sealed class H264VideoTests
{
    [Theory]
    [InlineData("Hd", 1280, 720)]
    [InlineData("Fhd", 1920, 1080)]
    public async Task A_subscriber_receives_h264_access_units_that_decode_at_their_declared_size(string resolution, int width, int height)
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Rtms:VideoFps"] = "25",
            ["Rtms:VideoResolution"] = resolution,
        });
        var meeting = await gateway.StartMeetingAsync(new MeetingOptions { Participants = 2 });

        var session = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single();
        Assert.Equal((VideoCodec.H264, 25u), (session.Media.VideoFormat.Codec, session.Media.VideoFormat.Fps));
        using var call = gateway.Client.SubscribeVideo(new SubscribeVideoRequest
        {
            Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId },
            Source = VideoSource.Camera,
        });
        // A consumer joining live waits for a key frame, then feeds every frame to its decoder.
        var frames = new List<VideoFrame>();
        const int wanted = 60;
        var read = await StreamReading.ReadAsync(call.ResponseStream, wanted, r =>
        {
            if (r.Frame is { } f && (frames.Count > 0 || f.KeyFrame))
            {
                frames.Add(f);
                return true;
            }
            return false;
        });

        Assert.Equal(wanted, frames.Count);
        Assert.DoesNotContain(read, r => r.Gap is not null);
        var sequences = frames.Select(f => f.Header.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.All(frames, f => Assert.Equal((VideoCodec.H264, (uint)width, (uint)height, 25u), (f.Format.Codec, f.Format.Width, f.Format.Height, f.Format.Fps)));
        Assert.All(frames, f => Assert.Equal([0, 0, 0, 1], f.Data.Span[..4].ToArray()));
        // The simulator's clip has an IDR every 25 frames (and at every change of speaker): a decoder can resync often.
        var keyFrames = frames.Count(f => f.KeyFrame);
        Assert.InRange(keyFrames, 2, wanted);
        Assert.All(frames.Zip(frames.Skip(1)), pair => Assert.True(pair.Second.Header.ZoomTimestampMs > pair.First.Header.ZoomTimestampMs));

        byte[] stream = [.. frames.SelectMany(f => f.Data.ToByteArray())];
        var probe = await Ffmpeg.ProbeAsync(stream, "h264");
        Assert.Equal(("h264", width, height, wanted), (probe.Codec, probe.Width, probe.Height, probe.DecodedFrames));
        Assert.Equal(string.Empty, await Ffmpeg.DecodeErrorsAsync(stream, "h264"));
    }

    [Fact]
    public async Task Jpeg_video_reports_the_size_of_its_frames_not_the_size_requested()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meeting = await gateway.StartMeetingAsync(new MeetingOptions { Participants = 2 });
        using var call = gateway.Client.SubscribeVideo(new SubscribeVideoRequest
        {
            Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId },
            Source = VideoSource.Camera,
        });

        var frames = (await StreamReading.ReadAsync(call.ResponseStream, 3, r => r.Frame is not null)).Where(r => r.Frame is not null).Select(r => r.Frame).ToList();

        // The gateway requests HD; the simulator's JPEG test pattern is 320×180, and the frames say so.
        Assert.All(frames, f => Assert.Equal((VideoCodec.Jpg, 320u, 180u, true), (f.Format.Codec, f.Format.Width, f.Format.Height, f.KeyFrame)));
        var session = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single();
        Assert.Equal((320u, 180u), (session.Media.VideoFormat.Width, session.Media.VideoFormat.Height));
    }
}
