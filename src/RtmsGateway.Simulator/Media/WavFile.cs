using System.Buffers.Binary;

namespace RtmsGateway.Simulator;

/// <summary>
/// Loads a 16-bit PCM WAV file (e.g. <c>espeak-ng -w speech.wav "…"</c>: 22.05 kHz mono) and converts it to the sample
/// rate and channel count a client negotiated (channels averaged, then linear-interpolation resampling).
/// </summary>
internal static class WavFile
{
    public static byte[] Load(string path, int sampleRate, int channels)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || !bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{path} is not a WAV file.");
        }
        int sourceRate = 0, sourceChannels = 0, bits = 0, format = 0;
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = bytes.AsSpan(offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            var body = offset + 8;
            if (size < 0 || body > bytes.Length)
            {
                break;
            }
            if (id.SequenceEqual("fmt "u8) && size >= 16)
            {
                format = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body));
                sourceChannels = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body + 2));
                sourceRate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(body + 4));
                bits = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body + 14));
            }
            else if (id.SequenceEqual("data"u8))
            {
                // espeak-ng writing to a pipe leaves the data size at 0x7FFFFFFF: take what is there.
                var length = Math.Min(size, bytes.Length - body);
                if (format is not (1 or -2) || bits != 16 || sourceRate <= 0 || sourceChannels <= 0)
                {
                    throw new InvalidDataException($"{path} is not 16-bit PCM (format {format}, {bits} bits).");
                }
                return Convert(bytes.AsSpan(body, length), sourceRate, sourceChannels, sampleRate, channels);
            }
            offset = body + size + (size & 1);
        }
        throw new InvalidDataException($"{path} has no fmt/data chunks.");
    }

    private static byte[] Convert(ReadOnlySpan<byte> data, int sourceRate, int sourceChannels, int sampleRate, int channels)
    {
        var frames = data.Length / (2 * sourceChannels);
        var mono = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            var sum = 0;
            for (var c = 0; c < sourceChannels; c++)
            {
                sum += BinaryPrimitives.ReadInt16LittleEndian(data[(((i * sourceChannels) + c) * 2)..]);
            }
            mono[i] = (float)sum / sourceChannels;
        }
        var outFrames = (int)((long)frames * sampleRate / sourceRate);
        var pcm = new byte[outFrames * channels * 2];
        for (var i = 0; i < outFrames; i++)
        {
            var position = (double)i * sourceRate / sampleRate;
            var index = (int)position;
            var next = Math.Min(index + 1, frames - 1);
            var fraction = position - index;
            var sample = (short)Math.Clamp(Math.Round((mono[index] * (1 - fraction)) + (mono[next] * fraction)), short.MinValue, short.MaxValue);
            for (var c = 0; c < channels; c++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(((i * channels) + c) * 2), sample);
            }
        }
        return pcm.Length > 0 ? pcm : throw new InvalidDataException("The WAV file has no audio.");
    }
}
