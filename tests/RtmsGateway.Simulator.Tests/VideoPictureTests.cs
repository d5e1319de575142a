using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Codecs;

namespace RtmsGateway.Simulator.Tests;

/// <summary>What <see cref="VideoPicture"/> reads from real frames: the simulator's H.264 clips (including 1080p, whose
/// SPS codes 1088 lines and crops 8) and JPEG test patterns, and a PNG header.</summary>
public sealed class VideoPictureTests
{
    [Theory]
    [InlineData(MediaResolution.Sd, 640, 360)]
    [InlineData(MediaResolution.Hd, 1280, 720)]
    [InlineData(MediaResolution.Fhd, 1920, 1080)]
    [InlineData(MediaResolution.Qhd, 2560, 1440)]
    public void Each_clip_is_25_access_units_starting_with_an_idr_whose_sps_gives_the_resolution(MediaResolution resolution, int width, int height)
    {
        var clip = H264Clips.For(resolution);
        var pictures = clip.AccessUnits.Select(u => VideoPicture.Inspect(MediaCodec.H264, u)).ToList();

        Assert.Equal(25, pictures.Count);
        Assert.Equal(new VideoPicture(width, height, true), pictures[0]);
        // Every IDR carries its SPS (x264 may place a second one at a scene cut); P frames carry neither.
        Assert.All(pictures, p => Assert.Equal(p.IsKeyFrame ? new VideoPicture(width, height, true) : new VideoPicture(0, 0, false), p));
        Assert.InRange(pictures.Count(p => !p.IsKeyFrame), 20, 24);
    }

    [Fact]
    public void A_jpeg_frame_says_its_size_and_a_png_header_its_size()
    {
        var builder = new FrameBuilder(JpegFrames.MaxBase64Length);
        var length = JpegFrames.WriteBase64(ref builder, 3, null);
        var frame = builder.Build(isMedia: true);
        var jpeg = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(frame.Buffer, 0, frame.Length));
        Assert.Equal(length, jpeg.Length);
        Assert.Equal(new VideoPicture(320, 180, true), VideoPicture.Inspect(MediaCodec.Jpg, jpeg));

        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0x07, 0x80, 0, 0, 0x04, 0x38, 8, 2, 0, 0, 0];
        Assert.Equal(new VideoPicture(1920, 1080, true), VideoPicture.Inspect(MediaCodec.Png, png));
        Assert.Equal(new VideoPicture(1920, 1080, true), VideoPicture.Inspect(MediaCodec.Undefined, png));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0, 0, 0, 1 })]
    [InlineData(new byte[] { 0, 0, 1, 0x67, 0x42 })]
    [InlineData(new byte[] { 0, 0, 1, 0x67, 0x42, 0xC0, 0x1F, 0x00, 0x00, 0x03, 0x00 })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xC0, 0x00 })]
    public void Truncated_or_garbled_frames_report_no_size_and_never_throw(byte[] data)
    {
        foreach (var codec in new[] { MediaCodec.H264, MediaCodec.Jpg, MediaCodec.Png, MediaCodec.Undefined })
        {
            Assert.False(VideoPicture.Inspect(codec, data).HasSize);
        }
    }

    /// <summary>What the <c>video</c> fuzz target found (scripts/fuzz.sh video): a JPEG SOF with a zero dimension and a
    /// PNG with an implausible height were reported as half-known sizes; now both are unknown.</summary>
    [Theory]
    [InlineData("01ffd8ffe000104a46494600010100000100010000ffdb0043000d090a0b0a080d0b0a0b0e0e0d0f13201513121213271c1dfc202e2931302e292d2c331a4a3e333646372c2d40574146424e525352323e5a615a50606051524fffdb0043010e0e0e131177261515264f352d354f4f4f4f594f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4fffc0002d08000000ffdb0043000d090a0b0a080d0b0ab40140")]
    [InlineData("01ffd8ffe000104a46494600010100000100010000ffdb0043000d090a0b0a080d0b0a0b0e0e0d0f13201513121213271c1e17202e2931302e292d2c333a4a3e333646372c2d405741466f4e525352323e5a615a50604a51524fffdb0043010e0e0e131113261515264f352d354f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4fffc000110800010000")]
    [InlineData("01ffd8ffc500104a46010000010200000700010000ffff0043200d090af609080d0b0a0b300e0d0f13201513121213271c1e17202e2931302e292d2c333adb0043010e0df013f813261515264f35374f4f4f4f4f4f4f444f4f4f4f4f4f4f4f4f4f414f4f4f4f4f4f4f4f4f4f4f4f4f4fffc000110800b40140")]
    [InlineData("0289504e470d8a1a0a0000000d4948445200000500000d0a1a00")]
    public void Fuzz_findings_report_a_whole_size_or_none(string hex)
    {
        var input = Convert.FromHexString(hex);
        var codec = new[] { MediaCodec.H264, MediaCodec.Jpg, MediaCodec.Png, MediaCodec.Undefined }[input[0] % 4];
        var picture = VideoPicture.Inspect(codec, input.AsSpan(1));
        Assert.Equal(picture.HasSize, picture.Width > 0 || picture.Height > 0);
        Assert.InRange(picture.Width, 0, VideoPicture.MaxDimension);
        Assert.InRange(picture.Height, 0, VideoPicture.MaxDimension);
    }
}
