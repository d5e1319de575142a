using System.Reflection;
using System.Text;

namespace RtmsGateway.Protocol.Tests;

/// <summary>A receive loop that reads with <see cref="ReusableMediaMessages"/> gets one message object per media type,
/// refilled each frame: every frame reads exactly as it would into a new message (nothing left over from the previous
/// one), and rented payload bytes are never shared between two frames or left in a payload that is refilled.</summary>
public sealed class ReusableMediaMessagesTests
{
    private static byte[] Frame(string json) => Encoding.UTF8.GetBytes(json);

    private static MediaDataMessage Read(RtmsMessageReader reader, ReusableMediaMessages reuse, string json) =>
        Assert.IsType<MediaDataMessage>(reader.Read(Frame(json), reuse));

    [Fact]
    public void Frames_of_one_type_are_read_into_one_message_and_nothing_carries_over()
    {
        var reader = new RtmsMessageReader();
        var reuse = new ReusableMediaMessages();
        var first = Read(reader, reuse, """{"msg_type":14,"content":{"user_id":7,"user_name":"Ada","data":"AQID","timestamp":5,"length":3,"channel_id":"c1","unknown":{"x":1}}}""");
        Assert.Equal(("Ada", 3, "c1"), (first.UserName, first.DeclaredLength, first.Channel));
        Assert.Equal([1, 2, 3], first.Payload.Span.ToArray());
        first.Dispose();

        var second = Read(reader, reuse, """{"msg_type":14,"content":{"user_id":8,"data":"BAU=","timestamp":6}}""");
        Assert.Same(first, second);
        var fresh = Assert.IsType<MediaDataMessage>(reader.Read(Frame("""{"msg_type":14,"content":{"user_id":8,"data":"BAU=","timestamp":6}}""")));
        Assert.Equal(Describe(fresh), Describe(second));
        Assert.Equal([4, 5], second.Payload.Span.ToArray());
        second.Dispose();
        fresh.Dispose();
    }

    [Fact]
    public void Each_media_type_has_its_own_message()
    {
        var reader = new RtmsMessageReader();
        var reuse = new ReusableMediaMessages();
        using var audio = Read(reader, reuse, """{"msg_type":14,"content":{"user_id":1,"data":"AQID","timestamp":5}}""");
        using var video = Read(reader, reuse, """{"msg_type":15,"content":{"user_id":1,"data":"AQID","timestamp":5}}""");
        using var transcript = Read(reader, reuse, """{"msg_type":17,"content":{"user_id":1,"data":"hello","timestamp":5}}""");
        Assert.Equal((MessageType.MediaDataAudio, MessageType.MediaDataVideo, MessageType.MediaDataTranscript), (audio.MsgType, video.MsgType, transcript.MsgType));
        Assert.NotSame(audio, video);
        Assert.Equal([1, 2, 3], audio.Payload.Span.ToArray());
        Assert.Equal("hello", transcript.Text);
    }

    [Fact]
    public void A_reset_message_equals_a_new_one_in_every_property()
    {
        var reader = new RtmsMessageReader();
        var reuse = new ReusableMediaMessages();
        // Every field set, then a frame with none of them.
        using (Read(reader, reuse, """{"msg_type":18,"content":{"user_id":"abc","user_name":"A","data":{"text":"hi","sender":{"user_id":1}},"timestamp":5,"length":2,"channel_id":3,"start_time":1,"end_time":2,"language":9,"attribute":1,"weird":1}}"""))
        {
        }
        using (var emptied = Read(reader, reuse, """{"msg_type":18,"content":{}}"""))
        {
            using var fresh = Assert.IsType<MediaDataMessage>(reader.Read(Frame("""{"msg_type":18,"content":{}}""")));
            Assert.Equal(Describe(fresh), Describe(emptied));
        }
        using var bare = Read(reader, reuse, """{"msg_type":18}""");
        Assert.Equal(Describe(new MediaDataMessage(MessageType.MediaDataChat)), Describe(bare));
    }

    [Fact]
    public void A_message_not_disposed_gives_its_bytes_back_on_the_next_read_and_a_refilled_payload_holds_only_the_new_bytes()
    {
        var reader = new RtmsMessageReader();
        var reuse = new ReusableMediaMessages();
        var first = Read(reader, reuse, """{"msg_type":14,"content":{"user_id":1,"data":"AQID","timestamp":5}}""");
        var payload = first.Payload;
        // Not disposed: the next read of the type resets it (returning its bytes) before refilling.
        var second = Read(reader, reuse, """{"msg_type":14,"content":{"user_id":1,"data":"CQoLDA==","timestamp":6}}""");
        Assert.Same(payload, second.Payload);
        Assert.Equal([9, 10, 11, 12], second.Payload.Span.ToArray());
        second.Dispose();
        Assert.Throws<ObjectDisposedException>(() => second.Payload.Span.ToArray());
    }

    [Fact]
    public void Frames_without_data_leave_the_shared_empty_payload_empty()
    {
        var reader = new RtmsMessageReader();
        var reuse = new ReusableMediaMessages();
        using (var empty = Read(reader, reuse, """{"msg_type":14,"content":{"user_id":1,"timestamp":5}}"""))
        {
            Assert.Same(MediaPayload.Empty, empty.Payload);
        }
        using (var full = Read(reader, reuse, """{"msg_type":14,"content":{"user_id":1,"data":"AQID","timestamp":5}}"""))
        {
            Assert.NotSame(MediaPayload.Empty, full.Payload);
        }
        Assert.Equal(0, MediaPayload.Empty.Length);
        Assert.True(MediaPayload.Empty.Span.IsEmpty);
    }

    [Fact]
    public void Data_given_twice_in_one_frame_keeps_the_last_as_a_new_message_would()
    {
        var reader = new RtmsMessageReader();
        var reuse = new ReusableMediaMessages();
        const string twice = """{"msg_type":14,"content":{"user_id":1,"data":"AQID","timestamp":5,"data":"BAU="}}""";
        using var reused = Read(reader, reuse, twice);
        using var fresh = Assert.IsType<MediaDataMessage>(reader.Read(Frame(twice)));
        Assert.Equal(fresh.Payload.Span.ToArray(), reused.Payload.Span.ToArray());
    }

    [Fact]
    public void A_malformed_frame_does_not_spoil_the_next_one()
    {
        var reader = new RtmsMessageReader();
        var reuse = new ReusableMediaMessages();
        Assert.Throws<RtmsProtocolException>(() => reader.Read(Frame("""{"msg_type":14,"content":{"user_id":1,"user_name":"A","data":"!!!!","timestamp":5}}"""), reuse));
        using var next = Read(reader, reuse, """{"msg_type":14,"content":{"user_id":2,"data":"AQID","timestamp":6}}""");
        Assert.Equal((2L, (string?)null, 6L), (next.UserId.Number, next.UserName, next.Timestamp));
        Assert.Equal([1, 2, 3], next.Payload.Span.ToArray());
    }

    [Fact]
    public void An_exact_reader_still_gives_each_frame_its_own_payload()
    {
        var reader = new RtmsMessageReader(allocation: MediaPayloadAllocation.Exact);
        var reuse = new ReusableMediaMessages();
        var first = Read(reader, reuse, """{"msg_type":14,"content":{"user_id":1,"data":"AQID","timestamp":5}}""");
        var kept = first.Payload.ExactArray;
        using var second = Read(reader, reuse, """{"msg_type":14,"content":{"user_id":1,"data":"BAU=","timestamp":6}}""");
        Assert.Equal([1, 2, 3], kept);
        Assert.Equal([4, 5], second.Payload.ExactArray);
    }

    /// <summary>Every public property's value (payload as its bytes), so a property added later is compared too.</summary>
    private static string Describe(MediaDataMessage message) =>
        string.Join("; ", typeof(MediaDataMessage).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={Show(p.GetValue(message))}"));

    private static string Show(object? value) => value switch
    {
        null => "null",
        MediaPayload payload => Convert.ToHexString(payload.Span),
        IEnumerable<string> list => $"[{string.Join(",", list)}]",
        ChatContent chat => $"chat:{chat.Text}",
        _ => value.ToString() ?? "",
    };
}
