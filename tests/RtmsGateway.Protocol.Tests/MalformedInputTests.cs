using System.Text;

namespace RtmsGateway.Protocol.Tests;

/// <summary>Bad frames give a typed <see cref="RtmsProtocolException"/>, never another exception.</summary>
public sealed class MalformedInputTests
{
    private static RtmsProtocolError ErrorOf(string json, RtmsMessageReader? reader = null) => ErrorOf(Encoding.UTF8.GetBytes(json), reader);

    private static RtmsProtocolError ErrorOf(byte[] frame, RtmsMessageReader? reader = null) =>
        Assert.Throws<RtmsProtocolException>(() => (reader ?? RtmsMessageReader.Default).Read(frame)).Error;

    [Theory]
    [InlineData("", RtmsProtocolError.MalformedJson)]
    [InlineData("{\"msg_type\":12,", RtmsProtocolError.MalformedJson)]
    [InlineData("{\"msg_type\":12} trailing", RtmsProtocolError.MalformedJson)]
    [InlineData("{'msg_type':12}", RtmsProtocolError.MalformedJson)]
    [InlineData("[1,2,3]", RtmsProtocolError.NotAnObject)]
    [InlineData("42", RtmsProtocolError.NotAnObject)]
    [InlineData("{\"timestamp\":1}", RtmsProtocolError.MissingMessageType)]
    [InlineData("{\"msg_type\":12.5}", RtmsProtocolError.MissingMessageType)]
    [InlineData("{\"msg_type\":{\"x\":1}}", RtmsProtocolError.MissingMessageType)]
    [InlineData("{\"msg_type\":\"KEEP_ALIVE_REQ\"}", RtmsProtocolError.MissingMessageType)]
    [InlineData("{\"msg_type\":2,\"reason\":\"no status\"}", RtmsProtocolError.MissingField)]
    [InlineData("{\"msg_type\":1,\"rtms_stream_id\":\"s\",\"signature\":\"x\"}", RtmsProtocolError.MissingField)]
    [InlineData("{\"msg_type\":2,\"status_code\":{\"a\":1}}", RtmsProtocolError.InvalidField)]
    [InlineData("{\"msg_type\":12,\"timestamp\":[1]}", RtmsProtocolError.InvalidField)]
    [InlineData("{\"msg_type\":6,\"event\":{\"event_type\":2,\"user_id\":true}}", RtmsProtocolError.InvalidField)]
    [InlineData("{\"msg_type\":14,\"content\":42}", RtmsProtocolError.InvalidField)]
    [InlineData("{\"msg_type\":14,\"content\":{\"data\":12}}", RtmsProtocolError.InvalidField)]
    [InlineData("{\"msg_type\":14,\"content\":{\"timestamp\":\"soon\"}}", RtmsProtocolError.InvalidField)]
    [InlineData("{\"msg_type\":14,\"content\":{\"data\":\"@@not base64@@\"}}", RtmsProtocolError.InvalidBase64)]
    [InlineData("{\"msg_type\":15,\"content\":{\"data\":\"AQID=\"}}", RtmsProtocolError.InvalidBase64)]
    public void Malformed_frames_are_typed_errors(string json, RtmsProtocolError expected) => Assert.Equal(expected, ErrorOf(json));

    [Fact]
    public void Frames_above_the_limit_are_refused_before_parsing()
    {
        var reader = new RtmsMessageReader(maxMessageBytes: 1024);
        var frame = Encoding.UTF8.GetBytes("{\"msg_type\":14,\"content\":{\"data\":\"" + new string('A', 2000) + "\"}}");
        Assert.Equal(RtmsProtocolError.FrameTooLarge, ErrorOf(frame, reader));
    }

    [Fact]
    public void Deeply_nested_json_is_refused() =>
        Assert.Equal(RtmsProtocolError.MalformedJson, ErrorOf("{\"msg_type\":6,\"x\":" + new string('[', 500) + new string(']', 500) + "}"));

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        static byte[] With(string before, string after) => [.. Encoding.UTF8.GetBytes(before), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(after)];

        // In text that must be decoded: the field is invalid.
        Assert.Equal(RtmsProtocolError.InvalidField, ErrorOf(With("{\"msg_type\":17,\"content\":{\"data\":\"", "\"}}")));
        Assert.Equal(RtmsProtocolError.InvalidField, ErrorOf(With("{\"msg_type\":2,\"status_code\":0,\"reason\":\"", "\"}")));
        // In a property name nobody reads: the frame still lacks what it needs.
        Assert.Equal(RtmsProtocolError.MissingMessageType, ErrorOf(With("{\"", "\":1}")));
    }

    /// <summary>Thousands of truncated, flipped and spliced variants of valid frames: each reads or fails typed.</summary>
    [Fact]
    public void Mutated_frames_never_escape_as_other_exceptions()
    {
        string[] seeds =
        [
            """{"msg_type":2,"protocol_version":1,"status_code":0,"reason":"","media_server":{"server_urls":{"all":"wss://a"}}}""",
            """{"msg_type":4,"status_code":0,"media_params":{"audio":{"content_type":2,"sample_rate":1,"send_rate":20}}}""",
            """{"msg_type":6,"event":{"event_type":3,"timestamp":1,"participants":[{"user_id":1,"user_name":"A"},{"user_id":"x"}]}}""",
            """{"msg_type":14,"content":{"user_id":16778240,"user_name":"A","data":"AQIDBAUGBwg=","length":8,"timestamp":1}}""",
            """{"msg_type":17,"content":{"user_id":1,"data":"hello","start_time":1,"end_time":2,"language":9,"timestamp":1}}""",
            """{"msg_type":9,"rtms_session_id":"s","state":5,"stop_reason":6,"timestamp":1}""",
        ];
        var random = new Random(20261124);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 6000; i++)
        {
            var frame = Encoding.UTF8.GetBytes(seeds[i % seeds.Length]).ToList();
            switch (random.Next(4))
            {
                case 0:
                    frame = frame.Take(random.Next(frame.Count)).ToList();
                    break;
                case 1:
                    frame[random.Next(frame.Count)] = (byte)random.Next(256);
                    break;
                case 2:
                    frame.Insert(random.Next(frame.Count), (byte)"{}[]\",:0a\\"[random.Next(10)]);
                    break;
                default:
                    frame.RemoveAt(random.Next(frame.Count));
                    break;
            }
            try
            {
                if (RtmsMessageReader.Default.Read(frame.ToArray()) is IDisposable disposable)
                {
                    disposable.Dispose();
                }
                outcomes["ok"] = outcomes.GetValueOrDefault("ok") + 1;
            }
            catch (RtmsProtocolException ex)
            {
                outcomes[ex.Error.ToString()] = outcomes.GetValueOrDefault(ex.Error.ToString()) + 1;
            }
        }
        Assert.True(outcomes.Count > 2, string.Join(", ", outcomes));
    }
}
