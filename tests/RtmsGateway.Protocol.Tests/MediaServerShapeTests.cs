using System.Text;
using RtmsGateway.Protocol;

namespace RtmsGateway.Protocol.Tests;

/// <summary><c>media_server.server_urls</c> and <c>srtp_keys</c> in every shape seen or plausible: an unknown shape costs
/// only that field (named in <see cref="RtmsMessage.UnreadFields"/>), never the handshake response.</summary>
public sealed class MediaServerShapeTests
{
    private static SignalingHandshakeResponse Read(string mediaServer) =>
        Assert.IsType<SignalingHandshakeResponse>(RtmsMessageReader.Default.Read(Encoding.UTF8.GetBytes(
            $$$"""{"msg_type":2,"protocol_version":1,"sequence":1,"status_code":0,"reason":"","media_server":{{{mediaServer}}}}""")));

    [Fact]
    public void An_object_of_urls_is_read_by_key()
    {
        var response = Read("""{"server_urls":{"audio":"wss://a","video":"wss://v","all":"wss://all"}}""");
        Assert.Equal("wss://a", response.MediaServer!.UrlFor(MediaServerKeys.Audio));
        Assert.Equal("wss://all", response.MediaServer.UrlFor(MediaServerKeys.Transcript));
        Assert.Null(response.UnreadFields);
    }

    [Theory]
    [InlineData("\"wss://one.zoom.us\"", "wss://one.zoom.us")]
    [InlineData("\"rtmp://r.zoom.us, wss://one.zoom.us\"", "wss://one.zoom.us")]
    [InlineData("[\"https://h.zoom.us\",\"wss://one.zoom.us\"]", "wss://one.zoom.us")]
    [InlineData("[\"wss://one.zoom.us\"]", "wss://one.zoom.us")]
    public void A_single_url_or_a_list_of_urls_is_the_all_url(string urls, string expected)
    {
        var response = Read($$$"""{"server_urls":{{{urls}}}}""");
        Assert.Equal([MediaServerKeys.All], response.MediaServer!.ServerUrls.Keys);
        Assert.Equal(expected, response.MediaServer.UrlFor(MediaServerKeys.Audio));
        Assert.Null(response.UnreadFields);
    }

    [Fact]
    public void A_url_of_another_shape_costs_only_that_url()
    {
        var response = Read("""{"server_urls":{"audio":{"primary":"wss://a"},"video":"wss://v","transcript":null,"all":7}}""");
        Assert.Equal(new Dictionary<string, string> { ["video"] = "wss://v", ["all"] = "7" }, response.MediaServer!.ServerUrls);
        Assert.Equal(["server_urls.audio (StartObject)"], response.UnreadFields);
    }

    [Theory]
    [InlineData("true", "server_urls (True)")]
    [InlineData("42", "server_urls (Number)")]
    [InlineData("[{\"url\":\"wss://a\"}]", "server_urls[0] (StartObject)")]
    public void Urls_of_an_unknown_shape_read_as_none_and_the_response_is_kept(string urls, string unread)
    {
        var response = Read($$$"""{"server_urls":{{{urls}}},"srtp_keys":{"audio":"00ff"}}""");
        Assert.Equal(StatusCode.Ok, response.StatusCode);
        Assert.Empty(response.MediaServer!.ServerUrls);
        Assert.Equal("00ff", response.MediaServer.SrtpKeys!["audio"]);
        Assert.Equal([unread], response.UnreadFields);
    }

    [Theory]
    [InlineData("{\"audio\":\"aa\",\"video\":\"bb\",\"share\":\"cc\"}", "audio=aa,share=cc,video=bb", null)]
    [InlineData("\"abcdef\"", "all=abcdef", null)]
    [InlineData("[\"aa\",\"bb\"]", "0=aa,1=bb", null)]
    [InlineData("{\"audio\":\"aa\",\"video\":[1,2]}", "audio=aa", "srtp_keys.video (StartArray)")]
    [InlineData("{\"audio\":\"aa\",\"video\":null}", "audio=aa", null)]
    [InlineData("false", "", "srtp_keys (False)")]
    public void Srtp_keys_are_read_generously(string keys, string expected, string? unread)
    {
        var response = Read($$$"""{"server_urls":{"all":"wss://all"},"srtp_keys":{{{keys}}}}""");
        Assert.Equal("wss://all", response.MediaServer!.UrlFor(MediaServerKeys.Audio));
        Assert.Equal(expected, string.Join(',', response.MediaServer.SrtpKeys!.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")));
        Assert.Equal(unread is null ? null : [unread], response.UnreadFields);
    }

    [Fact]
    public void A_read_after_an_unreadable_field_starts_clean()
    {
        Assert.NotNull(Read("""{"server_urls":true}""").UnreadFields);
        Assert.Null(Read("""{"server_urls":{"all":"wss://all"}}""").UnreadFields);
    }
}
