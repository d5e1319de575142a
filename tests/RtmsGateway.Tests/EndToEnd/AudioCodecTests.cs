using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// Each audio codec Zoom offers, as configured, end to end: the gateway requests it, the simulator encodes every
/// participant's voice (a tone of its own frequency) in it, and a subscriber decodes what it receives and hears each
/// speaker's tone at its frequency (Opus with an Opus decoder, G.722 with ffmpeg's, G.711 and L16 by their tables).
/// Opus is what Zoom's SDK asks for by default: 48 kHz stereo, per speaker.
/// </summary>
public sealed class AudioCodecTests
{
    [Theory]
    [InlineData("Opus", 48000, 2, true, AudioCodec.Opus)]
    [InlineData("Opus", 48000, 1, false, AudioCodec.Opus)]
    [InlineData("G711", 8000, 1, true, AudioCodec.G711)]
    [InlineData("G722", 16000, 1, true, AudioCodec.G722)]
    [InlineData("G722", 16000, 1, false, AudioCodec.G722)]
    [InlineData("L16", 48000, 2, true, AudioCodec.L16)]
    [InlineData("L16", 8000, 1, true, AudioCodec.L16)]
    public async Task A_subscriber_decodes_each_speakers_tone_in_the_configured_codec(string codec, int rate, int channels, bool perSpeaker, AudioCodec expected)
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Rtms:AudioCodec"] = codec,
            ["Rtms:AudioSampleRateHz"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Rtms:AudioChannels"] = channels.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Rtms:AudioPerSpeaker"] = perSpeaker ? "true" : "false",
        });
        var meeting = await gateway.StartMeetingAsync(new MeetingOptions { Participants = 2, ActiveSpeakerInterval = TimeSpan.FromMinutes(5) });
        var tones = meeting.Participants.ToDictionary(p => p.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.ToneHz);

        using var call = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        var frames = (await StreamReading.ReadAsync(call.ResponseStream, perSpeaker ? 240 : 120, r => r.Frame is not null))
            .Where(r => r.Frame is not null).Select(r => r.Frame).ToList();

        Assert.All(frames, f => Assert.Equal((expected, (uint)rate, (uint)channels, 20u, perSpeaker), (f.Format.Codec, f.Format.SampleRateHz, f.Format.Channels, f.Format.FrameDurationMs, f.Format.PerSpeaker)));
        var bySpeaker = frames.GroupBy(f => f.Header.UserId).ToList();
        if (perSpeaker)
        {
            Assert.Equal(tones.Keys.Order(), bySpeaker.Select(g => g.Key).Order());
        }
        foreach (var speaker in bySpeaker)
        {
            var payloads = speaker.Select(f => f.Data.Memory).ToList();
            var pcm = expected switch
            {
                AudioCodec.Opus => AudioDecoding.DecodeOpus(payloads, rate, channels),
                // G.722 as a consumer would decode it: the concatenated payloads through ffmpeg's G.722 decoder.
                AudioCodec.G722 => await Ffmpeg.DecodeAudioAsync([.. payloads.SelectMany(p => p.ToArray())], "g722", 16000, 1),
                AudioCodec.G711 => AudioDecoding.ALaw([.. payloads.SelectMany(p => p.ToArray())]),
                _ => AudioDecoding.L16([.. payloads.SelectMany(p => p.ToArray())]),
            };
            Assert.Equal(payloads.Count * rate / 50 * channels, pcm.Length);
            // Mixed audio carries the active speaker's voice, which does not change during the test.
            var hz = perSpeaker ? tones[speaker.Key] : tones.Values.Single(t => Math.Abs(AudioDecoding.ToneHz(pcm, rate, channels) - t) < t * 0.05);
            for (var channel = 0; channel < channels; channel++)
            {
                var heard = AudioDecoding.ToneHz(pcm, rate, channels, channel);
                Assert.True(Math.Abs(heard - hz) < hz * 0.05, $"{codec}: speaker {speaker.Key} channel {channel}: heard {heard:F1} Hz, sent {hz} Hz");
            }
            Assert.True(AudioDecoding.Rms(pcm) > 1000, "the decoded audio is not silence");
            // Over two seconds, so across the simulator's one-second voice loop: a codec state that jumps at the seam
            // (G.722 encoded once clicked to full scale every second) shows as peaks far above the tone's 6000.
            var peak = pcm.Skip(rate / 50 * channels).Max(s => Math.Abs((int)s));
            Assert.True(peak < 12000, $"{codec}: speaker {speaker.Key}: peak {peak} (a click)");
        }
    }
}
