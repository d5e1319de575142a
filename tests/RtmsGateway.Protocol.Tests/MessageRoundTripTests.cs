using System.Text;
using System.Text.Json;

namespace RtmsGateway.Protocol.Tests;

/// <summary>Every message kind survives write → read, and the reference's canonical examples read into the right values.</summary>
public sealed class MessageRoundTripTests
{
    private static T RoundTrip<T>(T message) where T : RtmsMessage
    {
        var bytes = RtmsMessageWriter.ToUtf8Bytes(message);
        using var json = JsonDocument.Parse(bytes);
        Assert.Equal((int)message.MsgType, json.RootElement.GetProperty("msg_type").GetInt32());
        return Assert.IsType<T>(RtmsMessageReader.Default.Read(bytes));
    }

    private static RtmsMessage Read(string json) => RtmsMessageReader.Default.Read(Encoding.UTF8.GetBytes(json));

    public static TheoryData<RtmsMessage> ControlMessages() =>
    [
        new SignalingHandshakeRequest { Sequence = 1, MeetingUuid = "u+/=", RtmsStreamId = "s", Signature = "sig", BufferData = false },
        new SignalingHandshakeResponse { StatusCode = StatusCode.Ok, Reason = "", MediaServer = new MediaServerInfo { ServerUrls = { ["all"] = "wss://a" } } },
        new DataHandshakeRequest { MeetingUuid = "u", RtmsStreamId = "s", Signature = "sig", MediaType = MediaDataType.Audio | MediaDataType.Transcript, MediaParams = MediaParamsDefaults.Effective(MediaDataType.All, null) },
        new DataHandshakeResponse { StatusCode = StatusCode.InvalidMediaAudioCodec, Reason = "bad", PayloadEncryption = false },
        new EventSubscription { Events = [new EventSubscriptionItem { EventType = 2 }, new EventSubscriptionItem { EventType = 46, Subscribe = false }] },
        new EventUpdate { Event = new RtmsEvent { EventType = 3, Timestamp = 1, Participants = [new RtmsParticipant { UserId = RtmsUserId.FromNumber(16778240), UserName = "A" }] } },
        new ClientReadyAck { RtmsStreamId = "s" },
        new StreamStateUpdate { State = RtmsStreamState.Terminated, Reason = StopReason.MeetingEnded, Timestamp = 5 },
        new SessionStateUpdate { RtmsSessionId = "x", State = RtmsSessionState.Stopped, StopReasonField = StopReason.UserLeft },
        new SessionStateRequest { RtmsSessionId = "x" },
        new SessionStateResponse { RtmsSessionId = "x", State = RtmsSessionState.Paused },
        new KeepAliveRequest { Timestamp = 1_738_123_456_789 },
        new KeepAliveResponse { Timestamp = 1_738_123_456_789 },
        new StreamStateRequest { RtmsStreamId = "s" },
        new StreamStateResponse { RtmsStreamId = "s", State = RtmsStreamState.Active, Timestamp = 1_694_204_592 },
        new StreamCloseRequest { RtmsStreamId = "s" },
        new StreamCloseResponse { RtmsStreamId = "s", StatusCode = StatusCode.Ok, Reason = "OK" },
        new VideoSubscriptionRequest { UserId = RtmsUserId.FromNumber(7), Subscribe = true },
        new VideoSubscriptionResponse { UserId = RtmsUserId.FromText("abc"), StatusCode = StatusCode.DuplicateVideoSubscription },
    ];

    [Theory]
    [MemberData(nameof(ControlMessages))]
    public void Control_messages_round_trip(RtmsMessage message)
    {
        var bytes = RtmsMessageWriter.ToUtf8Bytes(message);
        var again = RtmsMessageReader.Default.Read(bytes);
        Assert.Equal(message.GetType(), again.GetType());
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(RtmsMessageWriter.ToUtf8Bytes(again)));
    }

    [Theory]
    [InlineData(MessageType.MediaDataAudio)]
    [InlineData(MessageType.MediaDataVideo)]
    [InlineData(MessageType.MediaDataShare)]
    public void Binary_media_round_trips_byte_for_byte(MessageType type)
    {
        var data = new byte[4099];
        new Random(7).NextBytes(data);
        using var read = RoundTrip(new MediaDataMessage(type)
        {
            UserId = RtmsUserId.FromNumber(16778240),
            UserName = "Grace",
            Payload = MediaPayload.FromBytes(data),
            DeclaredLength = data.Length,
            Timestamp = 1_700_000_000_123,
        });
        Assert.Equal(data, read.Payload.Span.ToArray());
        Assert.Equal(16778240, read.UserId.Number);
        Assert.Equal("Grace", read.UserName);
        Assert.Equal(data.Length, read.DeclaredLength);
        Assert.Equal(1_700_000_000_123, read.Timestamp);
    }

    [Fact]
    public void Transcripts_keep_text_timing_language_and_attribute()
    {
        using var read = RoundTrip(new MediaDataMessage(MessageType.MediaDataTranscript)
        {
            UserId = RtmsUserId.FromNumber(1),
            UserName = "Ada",
            Text = "héllo \"world\" ✓",
            StartTime = 10,
            EndTime = 20,
            Language = TranscriptLanguage.German,
            Attribute = DataMessageAttribute.Update,
            Timestamp = 10,
        });
        Assert.Equal("héllo \"world\" ✓", read.Text);
        Assert.Equal((10L, 20L), (read.StartTime!.Value, read.EndTime!.Value));
        Assert.Equal(TranscriptLanguage.German, read.Language);
        Assert.Equal(DataMessageAttribute.Update, read.Attribute);
    }

    [Theory]
    [InlineData("""{"msg_type":8,"state":4,"reason":null,"timestamp":5}""")]
    [InlineData("""{"msg_type":8,"state":4,"timestamp":5}""")]
    public void A_stream_state_update_without_a_reason_still_reads(string json)
    {
        var update = Assert.IsType<StreamStateUpdate>(Read(json));
        Assert.Equal(RtmsStreamState.Terminated, update.State);
        Assert.Null(update.Reason);
    }

    [Fact]
    public void Chat_keeps_its_whole_content_object()
    {
        const string json = """{"msg_type":18,"content":{"user_id":5,"user_name":"Bo","data":"hi","timestamp":3,"chat_session":{"type":1},"message_id":"m1"}}""";
        using var chat = Assert.IsType<MediaDataMessage>(Read(json));
        Assert.Equal("hi", chat.Text);
        using var content = JsonDocument.Parse(chat.ContentJson!);
        Assert.Equal("m1", content.RootElement.GetProperty("message_id").GetString());
        Assert.Equal(json, Encoding.UTF8.GetString(RtmsMessageWriter.ToUtf8Bytes(chat)));
    }

    [Fact]
    public void The_reference_signaling_response_example_reads_into_media_urls()
    {
        var response = Assert.IsType<SignalingHandshakeResponse>(Read("""
            {"msg_type":2,"protocol_version":1,"sequence":0,"status_code":0,"reason":"",
             "media_server":{"server_urls":{"audio":"wss://rtms.zoom.us/a","video":"wss://rtms.zoom.us/v","transcript":"wss://rtms.zoom.us/t","all":"wss://rtms.zoom.us/all"}}}
            """));
        Assert.Equal(StatusCode.Ok, response.StatusCode);
        Assert.Equal("wss://rtms.zoom.us/t", response.MediaServer!.UrlFor(MediaServerKeys.Transcript));
        Assert.Equal("wss://rtms.zoom.us/all", response.MediaServer.UrlFor(MediaServerKeys.Chat));
    }

    [Fact]
    public void The_reference_data_handshake_response_example_reads_effective_params()
    {
        var response = Assert.IsType<DataHandshakeResponse>(Read("""
            {"msg_type":4,"protocol_version":1,"status_code":0,"reason":"","sequence":0,"payload_encrypted":true,
             "media_params":{"audio":{"content_type":2,"sample_rate":1,"channel":1,"codec":1,"data_opt":1,"send_rate":100},
             "video":{"content_type":3,"codec":5,"resolution":2,"data_opt":3,"fps":5},
             "deskshare":{"content_type":3,"codec":5,"resolution":3,"fps":1},
             "transcript":{"content_type":5,"src_language":9,"enable_lid":true},"chat":{"content_type":5}}}
            """));
        Assert.True(response.IsPayloadEncrypted);
        Assert.Equal(100, response.MediaParams!.Audio!.SendRate);
        Assert.Equal(MediaCodec.Jpg, response.MediaParams.Video!.Codec);
        Assert.Equal(MediaResolution.Fhd, response.MediaParams.Deskshare!.Resolution);
        Assert.Equal(TranscriptLanguage.English, response.MediaParams.Transcript!.EffectiveSourceLanguage);
    }

    [Theory]
    [InlineData("""{"msg_type":9,"rtms_session_id":"a","state":5,"stop_reason":3,"timestamp":1}""")]
    [InlineData("""{"msg_type":9,"rtms_session_id":"a","state":5,"reason":3,"timestamp":1}""")]
    public void Session_stop_reason_is_read_under_either_name(string json) =>
        Assert.Equal(StopReason.UserLeft, Assert.IsType<SessionStateUpdate>(Read(json)).StopReason);

    [Theory]
    [InlineData("""{"msg_type":6,"event":{"event_type":2,"timestamp":1,"user_id":16778240,"user_name":"A"}}""", false, 16778240L)]
    [InlineData("""{"msg_type":6,"event":{"event_type":5,"timestamp":1,"user_id":1234234567890,"user_name":"A"}}""", false, 1234234567890L)]
    [InlineData("""{"msg_type":6,"event":{"event_type":3,"timestamp":1,"user_id":"xxxxxxxxxx","user_name":"A"}}""", true, 0L)]
    [InlineData("""{"msg_type":6,"event":{"event_type":3,"timestamp":1,"user_id":"42","user_name":"A"}}""", false, 42L)]
    public void User_ids_may_be_numbers_big_numbers_or_strings(string json, bool isText, long number)
    {
        var id = Assert.IsType<EventUpdate>(Read(json)).Event.UserId!.Value;
        Assert.Equal(isText, id.IsText);
        Assert.Equal(number, id.Number);
    }

    [Fact]
    public void Unknown_values_and_message_types_survive_a_round_trip()
    {
        var response = Assert.IsType<SignalingHandshakeResponse>(Read("""{"msg_type":2,"status_code":99,"reason":"new"}"""));
        Assert.Equal((StatusCode)99, response.StatusCode);
        Assert.Contains("\"status_code\":99", Encoding.UTF8.GetString(RtmsMessageWriter.ToUtf8Bytes(response)), StringComparison.Ordinal);
        var evt = Assert.IsType<EventUpdate>(Read("""{"msg_type":6,"event":{"event_type":46,"timestamp":2,"new_field":{"x":1}}}"""));
        Assert.Equal(46, evt.Event.EventType);
        Assert.Contains("new_field", Encoding.UTF8.GetString(RtmsMessageWriter.ToUtf8Bytes(evt)), StringComparison.Ordinal);
        foreach (var type in new[] { 0, 23, 27, 77 })
        {
            var raw = $$"""{"msg_type":{{type}},"anything":[1,2]}""";
            var unknown = Assert.IsType<UnrecognizedMessage>(Read(raw));
            Assert.Equal((MessageType)type, unknown.MsgType);
            Assert.Equal(raw, Encoding.UTF8.GetString(RtmsMessageWriter.ToUtf8Bytes(unknown)));
        }
    }

    [Fact]
    public void A_numeric_string_msg_type_is_accepted() =>
        Assert.Equal(99L, Assert.IsType<KeepAliveRequest>(Read("""{"msg_type":"12","timestamp":99}""")).Timestamp);

    [Fact]
    public void The_flat_media_shape_and_escaped_base64_are_read()
    {
        var data = new byte[] { 0xFB, 0xFF, 0xBF, 1, 2, 3 }; // base64 "+/+/AQID" style bytes with '/' inside
        var base64 = Convert.ToBase64String(data).Replace("/", "\\/", StringComparison.Ordinal);
        using var flat = Assert.IsType<MediaDataMessage>(Read($$"""{"msg_type":14,"user_id":5,"user_name":"Ada","content":"{{base64}}","timestamp":7}"""));
        Assert.Equal(data, flat.Payload.Span.ToArray());
        Assert.Equal(5, flat.UserId.Number);
        Assert.Equal("Ada", flat.UserName);
    }

    [Fact]
    public void Mixed_audio_has_user_zero()
    {
        using var audio = Assert.IsType<MediaDataMessage>(Read("""{"msg_type":14,"content":{"user_id":0,"data":"AAAA","timestamp":1}}"""));
        Assert.True(audio.UserId.IsNone);
        Assert.Null(audio.UserName);
    }

    [Fact]
    public void Pooled_payloads_return_their_memory_and_exact_ones_are_keepable()
    {
        var frame = Encoding.UTF8.GetBytes("""{"msg_type":15,"content":{"user_id":1,"data":"AQIDBAU=","timestamp":1}}""");
        var pooled = Assert.IsType<MediaDataMessage>(new RtmsMessageReader(allocation: MediaPayloadAllocation.Pooled).Read(frame));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, pooled.Payload.Span.ToArray());
        Assert.Null(pooled.Payload.ExactArray);
        pooled.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pooled.Payload.Span.ToArray());

        using var exact = Assert.IsType<MediaDataMessage>(new RtmsMessageReader(allocation: MediaPayloadAllocation.Exact).Read(frame));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, exact.Payload.ExactArray);
    }
}
