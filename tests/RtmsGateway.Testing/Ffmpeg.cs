using System.Globalization;

namespace RtmsGateway.Testing;

/// <summary>Debian's ffmpeg/ffprobe (installed by scripts/ensure-test-tools.sh), to decode what a subscriber received.</summary>
public static class Ffmpeg
{
    /// <summary>What ffprobe decoded from a raw stream: the picture size and the number of frames it could decode.</summary>
    public sealed record Probe(int Width, int Height, int DecodedFrames, string Codec);

    /// <summary>Decodes every frame of <paramref name="path"/> (forced format <paramref name="format"/>, e.g. <c>h264</c>)
    /// and reports its first video stream.</summary>
    public static async Task<Probe> ProbeAsync(string path, string format)
    {
        var result = await ExternalProcess.RunAsync("ffprobe",
            ["-v", "error", "-f", format, "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", path],
            TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0 || result.Error.Length > 0)
        {
            throw new InvalidOperationException($"ffprobe could not decode {path}: {result}");
        }
        var fields = result.Output.Trim().Split(',');
        return new Probe(int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture), fields[0]);
    }

    /// <summary>Decodes <paramref name="path"/> fully with ffmpeg; returns ffmpeg's error output (empty when every frame
    /// decoded cleanly).</summary>
    public static async Task<string> DecodeErrorsAsync(string path, string format)
    {
        var result = await ExternalProcess.RunAsync("ffmpeg", ["-v", "error", "-f", format, "-i", path, "-f", "null", "-"], TimeSpan.FromMinutes(1));
        return result.ExitCode == 0 ? result.Error.Trim() : result.ToString();
    }

    /// <summary>Decodes raw audio <paramref name="path"/> (forced format <paramref name="format"/>, e.g. <c>g722</c>) to
    /// 16-bit PCM at <paramref name="sampleRate"/> with <paramref name="channels"/> channels, interleaved.</summary>
    public static async Task<short[]> DecodeAudioAsync(string path, string format, int sampleRate, int channels)
    {
        var output = path + ".s16le";
        try
        {
            var rate = sampleRate.ToString(CultureInfo.InvariantCulture);
            var result = await ExternalProcess.RunAsync("ffmpeg",
                ["-v", "error", "-y", "-f", format, "-i", path, "-f", "s16le", "-acodec", "pcm_s16le", "-ar", rate, "-ac", channels.ToString(CultureInfo.InvariantCulture), output],
                TimeSpan.FromMinutes(1));
            if (result.ExitCode != 0 || result.Error.Length > 0)
            {
                throw new InvalidOperationException($"ffmpeg could not decode {path}: {result}");
            }
            return AudioDecoding.L16(await File.ReadAllBytesAsync(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary><see cref="ProbeAsync(string, string)"/> on bytes (e.g. the frames a subscriber received, concatenated).</summary>
    public static Task<Probe> ProbeAsync(byte[] data, string format) => WithFileAsync(data, format, path => ProbeAsync(path, format));

    /// <summary><see cref="DecodeErrorsAsync(string, string)"/> on bytes.</summary>
    public static Task<string> DecodeErrorsAsync(byte[] data, string format) => WithFileAsync(data, format, path => DecodeErrorsAsync(path, format));

    /// <summary><see cref="DecodeAudioAsync(string, string, int, int)"/> on bytes.</summary>
    public static Task<short[]> DecodeAudioAsync(byte[] data, string format, int sampleRate, int channels) =>
        WithFileAsync(data, format, path => DecodeAudioAsync(path, format, sampleRate, channels));

    private static async Task<T> WithFileAsync<T>(byte[] data, string format, Func<string, Task<T>> use)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rtms-{format}-{Guid.NewGuid():N}.{format}");
        try
        {
            await File.WriteAllBytesAsync(path, data);
            return await use(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
