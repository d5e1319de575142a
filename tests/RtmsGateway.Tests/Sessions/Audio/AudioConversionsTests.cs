using System.Runtime.InteropServices;
using Google.Protobuf;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Sessions;
using RtmsGateway.Sessions.Audio;
using RtmsGateway.Sessions.Wire;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Sessions.Audio;

/// <summary>
/// A session's conversions, on a manual clock: one per normalized format however many ask, frames with the source's
/// sequences and headers (backlog included), the budget of formats, the per-speaker state bound, and retirement after
/// the idle timeout, which returns the replay bytes to the replica's account.
/// </summary>
public sealed class AudioConversionsTests
{
    private static readonly AudioFormat Source = new() { Codec = AudioCodec.L16, SampleRateHz = 16000, Channels = 1, FrameDurationMs = 20, PerSpeaker = true };
    private readonly ManualTimeProvider _time = new();
    private readonly ReplayAccount _account = new(64L * 1024 * 1024);
    private readonly FanoutOptions _options = new() { MaxAudioFormatsPerSession = 2, MaxAudioSpeakersPerFormat = 2, AudioFormatIdleTimeout = TimeSpan.FromSeconds(30) };
    private readonly SessionChannel<EncodedMessage> _source;
    private readonly AudioConversions _conversions;
    private int _published;

    public AudioConversionsTests()
    {
        _source = NewChannel();
        _conversions = new AudioConversions(_source, NewChannel, _options, _time, null);
    }

    private SessionChannel<EncodedMessage> NewChannel() =>
        new(false, 64, 100, new ReplayLimits(1000, TimeSpan.FromSeconds(60), long.MaxValue, _account), 3, _time, "audio", null, m => m.Bytes.Length);

    private static AudioFormatRequest L16(uint rate, uint channels = 0) => new() { Codec = AudioCodec.L16, SampleRateHz = rate, Channels = channels };

    private void Publish(string userId = "16778240", double hz = 440)
    {
        var pcm = new short[320];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * hz * ((_published * 320) + i) / 16000));
        }
        _published++;
        _source.Publish(userId, pcm, (sequence, samples) => EncodedMessage.FromEncoded(AudioResponseEncoder.Encode(
            new(sequence, 1_700_000_000_000 + (long)(sequence % 1000), _time.GetUtcNow(), userId, "Speaker"), Source.ToByteArray(), MemoryMarshal.AsBytes(samples.AsSpan()), 7, "7")));
    }

    private static List<SubscribeAudioResponse> Replayed(SessionChannel<EncodedMessage> channel)
    {
        using var subscription = channel.Subscribe(new SubscribeStart(true, null));
        return [.. subscription.Backlog.Select(i => SubscribeAudioResponse.Parser.ParseFrom(i.Response.Bytes))];
    }

    [Fact]
    public void Requests_that_mean_the_same_format_share_one_conversion_and_the_source_format_reads_the_source()
    {
        using var first = _conversions.Open(L16(8000), Source).Lease;
        var a = _conversions.Open(L16(8000, 1), Source);
        using var second = a.Lease;
        Assert.Equal(1, _conversions.Count);
        Assert.Same(_conversions.Active[0].Channel, a.Channel);

        var unconverted = _conversions.Open(L16(0, 0), Source);
        Assert.Same(_source, unconverted.Channel);
        Assert.Null(unconverted.Lease);
        Assert.Same(_source, _conversions.Open(L16(16000, 1), Source).Channel);
    }

    [Fact]
    public void Converted_frames_keep_the_sources_sequences_headers_and_backlog()
    {
        for (var i = 0; i < 5; i++)
        {
            Publish();
        }
        var open = _conversions.Open(L16(48000, 2), Source);
        using var lease = open.Lease;
        for (var i = 0; i < 5; i++)
        {
            Publish();
        }
        var source = Replayed(_source);
        var converted = Replayed(open.Channel);
        Assert.Equal(source.Select(r => r.Frame.Header), converted.Select(r => r.Frame.Header));
        Assert.Equal(source.Select(r => (r.Frame.ChannelId, r.Frame.Channel)), converted.Select(r => (r.Frame.ChannelId, r.Frame.Channel)));
        Assert.All(converted, r => Assert.Equal(new AudioFormat { Codec = AudioCodec.L16, SampleRateHz = 48000, Channels = 2, FrameDurationMs = 20, PerSpeaker = true }, r.Frame.Format));
        Assert.All(converted, r => Assert.Equal(960 * 2 * 2, r.Frame.Data.Length));
        Assert.Equal(_source.LastSequence, open.Channel.LastSequence);
        var pcm = AudioDecoding.L16([.. converted.SelectMany(r => r.Frame.Data.ToByteArray())]);
        Assert.InRange(AudioDecoding.ToneHz(pcm[1920..], 48000, 2, 1), 435, 445);
    }

    [Fact]
    public void A_format_beyond_the_budget_is_refused_with_the_limit()
    {
        using var a = _conversions.Open(L16(8000), Source).Lease;
        using var b = _conversions.Open(new AudioFormatRequest { Codec = AudioCodec.G711Ulaw }, Source).Lease;
        var refused = Assert.Throws<SubscriptionRefusedException>(() => _conversions.Open(L16(48000), Source));
        Assert.Equal((SubscriptionRefusal.ConversionLimit, 2), (refused.Refusal, refused.Limit));
        // A format in use is still served.
        using var c = _conversions.Open(L16(8000, 1), Source).Lease;
    }

    [Fact]
    public void A_conversion_nobody_reads_is_retired_after_the_idle_timeout_with_its_replay_bytes()
    {
        var before = _account.Bytes;
        var open = _conversions.Open(L16(48000, 2), Source);
        Publish();
        Publish();
        var sourceBytes = _source.RetainedBytes;
        Assert.True(_account.Bytes - before > sourceBytes, "the converted replay counts against the replica's account");
        open.Lease!.Dispose();
        _time.Advance(TimeSpan.FromSeconds(29));
        _conversions.Sweep();
        Assert.Equal(1, _conversions.Count);
        _time.Advance(TimeSpan.FromSeconds(1));
        _conversions.Sweep();
        Assert.Equal(0, _conversions.Count);
        Assert.Equal(before + sourceBytes, _account.Bytes);
        Assert.Equal(0, open.Channel.RetainedBytes);
    }

    [Fact]
    public void A_conversion_read_again_before_the_timeout_stays()
    {
        _conversions.Open(L16(8000), Source).Lease!.Dispose();
        _time.Advance(TimeSpan.FromSeconds(20));
        using var again = _conversions.Open(L16(8000), Source).Lease;
        _time.Advance(TimeSpan.FromMinutes(5));
        _conversions.Sweep();
        Assert.Equal(1, _conversions.Count);
    }

    [Fact]
    public void Speaker_states_are_bounded_least_recently_heard_first()
    {
        using var lease = _conversions.Open(L16(8000), Source).Lease;
        var conversion = _conversions.Active[0];
        Publish("1");
        Publish("2");
        Publish("1");
        Publish("3");
        Assert.Equal(2, conversion.Speakers);
        Assert.Equal(4, conversion.FramesConverted);
    }

    [Fact]
    public void A_frame_that_cannot_be_converted_leaves_a_hole_the_subscriber_sees_and_the_publisher_is_unharmed()
    {
        using var lease = _conversions.Open(L16(8000), Source).Lease;
        var converted = _conversions.Active[0];
        using var subscription = converted.Channel.Subscribe(SubscribeStart.Live);
        Publish();
        // No audio frame (a Gap response): the conversion fails for it, and the source's publish still succeeds.
        var broken = _source.Publish("1", 0, static (_, _) => EncodedMessage.FromEncoded([0x12, 0x00]));
        Publish();
        Assert.Equal(1, converted.FramesFailed);
        var sequences = new List<ulong>();
        while (subscription.Reader.TryRead(out var item))
        {
            sequences.Add(item.Sequence);
        }
        // The jump over the broken frame is what the subscription pump announces as a Gap.
        Assert.Equal([broken - 1, broken + 1], sequences);
    }
}
