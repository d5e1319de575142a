using System.Buffers.Binary;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Clients.Examples;

/// <summary>A WAV file as a player reads it: its header, checked against the file's size, and its samples.</summary>
internal sealed record WavFile(int SampleRateHz, int Channels, int BitsPerSample, short[] Samples)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / Channels / SampleRateHz);

    /// <summary>Parses a canonical 44-byte-header PCM WAV file; fails the test unless both sizes in the header are final.</summary>
    public static WavFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length >= 44, $"{path}: {bytes.Length} bytes, no WAV header");
        var h = bytes.AsSpan();
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(h[..4]));
        Assert.Equal("WAVEfmt ", System.Text.Encoding.ASCII.GetString(h[8..16]));
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(h[16..]));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(h[20..])); // PCM
        Assert.Equal("data", System.Text.Encoding.ASCII.GetString(h[36..40]));
        // Finalized: the sizes are those of the file, not the placeholders written at the start.
        Assert.Equal((uint)(bytes.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(h[4..]));
        Assert.Equal((uint)(bytes.Length - 44), BinaryPrimitives.ReadUInt32LittleEndian(h[40..]));
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(h[22..]);
        var rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(h[24..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(h[34..]);
        Assert.Equal((uint)(rate * channels * bits / 8), BinaryPrimitives.ReadUInt32LittleEndian(h[28..]));
        return new WavFile(rate, channels, bits, AudioDecoding.L16(h[44..]));
    }
}
