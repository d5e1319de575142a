using RtmsGateway.Configuration;
using RtmsGateway.Protocol;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Configuration;

/// <summary>An audio codec with parameters Zoom refuses is named at startup in the options' own terms, and the process
/// exits with an error message instead of aborting with a stack trace (exit 134 before).</summary>
public sealed class AudioCodecOptionsTests
{
    [Theory]
    [InlineData(MediaCodec.G711, 16000, 1, "Rtms:AudioCodec G711 needs Rtms:AudioSampleRateHz 8000")]
    [InlineData(MediaCodec.G722, 16000, 2, "Rtms:AudioCodec G722 needs Rtms:AudioSampleRateHz 16000, Rtms:AudioChannels 1")]
    [InlineData(MediaCodec.Opus, 16000, 2, "Rtms:AudioCodec Opus needs Rtms:AudioSampleRateHz 48000")]
    [InlineData(MediaCodec.H264, 16000, 1, "Rtms:AudioCodec must be L16, G711, G722 or Opus")]
    public void A_codec_with_parameters_zoom_refuses_is_named_with_what_it_needs(MediaCodec codec, int rate, int channels, string expected)
    {
        var result = new RtmsClientOptionsValidator().Validate(null, new RtmsClientOptions { AudioCodec = codec, AudioSampleRateHz = rate, AudioChannels = channels });
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MediaCodec.G711, 8000, 1)]
    [InlineData(MediaCodec.G722, 16000, 1)]
    [InlineData(MediaCodec.Opus, 48000, 2)]
    [InlineData(MediaCodec.L16, 32000, 2)]
    public void Valid_combinations_pass(MediaCodec codec, int rate, int channels) =>
        Assert.True(new RtmsClientOptionsValidator().Validate(null, new RtmsClientOptions { AudioCodec = codec, AudioSampleRateHz = rate, AudioChannels = channels }).Succeeded);

    [Fact]
    public async Task The_process_exits_with_the_failures_and_no_stack_trace()
    {
        var run = await ExternalProcess.RunAsync("dotnet",
            [RepositoryPaths.GatewayDll, "--Rtms:AudioCodec=G711", "--Rtms:AudioSampleRateHz=16000", "--Kestrel:Endpoints:Http:Url=http://127.0.0.1:0", "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0"],
            TimeSpan.FromMinutes(1));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Rtms:AudioCodec G711 needs Rtms:AudioSampleRateHz 8000", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }
}
