using Google.Protobuf;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Tests.Sessions;

/// <summary>
/// The API's Zoom codes became enums where they were int32: a proto3 enum is the same varint on the wire, so bytes
/// written by a client generated from the int32 proto read the same values, and values Zoom adds later survive a round
/// trip as their number (open enums).
/// </summary>
public sealed class ApiEnumWireTests
{
    /// <summary>What a generator of the int32 proto writes for one int32 field.</summary>
    private static byte[] Int32Field(int field, int value)
    {
        var output = new MemoryStream();
        var writer = new CodedOutputStream(output);
        writer.WriteTag(field, WireFormat.WireType.Varint);
        writer.WriteInt32(value);
        writer.Flush();
        return output.ToArray();
    }

    [Theory]
    [InlineData(6, ZoomStopReason.MeetingEnded)]
    [InlineData(0, ZoomStopReason.Unspecified)]
    [InlineData(99, (ZoomStopReason)99)] // a reason Zoom adds later
    public void A_stop_reason_reads_and_writes_as_the_int32_it_was(int code, ZoomStopReason expected)
    {
        var bytes = Int32Field(SessionEnded.StopReasonFieldNumber, code);
        var ended = SessionEnded.Parser.ParseFrom(bytes);
        Assert.Equal(expected, ended.StopReason);
        Assert.Equal(code == 0 ? [] : bytes, ended.ToByteArray());
    }

    [Theory]
    [InlineData(-1, ZoomTranscriptLanguage.None)]
    [InlineData(9, ZoomTranscriptLanguage.English)]
    public void A_transcript_language_reads_and_writes_as_the_int32_it_was_negative_codes_included(int code, ZoomTranscriptLanguage expected)
    {
        var bytes = Int32Field(TranscriptSegment.LanguageFieldNumber, code);
        var segment = TranscriptSegment.Parser.ParseFrom(bytes);
        Assert.Equal(expected, segment.Language);
        Assert.Equal(bytes, segment.ToByteArray());
    }

    [Fact]
    public void Stream_and_session_states_keep_their_numbers()
    {
        var stream = RtmsStreamStateChanged.Parser.ParseFrom([.. Int32Field(RtmsStreamStateChanged.StateFieldNumber, 5), .. Int32Field(RtmsStreamStateChanged.ReasonFieldNumber, 14)]);
        Assert.Equal((ZoomStreamState.Paused, ZoomStopReason.DataConnectionInterrupted), (stream.State, stream.Reason));
        var session = RtmsSessionStateChanged.Parser.ParseFrom(Int32Field(RtmsSessionStateChanged.StateFieldNumber, 2));
        Assert.Equal(ZoomSessionState.Started, session.State);
        var chat = ChatMessage.Parser.ParseFrom([.. Int32Field(ChatMessage.ChatSessionTypeFieldNumber, 2), .. Int32Field(ChatMessage.OperationTypeFieldNumber, 3)]);
        Assert.Equal((ChatSessionType.Individual, ChatOperation.Update), (chat.ChatSessionType, chat.OperationType));
    }

    [Fact]
    public void Every_zoom_stop_reason_the_gateway_knows_has_an_api_value_of_the_same_number_and_meaning()
    {
        foreach (var reason in Enum.GetValues<RtmsGateway.Protocol.StopReason>())
        {
            var api = (ZoomStopReason)(int)reason;
            Assert.True(Enum.IsDefined(api), $"{reason} ({(int)reason}) has no API value");
            if (reason != RtmsGateway.Protocol.StopReason.Undefined)
            {
                Assert.Equal(reason.ToString(), api.ToString());
            }
        }
        foreach (var language in Enum.GetValues<RtmsGateway.Protocol.TranscriptLanguage>())
        {
            Assert.Equal(language.ToString(), ((ZoomTranscriptLanguage)(int)language).ToString());
        }
    }
}
