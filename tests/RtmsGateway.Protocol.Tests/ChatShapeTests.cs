using System.Text;
using System.Text.Json;

namespace RtmsGateway.Protocol.Tests;

/// <summary>Chat (msg_type 18) <c>content.data</c> as an object, as a JSON string holding the object, and as plain text:
/// all three are read (before, an object dropped the frame); an unreadable field costs only that field.</summary>
public sealed class ChatShapeTests
{
    private const string ChatObject = """
        {"sender":{"user_id":16778240,"user_name":"Ada"},"receiver":{"user_id":"16779264","user_name":"Grace"},
         "chat_session":{"type":2,"id":"s-1"},"operation_type":1,"message_id":"m-2","parent_message_id":"m-1",
         "text":"See the doc","files":[{"file_id":"f1","file_name":"plan.pdf","file_size":2048}],"delete_file_id_list":["f0"]}
        """;

    private static MediaDataMessage Read(string data) =>
        Assert.IsType<MediaDataMessage>(RtmsMessageReader.Default.Read(Encoding.UTF8.GetBytes(
            $$$"""{"msg_type":18,"content":{"user_id":16778240,"user_name":"Ada","data":{{{data}}},"timestamp":9}}""")));

    [Fact]
    public void An_object_is_read_field_by_field()
    {
        using var message = Read(ChatObject);
        AssertStructured(message, ChatDataShape.Object);
    }

    [Fact]
    public void A_json_string_holding_the_object_is_read_like_the_object()
    {
        using var message = Read(JsonSerializer.Serialize(ChatObject));
        AssertStructured(message, ChatDataShape.JsonString);
    }

    [Theory]
    [InlineData("\"Back in 5 minutes.\"", "Back in 5 minutes.")]
    [InlineData("\"{not json}\"", "{not json}")]
    [InlineData("\"{}  \"", null)]
    public void Plain_text_is_the_message(string data, string? text)
    {
        using var message = Read(data);
        if (text is null)
        {
            Assert.Equal(ChatDataShape.JsonString, message.ChatShape); // an empty object: structured, no text
            return;
        }
        Assert.Equal((ChatDataShape.Text, text), (message.ChatShape!.Value, message.Text));
        Assert.Null(message.Chat);
        Assert.Equal(16778240, message.UserId.Number);
    }

    [Fact]
    public void A_field_of_an_unknown_shape_costs_only_that_field()
    {
        using var message = Read("""{"sender":42,"operation_type":{"v":1},"text":"still here","files":[7,{"file_id":"f1","file_size":"big"}]}""");
        Assert.Equal("still here", message.Text);
        Assert.Null(message.Chat!.Sender);
        Assert.Null(message.Chat.OperationType);
        Assert.Equal("f1", Assert.Single(message.Chat.Files).FileId);
        Assert.Equal(["data.sender (Number)", "data.operation_type (Object)", "data.files[0] (Number)", "data.files[1].file_size (String)"], message.UnreadFields);
    }

    private static void AssertStructured(MediaDataMessage message, ChatDataShape shape)
    {
        Assert.Equal(shape, message.ChatShape);
        var chat = message.Chat!;
        Assert.Equal("See the doc", message.Text);
        Assert.Equal((16778240L, "Ada"), (chat.Sender!.UserId.Number, chat.Sender.UserName));
        Assert.Equal((16779264L, "Grace"), (chat.Receiver!.UserId.Number, chat.Receiver.UserName));
        Assert.Equal(new ChatSessionRef(2, "s-1"), chat.ChatSession);
        Assert.Equal((1, "m-2", "m-1"), (chat.OperationType!.Value, chat.MessageId, chat.ParentMessageId));
        var file = Assert.Single(chat.Files);
        Assert.Equal(("f1", "plan.pdf", 2048L), (file.FileId, file.FileName, file.FileSize!.Value));
        Assert.Equal(["f0"], chat.DeletedFileIds);
        Assert.Null(message.UnreadFields);
        using var raw = JsonDocument.Parse(chat.RawJson);
        Assert.Equal("m-2", raw.RootElement.GetProperty("message_id").GetString());
        Assert.Equal(9, message.Timestamp);
    }
}
