using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Tests;

/// <summary>The simulator's building blocks that are easiest to pin down in isolation.</summary>
public sealed class UnitTests
{
    [Fact]
    public void The_audio_backlog_drains_whole_packets_keeps_gaps_and_trims_the_oldest()
    {
        var backlog = new AudioBacklog();
        backlog.Add(0, 5);
        backlog.Add(5, 2); // contiguous: one run of 7
        Assert.True(backlog.TryTake(3, out var start, out var count));
        Assert.Equal((0L, 3), (start, count));
        Assert.True(backlog.TryTake(3, out start, out count));
        Assert.Equal((3L, 3), (start, count));
        Assert.False(backlog.TryTake(3, out _, out _)); // 1 unit left in the newest run: wait for more
        backlog.Add(10, 4); // after a gap (a pause): the old run's remainder may go out short
        Assert.True(backlog.TryTake(3, out start, out count));
        Assert.Equal((6L, 1), (start, count));
        Assert.Equal(4, backlog.Units);
        Assert.Equal(2, backlog.TrimTo(2));
        Assert.True(backlog.TryTake(2, out start, out count));
        Assert.Equal((12L, 2), (start, count));
        Assert.Equal(0, backlog.Units);
    }

    [Theory]
    [InlineData((short)0, (byte)0xD5)]
    [InlineData((short)-1, (byte)0x55)]
    [InlineData(short.MaxValue, (byte)0xAA)]
    [InlineData(short.MinValue, (byte)0x2A)]
    [InlineData((short)1000, (byte)0xFA)]
    public void G711_a_law_matches_the_reference_values(short sample, byte expected)
    {
        Assert.Equal(expected, G711.EncodeALaw(sample));
        Assert.InRange(Math.Abs(G711.DecodeALaw(expected) - sample), 0, Math.Max(16, Math.Abs((int)sample) / 16));
    }

    [Fact]
    public void Send_stamps_round_trip_in_audio_and_are_absent_elsewhere()
    {
        var payload = new byte[640];
        var at = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero).AddTicks(12_340);
        SendStamp.Write(payload, at);
        Assert.True(SendStamp.TryRead(payload, out var read));
        Assert.Equal(at.AddTicks(-(at.Ticks % 10)), read);
        Assert.False(SendStamp.TryRead(new byte[640], out _));
        Assert.False(SendStamp.TryRead([0xFF, 0xD8, 0xFF, 0xD9], out _));
        Assert.False(SendStamp.TryRead("RTMSTS01"u8, out _));
    }

    [Fact]
    public void Media_frames_are_what_the_protocol_library_reads()
    {
        var slice = VoiceLibrary.Tone(440, 16_000, 1, MediaCodec.L16).Slice(3, 2);
        var stamp = DateTimeOffset.UtcNow;
        var frame = MediaFrames.Audio(42, "\"Ada \\\"the first\\\"\""u8.ToArray(), slice, 1_700_000_000_123, stamp);
        try
        {
            using var audio = (MediaDataMessage)RtmsMessageReader.Default.Read(frame.Memory.Span);
            Assert.Equal((MessageType.MediaDataAudio, 42L, "Ada \"the first\"", 1_700_000_000_123L, 1280, 1280), (audio.MsgType, audio.UserId.Number, audio.UserName, audio.Timestamp, audio.DeclaredLength!.Value, audio.Payload.Length));
            Assert.True(SendStamp.TryRead(audio.Payload.Span, out var sent));
            Assert.InRange(sent, stamp.AddMilliseconds(-1), stamp.AddMilliseconds(1));
        }
        finally
        {
            frame.Release();
        }
        var image = MediaFrames.Image(MessageType.MediaDataShare, 7, "\"Grace\""u8.ToArray(), 12345, 99, stamp);
        try
        {
            using var share = (MediaDataMessage)RtmsMessageReader.Default.Read(image.Memory.Span);
            var jpeg = share.Payload.Span;
            Assert.Equal((7L, "Grace", share.Payload.Length), (share.UserId.Number, share.UserName, share.DeclaredLength!.Value));
            Assert.True(jpeg[..2].SequenceEqual(new byte[] { 0xFF, 0xD8 }) && jpeg[^2..].SequenceEqual(new byte[] { 0xFF, 0xD9 }));
            Assert.True(SendStamp.TryRead(jpeg, out _));
        }
        finally
        {
            image.Release();
        }
    }
}
