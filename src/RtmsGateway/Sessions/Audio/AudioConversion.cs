using Concentus;
using Google.Protobuf;
using RtmsGateway.Api.V1;
using RtmsGateway.Observability;
using RtmsGateway.Sessions.Wire;

namespace RtmsGateway.Sessions.Audio;

/// <summary>
/// One format a session's audio is converted to, shared by every subscriber that asked for it: a channel derived from the
/// session's audio channel, where every source frame becomes exactly one converted frame with the same sequence, header,
/// publication time and frame duration (so resume points, <c>from_start</c>, gaps and retention behave as on the source).
/// Created with the source's retained backlog converted (outside the source's lock, then what was published meanwhile
/// under it), then follows each published frame.
/// <para>
/// Conversion runs inline, in the publish path, under the source channel's lock: lossless (no frame can be skipped, so
/// nothing needs a gap of its own) and in publication order, at a CPU cost bounded by the session's budget of formats
/// (<c>Fanout:MaxAudioFormatsPerSession</c>) times one codec pass per frame. It never waits: the RTMS receive loop spends
/// CPU here, not time blocked on a subscriber (each subscriber still has its own bounded, drop-oldest queue).
/// </para>
/// </summary>
internal sealed class AudioConversion : IChannelFollower<EncodedMessage>
{
    private readonly SpeakerConverters _speakers;
    private readonly GatewayMetrics? _metrics;
    private readonly string _tag;
    private byte[] _sourceFormat = [];
    private SourceAudio _source;
    private byte[] _format = [];
    private long _converted;
    private long _failed;

    public AudioConversion(AudioTarget target, SessionChannel<EncodedMessage> channel, int maxSpeakers, GatewayMetrics? metrics)
    {
        Target = target;
        Channel = channel;
        _speakers = new SpeakerConverters(maxSpeakers);
        _metrics = metrics;
        _tag = target.Tag;
    }

    public AudioTarget Target { get; }

    /// <summary>The converted frames (subscribers read here).</summary>
    public SessionChannel<EncodedMessage> Channel { get; }

    /// <summary>Frames converted so far (backlog included).</summary>
    public long FramesConverted => Interlocked.Read(ref _converted);

    /// <summary>Frames that could not be converted (each announced to this format's subscribers by a Gap).</summary>
    public long FramesFailed => Interlocked.Read(ref _failed);

    /// <summary>Speaker states held now (at most <c>Fanout:MaxAudioSpeakersPerFormat</c>).</summary>
    public int Speakers => _speakers.Count;

    /// <summary>Calls reading this conversion now (guarded by <see cref="AudioConversions"/>).</summary>
    internal int Leases { get; set; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the last lease ended.</summary>
    internal long IdleSince { get; set; }

    /// <summary>Converts the source's retained backlog into this channel's replay (outside the source's lock: at 30 s of
    /// retention and Opus output this is a few hundred ms of CPU, which must not hold up the RTMS receive loop).</summary>
    public void Prepare(IReadOnlyList<ChannelItem<EncodedMessage>> backlog) => Channel.Seed(backlog.Select(Convert).ToList(), 0);

    public void Start(IReadOnlyList<ChannelItem<EncodedMessage>> published, ulong lastSequence, SessionEnded? ended)
    {
        Channel.Seed(published.Select(Convert).ToList(), lastSequence);
        if (ended is not null)
        {
            Channel.Complete(ended);
        }
    }

    public void Follow(in ChannelItem<EncodedMessage> item)
    {
        ChannelItem<EncodedMessage> converted;
        try
        {
            converted = Convert(item);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidProtocolBufferException or ArgumentException or OpusException)
        {
            // Never into the RTMS receive loop. The frame is missing from this format only: its subscribers see the
            // sequence jump and get a Gap for it, so nothing is lost without a Gap saying so.
            Interlocked.Increment(ref _failed);
            _metrics?.AudioFrameConversionFailed(_tag);
            return;
        }
        Channel.PublishFollowing(converted);
    }

    public void Complete(SessionEnded ended, bool purge) => Channel.Complete(ended, purge);

    public void Abort(Exception error) => Channel.AbortSubscribers(error);

    /// <summary>No longer followed: frees the codec states and what the channel retained.</summary>
    public void Retire()
    {
        _speakers.Clear();
        Channel.ClearReplay();
    }

    private ChannelItem<EncodedMessage> Convert(ChannelItem<EncodedMessage> item)
    {
        var parts = AudioResponseParts.Read(item.Response.Bytes);
        if (!parts.Format.SequenceEqual(_sourceFormat))
        {
            SourceChanged(parts.Format);
        }
        var converter = _speakers.For(item.UserId, _source, Target);
        var bytes = AudioResponseEncoder.EncodeConverted(parts.Header, _format, converter.Convert(parts.Data), parts.Trailer);
        Interlocked.Increment(ref _converted);
        _metrics?.AudioFrameConverted(_tag);
        return new ChannelItem<EncodedMessage>(item.Sequence, item.UserId, EncodedMessage.FromEncoded(bytes), item.PublishedAt);
    }

    /// <summary>The source's format (first frame, or a renegotiation): the converted format follows it (frame duration,
    /// per speaker, and a rate or channel count left to the source).</summary>
    private void SourceChanged(ReadOnlySpan<byte> encoded)
    {
        var format = AudioFormat.Parser.ParseFrom(encoded);
        _sourceFormat = encoded.ToArray();
        _source = SourceAudio.Of(format);
        var resolved = Target.For(_source.SampleRateHz, _source.Channels);
        _format = new AudioFormat
        {
            Codec = resolved.Codec,
            SampleRateHz = (uint)resolved.SampleRateHz,
            Channels = (uint)resolved.Channels,
            FrameDurationMs = (uint)_source.FrameDurationMs,
            PerSpeaker = format.PerSpeaker,
        }.ToByteArray();
    }
}
