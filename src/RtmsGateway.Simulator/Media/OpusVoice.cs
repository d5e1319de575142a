using System.Runtime.InteropServices;
using Concentus;
using Concentus.Enums;

namespace RtmsGateway.Simulator;

/// <summary>
/// Encodes a voice loop as Opus the way Zoom's SDK receives it by default: 48 kHz, one packet per 20 ms frame (960
/// samples per channel), mono or stereo. Constant bit rate (64 kbit/s: 160 bytes a packet), so every packet has the
/// same size and the loop's cost is known up front.
/// </summary>
internal static class OpusVoice
{
    public const int BitRate = 64_000;

    public static byte[][] Encode(byte[] pcm16, int sampleRate, int channels)
    {
        var encoder = OpusCodecFactory.CreateEncoder(sampleRate, channels, OpusApplication.OPUS_APPLICATION_AUDIO);
        encoder.Bitrate = BitRate;
        encoder.UseVBR = false;
        var samples = MemoryMarshal.Cast<byte, short>(pcm16.AsSpan(0, pcm16.Length & ~1));
        var frame = sampleRate / 1000 * VoiceLoop.UnitMs;
        var perFrame = frame * channels;
        var packets = new byte[samples.Length / perFrame][];
        Span<byte> packet = stackalloc byte[1275];
        // Twice, keeping the second pass: the encoder's state at the loop's start is then the one its end leaves.
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < packets.Length; i++)
            {
                var written = encoder.Encode(samples.Slice(i * perFrame, perFrame), frame, packet, packet.Length);
                packets[i] = packet[..written].ToArray();
            }
        }
        return packets;
    }
}
