using System.Text;

namespace RtmsGateway.Protocol.Tests;

/// <summary>Contact Center <c>channel_id</c>: a string in Zoom's tables and examples (<c>"123abc"</c>), a number in older
/// text. Both are read (before, a string dropped the whole audio or transcript frame); another shape costs only the field.</summary>
public sealed class ChannelIdShapeTests
{
    private static MediaDataMessage Read(string content) =>
        Assert.IsType<MediaDataMessage>(RtmsMessageReader.Default.Read(Encoding.UTF8.GetBytes(content)));

    [Theory]
    [InlineData(14, "\"123abc\"", "123abc", null)]
    [InlineData(14, "2", "2", 2)]
    [InlineData(14, "\"7\"", "7", 7)]
    [InlineData(14, "12345678901", "12345678901", null)]
    [InlineData(17, "\"123abc\"", "123abc", null)]
    [InlineData(17, "3", "3", 3)]
    public void A_channel_id_is_read_as_text_and_as_a_number_when_it_is_one(int msgType, string channel, string text, int? number)
    {
        var data = msgType == 14 ? "AQID" : "hello";
        using var message = Read($$$"""{"msg_type":{{{msgType}}},"content":{"user_id":0,"data":"{{{data}}}","timestamp":5,"channel_id":{{{channel}}}}}""");
        Assert.Equal((text, number), (message.Channel, message.ChannelId));
        Assert.Equal(5, message.Timestamp);
        Assert.Null(message.UnreadFields);
    }

    [Theory]
    [InlineData("{\"id\":1}", "channel_id (StartObject)")]
    [InlineData("[1]", "channel_id (StartArray)")]
    [InlineData("true", "channel_id (True)")]
    public void A_channel_id_of_another_shape_costs_only_the_channel(string channel, string unread)
    {
        using var message = Read($$$"""{"msg_type":14,"content":{"user_id":1,"user_name":"A","data":"AQID","timestamp":5,"channel_id":{{{channel}}}}}""");
        Assert.Equal(3, message.Payload.Length);
        Assert.Equal((null, null), (message.Channel, message.ChannelId));
        Assert.Equal([unread], message.UnreadFields);
    }

    [Fact]
    public void A_text_channel_id_survives_a_round_trip()
    {
        using var message = Read("""{"msg_type":17,"content":{"user_id":1,"data":"hi","timestamp":5,"channel_id":"123abc"}}""");
        using var again = Read(Encoding.UTF8.GetString(RtmsMessageWriter.ToUtf8Bytes(message)));
        Assert.Equal("123abc", again.Channel);
    }
}
