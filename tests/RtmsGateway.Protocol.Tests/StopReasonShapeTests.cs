using System.Text;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Protocol.Tests;

/// <summary>
/// A stop reason in a shape the tables do not give (a name such as <c>"ACTION_BY_USER"</c>, a numeric string, an object)
/// costs only the reason, never the message: before, a stream state update with a named reason was dropped whole (the
/// stream's STOPPED state with it), and an <c>rtms_stopped</c> webhook with one was refused.
/// </summary>
public sealed class StopReasonShapeTests
{
    [Theory]
    [InlineData("6", StopReason.MeetingEnded)]
    [InlineData("\"6\"", StopReason.MeetingEnded)]
    [InlineData("\"STOP_BC_MEETING_ENDED\"", StopReason.MeetingEnded)]
    [InlineData("\"meeting_ended\"", StopReason.MeetingEnded)]
    [InlineData("\"MeetingEnded\"", StopReason.MeetingEnded)]
    [InlineData("\"ACTION_BY_USER\"", StopReason.Undefined)]
    [InlineData("{\"code\":6}", StopReason.Undefined)]
    [InlineData("[6]", StopReason.Undefined)]
    [InlineData("6.5", StopReason.Undefined)]
    [InlineData("true", StopReason.Undefined)]
    public void A_stream_state_update_keeps_its_state_whatever_shape_its_reason_has(string reason, StopReason expected)
    {
        var update = Assert.IsType<StreamStateUpdate>(RtmsMessageReader.Default.Read(
            Encoding.UTF8.GetBytes($$"""{"msg_type":8,"rtms_stream_id":"s","state":4,"reason":{{reason}},"timestamp":7}""")));
        Assert.Equal((RtmsStreamState.Terminated, expected, 7L), (update.State, update.Reason, update.Timestamp));
        var session = Assert.IsType<SessionStateUpdate>(RtmsMessageReader.Default.Read(
            Encoding.UTF8.GetBytes($$"""{"msg_type":9,"rtms_session_id":"s","state":5,"stop_reason":{{reason}},"timestamp":7}""")));
        Assert.Equal(expected, session.StopReason);
    }

    [Theory]
    [InlineData("\"MEETING_ENDED\"", StopReason.MeetingEnded)]
    [InlineData("\"ACTION_BY_USER\"", StopReason.Undefined)]
    [InlineData("{}", null)]
    [InlineData("[1]", null)]
    public void An_rtms_stopped_webhook_is_read_whatever_shape_its_reason_has(string reason, StopReason? expected)
    {
        var evt = ZoomWebhookParser.Parse(Encoding.UTF8.GetBytes(
            $$$"""{"event":"meeting.rtms_stopped","payload":{"meeting_uuid":"m","rtms_stream_id":"s","stop_reason":{{{reason}}}}}"""));
        Assert.Equal((WebhookEventKind.RtmsStopped, "s", expected), (evt.Kind, evt.RtmsStreamId, evt.StopReason));
    }
}
