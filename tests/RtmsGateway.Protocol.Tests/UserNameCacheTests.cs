using System.Text;
using System.Text.Json;
using RtmsGateway.Protocol.Serialization;

namespace RtmsGateway.Protocol.Tests;

/// <summary>A participant's <c>user_name</c> comes on every media frame: the reader decodes it once and hands out the
/// same string for the same bytes, and a cached name never changes what a frame reads as, or which frames fail.</summary>
public sealed class UserNameCacheTests
{
    private static MediaDataMessage Read(RtmsMessageReader reader, string userName) =>
        Assert.IsType<MediaDataMessage>(reader.Read(Encoding.UTF8.GetBytes($$$"""{"msg_type":14,"content":{"user_id":7,"user_name":{{{userName}}},"data":"AQID","timestamp":5}}""")));

    [Fact]
    public void The_same_name_on_consecutive_frames_is_one_string()
    {
        var reader = new RtmsMessageReader();
        using var first = Read(reader, "\"Ada Lovelace\"");
        using var second = Read(reader, "\"Ada Lovelace\"");
        Assert.Equal("Ada Lovelace", first.UserName);
        Assert.Same(first.UserName, second.UserName);
    }

    [Fact]
    public void More_names_than_slots_each_read_as_themselves()
    {
        var reader = new RtmsMessageReader();
        var names = Enumerable.Range(0, 40).Select(i => $"Participant {i} Zoë").ToList();
        foreach (var round in Enumerable.Range(0, 3))
        {
            foreach (var name in names)
            {
                using var message = Read(reader, JsonSerializer.Serialize(name));
                Assert.Equal(name, message.UserName);
            }
        }
    }

    [Fact]
    public void Names_that_share_a_prefix_or_differ_in_one_byte_stay_apart()
    {
        var reader = new RtmsMessageReader();
        using var a = Read(reader, "\"Ann\"");
        using var b = Read(reader, "\"Anna\"");
        using var c = Read(reader, "\"Anm\"");
        using var a2 = Read(reader, "\"Ann\"");
        Assert.Equal(("Ann", "Anna", "Anm", "Ann"), (a.UserName, b.UserName, c.UserName, a2.UserName));
    }

    [Fact]
    public void An_escaped_name_is_unescaped_and_its_raw_form_does_not_match_the_plain_one()
    {
        var reader = new RtmsMessageReader();
        using var plain = Read(reader, "\"A/B\"");
        using var escaped = Read(reader, "\"A\\/B\"");
        using var unicode = Read(reader, "\"\\u0041\\/B\"");
        Assert.Equal(("A/B", "A/B", "A/B"), (plain.UserName, escaped.UserName, unicode.UserName));
    }

    [Fact]
    public void A_name_that_is_not_valid_utf8_fails_the_frame_every_time()
    {
        var reader = new RtmsMessageReader();
        var frame = Encoding.UTF8.GetBytes("""{"msg_type":14,"content":{"user_id":7,"user_name":"A?B","data":"AQID","timestamp":5}}""");
        frame[Array.IndexOf(frame, (byte)'?')] = 0xFF;
        for (var i = 0; i < 2; i++)
        {
            var ex = Assert.Throws<RtmsProtocolException>(() => reader.Read(frame));
            Assert.Equal(RtmsProtocolError.InvalidField, ex.Error);
        }
    }

    [Fact]
    public void The_cache_returns_the_decoded_text_of_exactly_the_bytes_given()
    {
        var cache = new Utf8StringCache(slots: 2);
        string Get(string json)
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            return cache.GetString(ref reader)!;
        }
        var first = Get("\"x\"");
        Assert.Same(first, Get("\"x\""));
        Assert.Equal("y", Get("\"y\""));
        Assert.Equal("z", Get("\"z\""));
        // "x" was replaced (two slots): read again, still right.
        Assert.Equal("x", Get("\"x\""));
        Assert.Equal(new string('n', Utf8StringCache.MaxBytes + 1), Get($"\"{new string('n', Utf8StringCache.MaxBytes + 1)}\""));
    }
}
