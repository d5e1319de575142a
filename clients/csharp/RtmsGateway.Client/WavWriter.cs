using System.Buffers.Binary;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Client;

/// <summary>
/// Records an audio subscription as a 16-bit PCM WAV file whose timing stays true: each frame's samples are appended,
/// and each gap is written as silence of the missed frames' duration (<c>missed_count</c> × the frames'
/// <c>frame_duration_ms</c>; a gap that does not say how many were missed adds nothing). Subscribe with
/// <see cref="Format"/> so the gateway sends what the file holds. The RIFF header gets its final sizes on
/// <see cref="Dispose"/>, so dispose it on every way out (a <c>using</c>, and cancel the loop on Ctrl+C/SIGTERM).
/// </summary>
/// <example>
/// <code>
/// await using var wav = WavWriter.Create("meeting.wav");
/// await foreach (var item in gateway.SubscribeAudio(target, wav.Format, ct))
///     wav.Write(item);
/// </code>
/// </example>
public sealed class WavWriter : IDisposable, IAsyncDisposable
{
    private const int HeaderBytes = 44;
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private uint _frameDurationMs;
    private ulong _pendingMissedFrames;
    private bool _disposed;

    /// <summary>Writes to <paramref name="stream"/> (seekable, positioned at the file's start).</summary>
    public WavWriter(Stream stream, int sampleRateHz = 16000, int channels = 1, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRateHz);
        if (channels is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "1 (mono) or 2 (stereo)");
        }
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The WAV header is patched at the end: the stream must be seekable.", nameof(stream));
        }
        _stream = stream;
        _ownsStream = !leaveOpen;
        SampleRateHz = sampleRateHz;
        Channels = channels;
        _stream.Write(Header(0));
    }

    /// <summary>Creates (or replaces) the file at <paramref name="path"/>.</summary>
    public static WavWriter Create(string path, int sampleRateHz = 16000, int channels = 1) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), sampleRateHz, channels);

    public int SampleRateHz { get; }

    public int Channels { get; }

    /// <summary>The format to subscribe with: L16 at this file's rate and channel count.</summary>
    public AudioFormatRequest Format => new() { Codec = AudioCodec.L16, SampleRateHz = (uint)SampleRateHz, Channels = (uint)Channels };

    /// <summary>Bytes of samples written so far (frames and silence).</summary>
    public long DataBytes { get; private set; }

    /// <summary>How much audio the file holds so far.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)DataBytes / BytesPerSecond);

    private int BytesPerSecond => SampleRateHz * Channels * 2;

    /// <summary>Appends a frame's samples, or a gap's silence; the end of the session adds nothing.</summary>
    public void Write(StreamItem<AudioFrame> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        switch (item.Kind)
        {
            case StreamItemKind.Message:
                WriteFrame(item.Message!);
                break;
            case StreamItemKind.Gap:
                WriteGap(item.Gap!);
                break;
        }
    }

    /// <summary>Appends one frame, which must be L16 at this file's rate and channel count.</summary>
    public void WriteFrame(AudioFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var format = frame.Format;
        if (format is null || format.Codec != AudioCodec.L16 || format.SampleRateHz != SampleRateHz || format.Channels != Channels)
        {
            throw new InvalidDataException($"Frame {frame.Header?.Sequence} is {format?.Codec} {format?.SampleRateHz} Hz {format?.Channels} ch, not L16 {SampleRateHz} Hz {Channels} ch: subscribe with WavWriter.Format.");
        }
        if (format.FrameDurationMs > 0)
        {
            _frameDurationMs = format.FrameDurationMs;
            WriteSilence(TimeSpan.FromMilliseconds((double)_pendingMissedFrames * _frameDurationMs));
            _pendingMissedFrames = 0;
        }
        _stream.Write(frame.Data.Span);
        DataBytes += frame.Data.Length;
    }

    /// <summary>Appends the silence of the frames a gap says were missed (held back until a frame gives their duration).</summary>
    public void WriteGap(Gap gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        if (_frameDurationMs == 0)
        {
            _pendingMissedFrames += gap.MissedCount;
            return;
        }
        WriteSilence(TimeSpan.FromMilliseconds((double)gap.MissedCount * _frameDurationMs));
    }

    /// <summary>Appends <paramref name="duration"/> of silence.</summary>
    public void WriteSilence(TimeSpan duration)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var bytes = (long)Math.Round(duration.TotalSeconds * SampleRateHz) * Channels * 2;
        Span<byte> zeros = stackalloc byte[4096];
        zeros.Clear();
        for (var left = bytes; left > 0; left -= zeros.Length)
        {
            _stream.Write(zeros[..(int)Math.Min(left, zeros.Length)]);
        }
        DataBytes += bytes;
    }

    /// <summary>Patches the header with the final sizes and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stream.Position = 0;
        _stream.Write(Header(DataBytes));
        _stream.Flush();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private byte[] Header(long dataBytes)
    {
        var size = (uint)Math.Min(dataBytes, uint.MaxValue - 36);
        var header = new byte[HeaderBytes];
        var h = header.AsSpan();
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], 36 + size);
        "WAVEfmt "u8.CopyTo(h[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 16); // PCM format chunk
        BinaryPrimitives.WriteUInt16LittleEndian(h[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(h[22..], (ushort)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], (uint)SampleRateHz);
        BinaryPrimitives.WriteUInt32LittleEndian(h[28..], (uint)BytesPerSecond);
        BinaryPrimitives.WriteUInt16LittleEndian(h[32..], (ushort)(Channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(h[34..], 16);
        "data"u8.CopyTo(h[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[40..], size);
        return header;
    }
}
