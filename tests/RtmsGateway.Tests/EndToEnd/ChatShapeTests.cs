using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>Chat (msg_type 18) reaches SubscribeEvents whatever shape Zoom gives <c>content.data</c>: an object (the
/// simulator's default, as Zoom's current samples expose chat), a JSON string holding it, or plain text.</summary>
public sealed class ChatShapeTests
{
    private static readonly string[] Lines = ["Hello from the chat.", "Second message."];

    [Theory]
    [InlineData(Protocol.ChatDataShape.Object, ChatMessage.Types.DataShape.Object)]
    [InlineData(Protocol.ChatDataShape.JsonString, ChatMessage.Types.DataShape.JsonString)]
    [InlineData(Protocol.ChatDataShape.Text, ChatMessage.Types.DataShape.Text)]
    public async Task A_subscriber_gets_each_chat_shape_as_a_structured_chat_message(Protocol.ChatDataShape shape, ChatMessage.Types.DataShape expected)
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Rtms:MediaTypes"] = "Audio, Transcript, Chat" });
        var options = new MeetingOptions { ChatInterval = TimeSpan.FromMilliseconds(100), ChatLines = Lines };
        options.Variants.ChatData = shape;
        var meeting = await gateway.StartMeetingAsync(options);
        using var events = gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId, FromStart = true } });
        var chats = (await StreamReading.ReadAsync(events.ResponseStream, 2, r => r.Event?.Chat is not null)).Where(r => r.Event?.Chat is not null).Select(r => r.Event).ToList();

        Assert.Equal(2, chats.Count);
        foreach (var evt in chats)
        {
            var chat = evt.Chat;
            var writer = Assert.Single(meeting.Participants, p => p.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture) == chat.Sender.UserId);
            Assert.Equal((writer.Name, writer.Name), (chat.Sender.UserName, evt.Header.UserName));
            Assert.Contains(chat.Text, Lines);
            Assert.Equal(expected, chat.DataShape);
            Assert.Contains("\"timestamp\"", chat.RawJson, StringComparison.Ordinal);
            Assert.True(evt.Header.ZoomTimestampMs > 1_600_000_000_000);
            if (shape == Protocol.ChatDataShape.Text)
            {
                Assert.Equal((string.Empty, string.Empty, ChatOperation.Unspecified, ChatSessionType.Unspecified), (chat.MessageId, chat.DataJson, chat.OperationType, chat.ChatSessionType));
                continue;
            }
            Assert.Equal((ChatSessionType.Everyone, ChatOperation.New), (chat.ChatSessionType, chat.OperationType));
            Assert.StartsWith(meeting.StreamId[..8], chat.MessageId, StringComparison.Ordinal);
            Assert.Contains(chat.Text, chat.DataJson, StringComparison.Ordinal);
            Assert.Null(chat.Receiver);
            Assert.Empty(chat.Files);
        }
        Assert.NotEqual(chats[0].Chat.Text, chats[1].Chat.Text);
    }
}
