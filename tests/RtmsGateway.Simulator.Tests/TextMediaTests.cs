using System.Text.Json.Nodes;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Transcript (17) and chat (18) content (§4.6).</summary>
public sealed class TextMediaTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static MeetingOptions Chatty()
    {
        var options = SimulatorHarness.FastMeeting();
        options.ChatInterval = TimeSpan.FromMilliseconds(100);
        options.ChatLines = ["Hello from the chat.", "Second message."];
        return options;
    }

    [Fact]
    public async Task Transcripts_are_new_and_in_english_while_language_identification_is_on()
    {
        await using var session = await _harness.StreamingAsync(mediaParams: new JsonObject { ["transcript"] = new JsonObject { ["src_language"] = 14 } });
        var content = (await session.Media.ExpectAsync(17))["content"]!;
        Assert.Equal(1, (int)content["attribute"]!); // ATTR_NEW
        Assert.Equal(9, (int)content["language"]!);
    }

    [Fact]
    public async Task Without_language_identification_transcripts_carry_the_source_language()
    {
        await using var session = await _harness.StreamingAsync(mediaParams: new JsonObject { ["transcript"] = new JsonObject { ["src_language"] = 14, ["enable_lid"] = false } });
        var transcripts = await session.Media.CollectAsync(m => RawRtmsClient.MsgType(m) == 17, 2, "transcript");
        Assert.All(transcripts, t => Assert.Equal((14, 1), ((int)t["content"]!["language"]!, (int)t["content"]!["attribute"]!)));
    }

    [Theory]
    [InlineData(ChatDataShape.Object)]
    [InlineData(ChatDataShape.JsonString)]
    [InlineData(ChatDataShape.Text)]
    public async Task Chat_messages_flow_when_chat_is_negotiated_with_data_in_each_shape(ChatDataShape shape)
    {
        var options = Chatty();
        options.Variants.ChatData = shape;
        await using var session = await _harness.StreamingAsync(options);
        var chats = await session.Media.CollectAsync(m => RawRtmsClient.MsgType(m) == 18, 2, "chat");
        var participants = session.Meeting.Participants;
        foreach (var chat in chats)
        {
            var content = chat["content"]!.AsObject();
            Assert.Equal(["data", "timestamp", "user_id", "user_name"], content.Select(p => p.Key).Order());
            var writer = Assert.Single(participants, p => p.UserId == (long)content["user_id"]!);
            Assert.Equal(writer.Name, (string)content["user_name"]!);
            Assert.True((long)content["timestamp"]! > 1_600_000_000_000);
            var data = shape switch
            {
                ChatDataShape.Object => content["data"]!.AsObject(),
                ChatDataShape.JsonString => JsonNode.Parse((string)content["data"]!)!.AsObject(),
                _ => null,
            };
            if (data is null)
            {
                Assert.Contains((string)content["data"]!, options.ChatLines!); // plain text, not base64
                continue;
            }
            Assert.Equal(["chat_session", "delete_file_id_list", "files", "message_id", "operation_type", "sender", "text"], data.Select(p => p.Key).Order());
            Assert.Contains((string)data["text"]!, options.ChatLines!);
            Assert.Equal((writer.UserId, writer.Name), ((long)data["sender"]!["user_id"]!, (string)data["sender"]!["user_name"]!));
            Assert.Equal((1, 1), ((int)data["chat_session"]!["type"]!, (int)data["operation_type"]!)); // everyone, new
            Assert.StartsWith(session.Meeting.StreamId[..8], (string)data["message_id"]!, StringComparison.Ordinal);
        }
        Assert.True(session.Meeting.Counters.ChatMessagesSent >= 2);
    }

    [Fact]
    public async Task No_chat_without_chat_in_the_media_type()
    {
        var (meeting, _) = await _harness.StartMeetingAsync(Chatty());
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 1 | 8);
        await using var m = media;
        var seen = await media.ReadUntilAsync(x => RawRtmsClient.MsgType(x) == 17, 4, "transcript"); // ≥ 3 chat intervals
        Assert.DoesNotContain(seen, x => RawRtmsClient.MsgType(x) == 18);
        Assert.Equal(0, meeting.Counters.ChatMessagesSent);
    }
}
