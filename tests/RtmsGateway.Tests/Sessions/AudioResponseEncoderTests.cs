using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions.Wire;

namespace RtmsGateway.Tests.Sessions;

/// <summary>The direct audio encoder writes exactly the bytes Google.Protobuf writes for the same message tree, for every
/// shape of frame (defaults omitted, negative and large numbers, non-ASCII names, empty payloads), and they parse back.</summary>
public sealed class AudioResponseEncoderTests
{
    public static TheoryData<ulong, long, string, string?, int, int, string?, int> Frames => new()
    {
        { 1, 1_700_000_000_123, "16778240", "Ada Lovelace", 640, 0, null, 0 },
        { 0, 0, "0", null, 0, 0, null, 1 },
        { ulong.MaxValue, -5, "abc", "Zoë 週次 😀", 3840, -7, "123abc", 2 },
        { 300, long.MaxValue, string.Empty, string.Empty, 1, int.MaxValue, string.Empty, 3 },
        { 129, long.MinValue, "9223372036854775807", "x", 200_000, int.MinValue, "ch", 4 },
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void The_bytes_are_google_protobufs_bytes(ulong sequence, long zoomTimestamp, string userId, string? userName, int dataLength, int channelId, string? channel, int formatCase)
    {
        var data = new byte[dataLength];
        new Random(dataLength).NextBytes(data);
        var receivedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000).AddTicks(formatCase * 1234567);
        var format = formatCase switch
        {
            0 => new AudioFormat { Codec = AudioCodec.L16, SampleRateHz = 16000, Channels = 1, FrameDurationMs = 20 },
            1 => new AudioFormat(),
            2 => new AudioFormat { Codec = AudioCodec.Opus, SampleRateHz = 48000, Channels = 2, FrameDurationMs = 20, PerSpeaker = true },
            _ => new AudioFormat { Codec = AudioCodec.G722, SampleRateHz = 16000, Channels = 1, FrameDurationMs = 1000 },
        };
        var tree = new SubscribeAudioResponse
        {
            Frame = new AudioFrame
            {
                Header = new MessageHeader
                {
                    Sequence = sequence,
                    ZoomTimestampMs = zoomTimestamp,
                    ReceivedAt = Timestamp.FromDateTimeOffset(receivedAt),
                    UserId = userId,
                    UserName = userName ?? string.Empty,
                },
                Format = format,
                Data = ByteString.CopyFrom(data),
                ChannelId = channelId,
                Channel = channel ?? string.Empty,
            },
        };

        var direct = AudioResponseEncoder.Encode(new(sequence, zoomTimestamp, receivedAt, userId, userName), format.ToByteArray(), data, channelId, channel);

        Assert.Equal(tree.ToByteArray(), direct);
        Assert.Equal(tree, SubscribeAudioResponse.Parser.ParseFrom(direct));
    }
}
