using System.Globalization;
using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// SubscribeAudioRequest.format end to end: the simulator sends each participant's tone in the configured codec, the
/// gateway converts it once per session and format, and each subscriber decodes what it receives (its own decoders, and
/// Concentus for Opus) and hears every speaker's tone at its frequency. Same-format subscribers share one conversion and
/// receive byte-identical frames; converted frames resume like unconverted ones; refusals carry their reasons.
/// </summary>
public sealed class AudioFormatConversionTests
{
    private static Dictionary<string, string?> Source(string codec, int rate, int channels, int maxFormats = 4) => new()
    {
        ["Rtms:AudioCodec"] = codec,
        ["Rtms:AudioSampleRateHz"] = rate.ToString(CultureInfo.InvariantCulture),
        ["Rtms:AudioChannels"] = channels.ToString(CultureInfo.InvariantCulture),
        ["Rtms:AudioPerSpeaker"] = "true",
        ["Fanout:MaxAudioFormatsPerSession"] = maxFormats.ToString(CultureInfo.InvariantCulture),
    };

    private static MeetingOptions TwoSpeakers => new() { Participants = 2, ActiveSpeakerInterval = TimeSpan.FromMinutes(5) };

    private static AudioFormatRequest Format(AudioCodec codec, uint rate = 0, uint channels = 0) => new() { Codec = codec, SampleRateHz = rate, Channels = channels };

    private static async Task<List<AudioFrame>> FramesAsync(AsyncServerStreamingCall<SubscribeAudioResponse> call, int count) =>
        [.. (await StreamReading.ReadAsync(call.ResponseStream, count, r => r.Frame is not null)).Where(r => r.Frame is not null).Select(r => r.Frame)];

    /// <summary>Each speaker's frames decoded, checked against the speaker's tone on every channel.</summary>
    private static void AssertTones(List<AudioFrame> frames, IReadOnlyDictionary<string, int> tones, AudioFormat expected, Func<List<ReadOnlyMemory<byte>>, short[]> decode)
    {
        Assert.All(frames, f => Assert.Equal(expected, f.Format));
        var bySpeaker = frames.GroupBy(f => f.Header.UserId).ToList();
        Assert.Equal(tones.Keys.Order(), bySpeaker.Select(g => g.Key).Order());
        foreach (var speaker in bySpeaker)
        {
            var pcm = decode([.. speaker.Select(f => f.Data.Memory)]);
            var rate = (int)expected.SampleRateHz;
            var channels = (int)expected.Channels;
            Assert.Equal(speaker.Count() * rate / 50 * channels, pcm.Length);
            // Past the first frame (the resampler's and codecs' start-up).
            var settled = pcm[(rate / 50 * channels)..];
            for (var channel = 0; channel < channels; channel++)
            {
                var heard = AudioDecoding.ToneHz(settled, rate, channels, channel);
                var sent = tones[speaker.Key];
                Assert.True(Math.Abs(heard - sent) < sent * 0.03, $"{expected.Codec}/{rate}/{channels}: speaker {speaker.Key} channel {channel}: heard {heard:F1} Hz, sent {sent} Hz");
            }
            Assert.True(AudioDecoding.Rms(settled) > 1000, "the converted audio is not silence");
            // No click where frames meet: the tones peak near 6000.
            Assert.True(settled.Max(s => Math.Abs((int)s)) < 9000, $"{expected.Codec}/{rate}: a click");
        }
    }

    private static short[] Concat(List<ReadOnlyMemory<byte>> payloads, Func<byte[], short[]> decode) => decode([.. payloads.SelectMany(p => p.ToArray())]);

    [Fact]
    public async Task An_L16_source_is_heard_at_its_tones_resampled_down_and_up_and_as_a_law_mu_law_and_opus()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: Source("L16", 16000, 1, maxFormats: 5));
        var meeting = await gateway.StartMeetingAsync(TwoSpeakers);
        var tones = meeting.Participants.ToDictionary(p => p.UserId.ToString(CultureInfo.InvariantCulture), p => p.ToneHz);
        var target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId };
        var cases = new (AudioFormatRequest Request, AudioFormat Expected, Func<List<ReadOnlyMemory<byte>>, short[]> Decode)[]
        {
            (Format(AudioCodec.L16, 8000), new() { Codec = AudioCodec.L16, SampleRateHz = 8000, Channels = 1, FrameDurationMs = 20, PerSpeaker = true }, p => Concat(p, b => AudioDecoding.L16(b))),
            (Format(AudioCodec.L16, 48000, 2), new() { Codec = AudioCodec.L16, SampleRateHz = 48000, Channels = 2, FrameDurationMs = 20, PerSpeaker = true }, p => Concat(p, b => AudioDecoding.L16(b))),
            (Format(AudioCodec.G711), new() { Codec = AudioCodec.G711, SampleRateHz = 8000, Channels = 1, FrameDurationMs = 20, PerSpeaker = true }, p => Concat(p, b => AudioDecoding.ALaw(b))),
            (Format(AudioCodec.G711Ulaw), new() { Codec = AudioCodec.G711Ulaw, SampleRateHz = 8000, Channels = 1, FrameDurationMs = 20, PerSpeaker = true }, p => Concat(p, b => AudioDecoding.MuLaw(b))),
            (Format(AudioCodec.Opus), new() { Codec = AudioCodec.Opus, SampleRateHz = 48000, Channels = 1, FrameDurationMs = 20, PerSpeaker = true }, p => AudioDecoding.DecodeOpus(p, 48000, 1)),
        };
        var calls = cases.Select(c => gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target, Format = c.Request })).ToList();
        try
        {
            var received = await Task.WhenAll(calls.Select(c => FramesAsync(c, 100)));
            for (var i = 0; i < cases.Length; i++)
            {
                AssertTones(received[i], tones, cases[i].Expected, cases[i].Decode);
            }
            Assert.Equal(5, gateway.Service<SessionDirectory>().FindByStream(meeting.StreamId)!.AudioConversions.Count);
        }
        finally
        {
            calls.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task An_opus_source_is_heard_at_its_tones_as_L16()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: Source("Opus", 48000, 2));
        var meeting = await gateway.StartMeetingAsync(TwoSpeakers);
        var tones = meeting.Participants.ToDictionary(p => p.UserId.ToString(CultureInfo.InvariantCulture), p => p.ToneHz);
        using var call = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new() { RtmsStreamId = meeting.StreamId }, Format = Format(AudioCodec.L16, 16000, 1) });
        AssertTones(await FramesAsync(call, 100), tones, new() { Codec = AudioCodec.L16, SampleRateHz = 16000, Channels = 1, FrameDurationMs = 20, PerSpeaker = true },
            p => Concat(p, b => AudioDecoding.L16(b)));
    }

    [Fact]
    public async Task Subscribers_of_one_format_share_one_conversion_and_resume_it_without_loss()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: Source("L16", 16000, 1));
        var meeting = await gateway.StartMeetingAsync(TwoSpeakers);
        var hub = gateway.Service<SessionDirectory>().FindByStream(meeting.StreamId)!;
        var target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId };
        using var first = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target, Format = Format(AudioCodec.G711Ulaw) });
        var a = await FramesAsync(first, 10);
        // The same format, spelled with its defaults: the same conversion. Replayed from before the first one's first
        // frame, it gets the same frames, byte for byte.
        var second = gateway.Client.SubscribeAudio(new SubscribeAudioRequest
        {
            Target = new() { RtmsStreamId = meeting.StreamId, ResumeAfterSequence = a[0].Header.Sequence - 1 },
            Format = Format(AudioCodec.G711Ulaw, 8000, 1),
        });
        var b = await FramesAsync(second, 20);
        Assert.Equal(1, hub.AudioConversions.Count);
        var common = a.Join(b, f => f.Header.Sequence, f => f.Header.Sequence, (x, y) => (x, y)).ToList();
        Assert.Equal(a.Count, common.Count);
        Assert.All(common, p => Assert.Equal(p.x, p.y));

        // Disconnect, then resume after the last frame processed: the next sequences, none missing, no gap.
        var last = b[^1].Header.Sequence;
        second.Dispose();
        using var resumed = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new() { RtmsStreamId = meeting.StreamId, ResumeAfterSequence = last }, Format = Format(AudioCodec.G711Ulaw) });
        var responses = await StreamReading.ReadAsync(resumed.ResponseStream, 30, r => r.Frame is not null);
        Assert.DoesNotContain(responses, r => r.Gap is not null);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => last + (ulong)i), responses.Select(r => r.Frame.Header.Sequence));
        Assert.All(responses, r => Assert.Equal((AudioCodec.G711Ulaw, 160), (r.Frame.Format.Codec, r.Frame.Data.Length)));
        Assert.Equal(1, hub.AudioConversions.Count);
        Assert.True(hub.AudioConversions.Active[0].FramesConverted >= 40, "one conversion made every frame");
    }

    [Fact]
    public async Task Formats_the_gateway_does_not_produce_and_formats_beyond_the_budget_are_refused_with_their_reasons()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: Source("L16", 16000, 1, maxFormats: 1));
        var meeting = await gateway.StartMeetingAsync(TwoSpeakers);
        var target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId };

        var invalid = await ErrorDetails.FirstErrorAsync(gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target, Format = Format(AudioCodec.L16, 44100) }));
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        var details = ErrorDetails.Of(invalid);
        Assert.Equal("INVALID_AUDIO_FORMAT", details.Reason);
        Assert.Equal(["format.sample_rate_hz"], details.BadFields);
        var badCodec = ErrorDetails.Of(await ErrorDetails.FirstErrorAsync(gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target, Format = Format(AudioCodec.G722) })));
        Assert.Equal(["format.codec"], badCodec.BadFields);

        using var held = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target, Format = Format(AudioCodec.L16, 8000) });
        await FramesAsync(held, 1);
        var limited = await ErrorDetails.FirstErrorAsync(gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target, Format = Format(AudioCodec.Opus) }));
        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        var limit = ErrorDetails.Of(limited);
        Assert.Equal(("CONVERSION_LIMIT", "1", meeting.StreamId), (limit.Reason, limit.Metadata["limit"], limit.Metadata["rtms_stream_id"]));
        Assert.NotNull(limit.RetryDelay);
        // The source's own format needs no conversion, so the budget does not apply to it.
        using var unconverted = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target, Format = Format(AudioCodec.L16, 16000, 1) });
        Assert.All(await FramesAsync(unconverted, 4), f => Assert.Equal(640, f.Data.Length));
    }
}
