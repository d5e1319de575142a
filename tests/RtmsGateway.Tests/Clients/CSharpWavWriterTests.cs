extern alias client;
using RtmsGateway.Tests.Clients.Examples;
using ClientApi = client::RtmsGateway.Api.V1;
using WavWriter = client::RtmsGateway.Client.WavWriter;

namespace RtmsGateway.Tests.Clients;

/// <summary>The C# client's WavWriter: frames appended, every gap as the silence of its missed frames, a final header.</summary>
public sealed class CSharpWavWriterTests
{
    private static ClientApi.AudioFrame Frame(ulong sequence, params short[] samples) => new()
    {
        Header = new ClientApi.MessageHeader { Sequence = sequence },
        Format = new ClientApi.AudioFormat { Codec = ClientApi.AudioCodec.L16, SampleRateHz = 16000, Channels = 1, FrameDurationMs = 20 },
        Data = Google.Protobuf.ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.AsSpan())),
    };

    [Fact]
    public void A_gap_becomes_the_silence_of_the_missed_frames_between_the_frames_and_the_header_is_final()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var wav = WavWriter.Create(path))
            {
                // A gap before any frame (a resume whose start aged out) waits for a frame to give the frames' duration.
                wav.WriteGap(new ClientApi.Gap { FirstMissingSequence = 1, LastMissingSequence = 1, MissedCount = 1 });
                wav.WriteFrame(Frame(2, 1000, -1000));
                wav.WriteGap(new ClientApi.Gap { FirstMissingSequence = 3, LastMissingSequence = 5, MissedCount = 3 });
                wav.WriteGap(new ClientApi.Gap { Reason = ClientApi.Gap.Types.Reason.OwnerChanged }); // count unknown: nothing
                wav.WriteFrame(Frame(6, 7));
                Assert.Equal(ClientApi.AudioCodec.L16, wav.Format.Codec);
            }
            var file = WavFile.Read(path);
            Assert.Equal((16000, 1, 16), (file.SampleRateHz, file.Channels, file.BitsPerSample));
            const int framesOfSilence = 320; // samples in 20 ms at 16 kHz
            Assert.Equal((4 * framesOfSilence) + 3, file.Samples.Length);
            Assert.All(file.Samples[..framesOfSilence], s => Assert.Equal(0, s));
            Assert.Equal([1000, -1000], file.Samples[framesOfSilence..(framesOfSilence + 2)]);
            Assert.All(file.Samples[(framesOfSilence + 2)..^1], s => Assert.Equal(0, s));
            Assert.Equal(7, file.Samples[^1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_frame_in_another_format_is_refused()
    {
        using var stream = new MemoryStream();
        using var wav = new WavWriter(stream, 16000, 1);
        var opus = Frame(1, 1);
        opus.Format.Codec = ClientApi.AudioCodec.Opus;
        Assert.Throws<InvalidDataException>(() => wav.WriteFrame(opus));
    }
}
