using System.Text;

namespace RtmsGateway.Protocol.Tests;

/// <summary>An event's time: Contact Center voice events carry <c>event_ts</c> (Contact Center events page), meeting events
/// <c>timestamp</c>; either is read, <c>event_ts</c> first, and an unreadable one costs only that field.</summary>
public sealed class EventTimeShapeTests
{
    private static EventUpdate Read(string evt) =>
        Assert.IsType<EventUpdate>(RtmsMessageReader.Default.Read(Encoding.UTF8.GetBytes($$"""{"msg_type":6,"event":{{evt}}}""")));

    [Theory]
    [InlineData("""{"event_type":8,"event_ts":1727384349123,"participant_info":{"channel_id":"123abc","participant_mode":"caller"}}""", 1727384349123)]
    [InlineData("""{"event_type":8,"event_ts":"1727384349123"}""", 1727384349123)]
    [InlineData("""{"event_type":2,"timestamp":1727384349000,"user_id":1}""", 1727384349000)]
    [InlineData("""{"event_type":12,"event_ts":5,"timestamp":4}""", 5)]
    [InlineData("""{"event_type":12}""", 0)]
    public void Event_ts_then_timestamp_is_the_time(string evt, long expected)
    {
        var update = Read(evt);
        Assert.Equal(expected, update.Event.OccurredAt);
        Assert.Null(update.UnreadFields);
    }

    [Fact]
    public void An_unreadable_event_ts_falls_back_to_timestamp_and_keeps_the_event()
    {
        var update = Read("""{"event_type":10,"event_ts":{"ms":5},"timestamp":4}""");
        Assert.Equal((10, 4L), (update.Event.EventType, update.Event.OccurredAt));
        Assert.Equal(["event_ts (StartObject)"], update.UnreadFields);
    }

    [Fact]
    public void Event_ts_is_written_back()
    {
        var update = Read("""{"event_type":29,"event_ts":77}""");
        var again = Read(Encoding.UTF8.GetString(RtmsMessageWriter.ToUtf8Bytes(update))[("{\"msg_type\":6,\"event\":".Length)..^1]);
        Assert.Equal(77, again.Event.EventTs);
        Assert.Null(again.Event.Timestamp);
    }
}
