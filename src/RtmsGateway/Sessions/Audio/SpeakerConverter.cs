using System.Runtime.InteropServices;
using Concentus;
using Concentus.Enums;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions.Audio;

/// <summary>
/// Converts the frames of one speaker (or of the mixed stream) from one source format to one target format: decode
/// (L16, G.711 A-law, Opus), mix channels (stereo averaged to mono), resample (<see cref="PolyphaseResampler"/>), duplicate
/// mono to stereo, encode (L16, A-law, µ-law, Opus). Keeps the decoder, resampler and encoder state between frames, so a
/// speaker's audio stays continuous; one frame in gives exactly one frame out, of the same duration. A frame that does not
/// decode (a corrupt Opus packet) becomes the same duration of silence, so the frame is still delivered. Not thread-safe:
/// its conversion calls it under the source channel's lock.
/// </summary>
internal sealed class SpeakerConverter
{
    /// <summary>Encoder complexity (0..10): 5 keeps an Opus frame's encoding near 1 ms of CPU at 48 kHz stereo.</summary>
    private const int OpusComplexity = 5;

    /// <summary>Largest Opus packet (RFC 6716 §3.4: 1275 bytes per frame, three frames of 20 ms at most here).</summary>
    private const int MaxOpusPacket = 3 * 1275 + 7;

    private readonly IOpusDecoder? _decoder;
    private readonly IOpusEncoder? _encoder;
    private readonly PolyphaseResampler? _resampler;
    private readonly int _decodeRate;
    private readonly int _decodeChannels;
    private readonly int _resampleChannels;
    private short[] _decoded = [];
    private short[] _mixed = [];
    private short[] _resampled = [];
    private short[] _output = [];
    private short[] _padded = [];
    private byte[] _encoded = [];

    public SpeakerConverter(SourceAudio source, AudioTarget target)
    {
        Source = source;
        Target = target;
        if (source.Codec == AudioCodec.Opus)
        {
            // Opus decodes at any Opus rate and to either channel count: decode straight to the target when it can.
            _decodeRate = AudioFormatSelection.OpusRates.Contains(target.SampleRateHz) ? target.SampleRateHz : 48000;
            _decodeChannels = target.Channels;
            _decoder = OpusCodecFactory.CreateDecoder(_decodeRate, _decodeChannels);
        }
        else
        {
            _decodeRate = source.SampleRateHz;
            _decodeChannels = source.Channels;
        }
        _resampleChannels = target.Channels == 1 ? 1 : _decodeChannels;
        if (_decodeRate != target.SampleRateHz)
        {
            _resampler = new PolyphaseResampler(_decodeRate, target.SampleRateHz, _resampleChannels);
        }
        if (target.Codec == AudioCodec.Opus)
        {
            _encoder = OpusCodecFactory.CreateEncoder(target.SampleRateHz, target.Channels, OpusApplication.OPUS_APPLICATION_AUDIO);
            _encoder.Bitrate = target.OpusBitrateBps;
            _encoder.Complexity = OpusComplexity;
        }
    }

    public SourceAudio Source { get; }

    /// <summary>The resolved target (rate and channels filled in).</summary>
    public AudioTarget Target { get; }

    /// <summary>Converts one source payload; the result is valid until the next call.</summary>
    public ReadOnlySpan<byte> Convert(ReadOnlySpan<byte> payload)
    {
        var pcm = Decode(payload);
        if (_decodeChannels == 2 && Target.Channels == 1)
        {
            pcm = Downmix(pcm);
        }
        if (_resampler is not null)
        {
            var needed = _resampler.OutputFramesFor(pcm.Length / _resampleChannels) * _resampleChannels;
            var resampled = Buffer(ref _resampled, needed);
            pcm = resampled[..(_resampler.Process(pcm, resampled) * _resampleChannels)];
        }
        if (_resampleChannels == 1 && Target.Channels == 2)
        {
            pcm = Upmix(pcm);
        }
        return Encode(pcm);
    }

    private ReadOnlySpan<short> Decode(ReadOnlySpan<byte> payload)
    {
        switch (Source.Codec)
        {
            case AudioCodec.G711:
                {
                    var pcm = Buffer(ref _decoded, payload.Length);
                    G711.ALawDecode(payload, pcm);
                    return pcm;
                }
            case AudioCodec.Opus:
                {
                    var frame = _decodeRate / 1000 * Source.FrameDurationMs;
                    // 120 ms: the longest packet Opus defines.
                    var pcm = Buffer(ref _decoded, _decodeRate / 1000 * 120 * _decodeChannels);
                    try
                    {
                        var samples = _decoder!.Decode(payload, pcm, pcm.Length / _decodeChannels);
                        return pcm[..(samples * _decodeChannels)];
                    }
                    catch (OpusException)
                    {
                        pcm[..(frame * _decodeChannels)].Clear();
                        return pcm[..(frame * _decodeChannels)];
                    }
                }
            case AudioCodec.L16:
                {
                    // L16: 16-bit little endian, interleaved when stereo (the gateway's hosts are little endian).
                    var whole = payload.Length / (2 * _decodeChannels) * _decodeChannels;
                    var pcm = Buffer(ref _decoded, whole);
                    MemoryMarshal.Cast<byte, short>(payload[..(whole * 2)]).CopyTo(pcm);
                    return pcm;
                }
            default:
                {
                    // A codec the gateway does not decode (G.722) that a renegotiation brought in after the subscription was
                    // accepted: the frame is still delivered, as silence (subscribing with a format to such a session is refused).
                    var pcm = Buffer(ref _decoded, _decodeRate / 1000 * Source.FrameDurationMs * _decodeChannels);
                    pcm.Clear();
                    return pcm;
                }
        }
    }

    private ReadOnlySpan<short> Downmix(ReadOnlySpan<short> stereo)
    {
        var mono = Buffer(ref _mixed, stereo.Length / 2);
        for (var i = 0; i < mono.Length; i++)
        {
            mono[i] = (short)((stereo[2 * i] + stereo[(2 * i) + 1]) >> 1);
        }
        return mono;
    }

    private ReadOnlySpan<short> Upmix(ReadOnlySpan<short> mono)
    {
        var stereo = Buffer(ref _output, mono.Length * 2);
        for (var i = 0; i < mono.Length; i++)
        {
            stereo[2 * i] = stereo[(2 * i) + 1] = mono[i];
        }
        return stereo;
    }

    private ReadOnlySpan<byte> Encode(ReadOnlySpan<short> pcm)
    {
        switch (Target.Codec)
        {
            case AudioCodec.G711:
                {
                    var bytes = Buffer(ref _encoded, pcm.Length);
                    G711.ALawEncode(pcm, bytes);
                    return bytes;
                }
            case AudioCodec.G711Ulaw:
                {
                    var bytes = Buffer(ref _encoded, pcm.Length);
                    G711.MuLawEncode(pcm, bytes);
                    return bytes;
                }
            case AudioCodec.Opus:
                {
                    // One packet of the frame's duration: an exact Opus frame size (a short payload is padded with silence).
                    var frame = Target.SampleRateHz / 1000 * Source.FrameDurationMs;
                    var input = pcm;
                    if (input.Length != frame * Target.Channels)
                    {
                        var exact = Buffer(ref _padded, frame * Target.Channels);
                        exact.Clear();
                        input[..Math.Min(input.Length, exact.Length)].CopyTo(exact);
                        input = exact;
                    }
                    var packet = Buffer(ref _encoded, MaxOpusPacket);
                    var written = _encoder!.Encode(input, frame, packet, packet.Length);
                    return packet[..written];
                }
            default:
                return MemoryMarshal.AsBytes(pcm);
        }
    }

    private static Span<TItem> Buffer<TItem>(ref TItem[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new TItem[length];
        }
        return buffer.AsSpan(0, length);
    }
}
