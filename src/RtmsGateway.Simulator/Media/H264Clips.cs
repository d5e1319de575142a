using System.Buffers.Text;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Codecs;

namespace RtmsGateway.Simulator;

/// <summary>
/// Real H.264 video (embedded Annex B clips, one per RTMS resolution, see Resources/README.md) split into access units,
/// each sent as one media message the way Zoom sends H.264: Annex B with 4-byte start codes, SPS and PPS before every
/// IDR. The base64 of every access unit is computed once at startup, so a frame costs a copy.
/// </summary>
internal static class H264Clips
{
    private static readonly Dictionary<MediaResolution, Clip> Clips = Load();

    /// <summary>The clip of <paramref name="resolution"/> (HD when it has none).</summary>
    public static Clip For(MediaResolution? resolution) =>
        Clips.TryGetValue(resolution ?? MediaResolution.Hd, out var clip) ? clip : Clips[MediaResolution.Hd];

    private static Dictionary<MediaResolution, Clip> Load()
    {
        var clips = new Dictionary<MediaResolution, Clip>();
        foreach (var (resolution, name) in new[] { (MediaResolution.Sd, "sd"), (MediaResolution.Hd, "hd"), (MediaResolution.Fhd, "fhd"), (MediaResolution.Qhd, "qhd") })
        {
            using var stream = typeof(H264Clips).Assembly.GetManifestResourceStream($"RtmsGateway.Simulator.video-{name}.h264")
                ?? throw new InvalidOperationException($"No H.264 clip embedded for {resolution}.");
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            clips[resolution] = Clip.From(memory.ToArray());
        }
        return clips;
    }

    /// <summary>Access units in decoding order; the first is an IDR with its SPS and PPS, so the clip loops cleanly.</summary>
    internal sealed class Clip
    {
        private readonly byte[][] _base64;

        private Clip(List<byte[]> accessUnits)
        {
            AccessUnits = accessUnits;
            _base64 = [.. accessUnits.Select(unit =>
            {
                var encoded = new byte[Base64.GetMaxEncodedToUtf8Length(unit.Length)];
                Base64.EncodeToUtf8(unit, encoded, out _, out var written);
                return encoded[..written];
            })];
            MaxBase64Length = _base64.Max(b => b.Length);
            var first = VideoPicture.Inspect(MediaCodec.H264, accessUnits[0]);
            (Width, Height) = first.IsKeyFrame && first.HasSize ? (first.Width, first.Height) : throw new InvalidDataException("The clip does not start with an IDR and its SPS.");
        }

        public IReadOnlyList<byte[]> AccessUnits { get; }

        public int Width { get; }

        public int Height { get; }

        public int MaxBase64Length { get; }

        /// <summary>The base64 of access unit <paramref name="frameNumber"/> (modulo the clip) and its decoded length.</summary>
        public (byte[] Base64, int Length) Frame(long frameNumber)
        {
            var index = (int)(frameNumber % AccessUnits.Count);
            return (_base64[index], AccessUnits[index].Length);
        }

        /// <summary>Splits an Annex B stream into access units (H.264 §7.4.1.2.3): a new unit starts at an SPS, PPS, SEI
        /// or access unit delimiter after a picture, or at a picture's first slice (first_mb_in_slice 0).</summary>
        public static Clip From(byte[] annexB)
        {
            var units = new List<byte[]>();
            var current = new List<byte>();
            var hasPicture = false;
            foreach (var nal in new NalUnits(annexB))
            {
                var type = nal[0] & 0x1F;
                var isSlice = type is 1 or 5;
                var startsPicture = isSlice && nal.Length > 1 && (nal[1] & 0x80) != 0;
                if (hasPicture && (type is 6 or 7 or 8 or 9 || startsPicture))
                {
                    units.Add([.. current]);
                    current.Clear();
                    hasPicture = false;
                }
                current.AddRange((ReadOnlySpan<byte>)[0, 0, 0, 1]);
                current.AddRange(nal);
                hasPicture |= isSlice;
            }
            if (hasPicture)
            {
                units.Add([.. current]);
            }
            return units.Count > 0 ? new Clip(units) : throw new InvalidDataException("The clip holds no picture.");
        }
    }
}
