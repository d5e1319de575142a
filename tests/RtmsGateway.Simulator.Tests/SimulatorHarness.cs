using System.Text.Json.Nodes;

namespace RtmsGateway.Simulator.Tests;

/// <summary>A simulator with a webhook inbox, and the client side of the RTMS handshakes written out step by step (§5.1).</summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    public const string ClientId = "sim-test-client";
    public const string ClientSecret = "sim-test-secret";
    public const string WebhookSecret = "sim-test-webhook-secret";
    public static readonly int[] DefaultEvents = [2, 3, 4, 5, 6, 8, 9];

    private SimulatorHarness(WebhookInbox inbox, RtmsSimulator simulator)
    {
        Inbox = inbox;
        Simulator = simulator;
    }

    public WebhookInbox Inbox { get; }

    public RtmsSimulator Simulator { get; }

    /// <summary>Short keep-alive interval; long reconnect windows unless a test shortens them.</summary>
    public static async Task<SimulatorHarness> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var inbox = await WebhookInbox.StartAsync(WebhookSecret);
        var options = new SimulatorOptions
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            WebhookSecretToken = WebhookSecret,
            WebhookUrl = inbox.Url,
            KeepAliveInterval = TimeSpan.FromMilliseconds(200),
            SignalingReconnectWindow = TimeSpan.FromSeconds(30),
            MediaReconnectWindow = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        return new SimulatorHarness(inbox, await RtmsSimulator.StartAsync(options));
    }

    public static MeetingOptions FastMeeting() => new()
    {
        TranscriptInterval = TimeSpan.FromMilliseconds(100),
        ActiveSpeakerInterval = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>Adds and starts a meeting, returning the <c>rtms_started</c> webhook it sent.</summary>
    public async Task<(SimulatedMeeting Meeting, ReceivedWebhook Started)> StartMeetingAsync(MeetingOptions? options = null)
    {
        var meeting = Simulator.AddMeeting(options ?? FastMeeting());
        await meeting.StartAsync(CancellationToken.None);
        return (meeting, await Inbox.ExpectAsync("rtms_started", meeting.StreamId));
    }

    public static JsonObject SignalingRequest(SimulatedMeeting meeting, string? signature = null, string? streamId = null, bool? bufferData = null)
    {
        var request = new JsonObject
        {
            ["msg_type"] = 1,
            ["protocol_version"] = 1,
            ["sequence"] = 1,
            ["meeting_uuid"] = meeting.InstanceId,
            ["rtms_stream_id"] = streamId ?? meeting.StreamId,
            ["signature"] = signature ?? RawRtmsClient.Sign(ClientId, ClientSecret, meeting.InstanceId, meeting.StreamId),
        };
        if (bufferData is { } buffer)
        {
            request["buffer_data"] = buffer;
        }
        return request;
    }

    public static JsonObject DataRequest(SimulatedMeeting meeting, int mediaType, JsonObject? mediaParams = null, string? signature = null)
    {
        var request = new JsonObject
        {
            ["msg_type"] = 3,
            ["protocol_version"] = 1,
            ["sequence"] = 2,
            ["meeting_uuid"] = meeting.InstanceId,
            ["rtms_stream_id"] = meeting.StreamId,
            ["signature"] = signature ?? RawRtmsClient.Sign(ClientId, ClientSecret, meeting.InstanceId, meeting.StreamId),
            ["media_type"] = mediaType,
            ["payload_encryption"] = false,
        };
        if (mediaParams is not null)
        {
            request["media_params"] = mediaParams;
        }
        return request;
    }

    /// <summary>Signaling handshake (1 → 2), then an event subscription (5). Returns the client and the handshake response.</summary>
    public async Task<(RawRtmsClient Client, JsonObject Response)> SignalAsync(SimulatedMeeting meeting, int[]? events = null, bool? bufferData = null)
    {
        var client = await RawRtmsClient.ConnectAsync(Simulator.SignalingUri, "signaling");
        await client.SendAsync(SignalingRequest(meeting, bufferData: bufferData));
        var response = await client.ExpectAsync(2);
        if ((int)response["status_code"]! == 0 && (events ?? DefaultEvents) is { Length: > 0 } subscribe)
        {
            var subscription = new JsonArray();
            foreach (var type in subscribe)
            {
                subscription.Add(new JsonObject { ["event_type"] = type, ["subscribe"] = true });
            }
            await client.SendAsync(new JsonObject { ["msg_type"] = 5, ["events"] = subscription });
        }
        return (client, response);
    }

    /// <summary>Data handshake (3 → 4) on the media URL for <paramref name="key"/>, then CLIENT_READY_ACK (7) on signaling.</summary>
    public static async Task<(RawRtmsClient Client, JsonObject Response)> MediaAsync(
        SimulatedMeeting meeting, RawRtmsClient signaling, JsonObject signalingResponse, string key, int mediaType, JsonObject? mediaParams = null, bool ack = true)
    {
        var url = (string)signalingResponse["media_server"]!["server_urls"]![key]!;
        var client = await RawRtmsClient.ConnectAsync(new Uri(url), key);
        await client.SendAsync(DataRequest(meeting, mediaType, mediaParams));
        var response = await client.ExpectAsync(4);
        if (ack && (int)response["status_code"]! == 0)
        {
            await signaling.SendAsync(new JsonObject { ["msg_type"] = 7, ["rtms_stream_id"] = meeting.StreamId });
        }
        return (client, response);
    }

    /// <summary>A started meeting with a client streaming on one unified (<c>all</c>) media socket (media flowing, nothing consumed).</summary>
    public async Task<Session> StreamingAsync(MeetingOptions? options = null, JsonObject? mediaParams = null)
    {
        var (meeting, started) = await StartMeetingAsync(options);
        var (signaling, response) = await SignalAsync(meeting);
        var (media, _) = await MediaAsync(meeting, signaling, response, "all", 32, mediaParams);
        using var timeout = new CancellationTokenSource(RawRtmsClient.Timeout);
        await meeting.WaitForStreamingAsync(timeout.Token);
        return new Session(meeting, started, signaling, media);
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        await Inbox.DisposeAsync();
    }
}

/// <summary>A meeting and the sockets of the client streaming it.</summary>
internal sealed record Session(SimulatedMeeting Meeting, ReceivedWebhook Started, RawRtmsClient Signaling, RawRtmsClient Media) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Signaling.DisposeAsync();
        await Media.DisposeAsync();
    }
}
