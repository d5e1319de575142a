using System.Buffers.Binary;

namespace RtmsGateway.Simulator;

/// <summary>Loads a 16-bit PCM WAV (e.g. <c>espeak-ng -w speech.wav "…"</c>) and resamples it to what a client asked for.</summary>
internal static class WavVoice
{
    public static byte[] Load(string path, int sampleRate, int channels)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 44 || !bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{path} is not a WAV file.");
        }
        int sourceRate = 0, sourceChannels = 0, bits = 0;
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = bytes.AsSpan(offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            var body = offset + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                sourceChannels = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body + 2));
                sourceRate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(body + 4));
                bits = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body + 14));
            }
            else if (id.SequenceEqual("data"u8) && bits == 16 && sourceRate > 0)
            {
                var frames = Math.Min(size, bytes.Length - body) / (2 * sourceChannels);
                var outFrames = (int)((long)frames * sampleRate / sourceRate);
                var pcm = new byte[outFrames * channels * 2];
                for (var i = 0; i < outFrames; i++)
                {
                    var src = body + ((int)((long)i * sourceRate / sampleRate) * sourceChannels * 2);
                    var sample = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(src));
                    for (var c = 0; c < channels; c++)
                    {
                        BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(((i * channels) + c) * 2), sample);
                    }
                }
                return pcm.Length > 0 ? pcm : throw new InvalidDataException($"{path} has no audio.");
            }
            offset = body + size + (size & 1);
        }
        throw new InvalidDataException($"{path} is not 16-bit PCM.");
    }
}
