using System.Text.Json.Nodes;

namespace RtmsGateway.Simulator.Tests;

/// <summary>A simulator with a webhook inbox, and the client side of the RTMS handshakes written out step by step.</summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    public const string ClientId = "sim-test-client";
    public const string ClientSecret = "sim-test-secret";
    public const string WebhookSecret = "sim-test-webhook-secret";

    private SimulatorHarness(WebhookInbox inbox, RtmsSimulator simulator)
    {
        Inbox = inbox;
        Simulator = simulator;
    }

    public WebhookInbox Inbox { get; }

    public RtmsSimulator Simulator { get; }

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

    /// <summary>Adds and starts a meeting, returning the <c>rtms_started</c> webhook it sent.</summary>
    public async Task<(SimulatedMeeting Meeting, ReceivedWebhook Started)> StartMeetingAsync(MeetingOptions? options = null)
    {
        var meeting = Simulator.AddMeeting(options ?? new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(100), ActiveSpeakerInterval = TimeSpan.FromMilliseconds(300) });
        await meeting.StartAsync(CancellationToken.None);
        return (meeting, await Inbox.ExpectAsync("rtms_started"));
    }

    public static JsonObject SignalingRequest(SimulatedMeeting meeting, string? signature = null, string? streamId = null) => new()
    {
        ["msg_type"] = 1,
        ["protocol_version"] = 1,
        ["sequence"] = 1,
        ["meeting_uuid"] = meeting.InstanceId,
        ["rtms_stream_id"] = streamId ?? meeting.StreamId,
        ["signature"] = signature ?? RawRtmsClient.Sign(ClientId, ClientSecret, meeting.InstanceId, meeting.StreamId),
    };

    public static JsonObject DataRequest(SimulatedMeeting meeting, int mediaType, JsonObject? mediaParams = null)
    {
        var request = new JsonObject
        {
            ["msg_type"] = 3,
            ["protocol_version"] = 1,
            ["sequence"] = 2,
            ["meeting_uuid"] = meeting.InstanceId,
            ["rtms_stream_id"] = meeting.StreamId,
            ["signature"] = RawRtmsClient.Sign(ClientId, ClientSecret, meeting.InstanceId, meeting.StreamId),
            ["media_type"] = mediaType,
            ["payload_encryption"] = false,
        };
        if (mediaParams is not null)
        {
            request["media_params"] = mediaParams;
        }
        return request;
    }

    /// <summary>Signaling handshake + event subscription. Returns the client and the handshake response.</summary>
    public async Task<(RawRtmsClient Client, JsonObject Response)> SignalAsync(SimulatedMeeting meeting, int[]? events = null)
    {
        var client = await RawRtmsClient.ConnectAsync(Simulator.SignalingUri);
        await client.SendAsync(SignalingRequest(meeting));
        var response = await client.ExpectAsync(2);
        var subscription = new JsonArray();
        foreach (var type in events ?? [2, 3, 4, 5, 6, 8, 9])
        {
            subscription.Add(new JsonObject { ["event_type"] = type, ["subscribe"] = true });
        }
        await client.SendAsync(new JsonObject { ["msg_type"] = 5, ["events"] = subscription });
        return (client, response);
    }

    /// <summary>Data handshake on a media URL, then CLIENT_READY_ACK on signaling.</summary>
    public async Task<(RawRtmsClient Client, JsonObject Response)> MediaAsync(SimulatedMeeting meeting, RawRtmsClient signaling, JsonObject signalingResponse, string key, int mediaType, JsonObject? mediaParams = null)
    {
        var url = (string)signalingResponse["media_server"]!["server_urls"]![key]!;
        var client = await RawRtmsClient.ConnectAsync(new Uri(url));
        await client.SendAsync(DataRequest(meeting, mediaType, mediaParams));
        var response = await client.ExpectAsync(4);
        if ((int)response["status_code"]! == 0)
        {
            await signaling.SendAsync(new JsonObject { ["msg_type"] = 7, ["rtms_stream_id"] = meeting.StreamId });
        }
        return (client, response);
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        await Inbox.DisposeAsync();
    }
}
