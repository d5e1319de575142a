using System.Net;
using System.Text;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// Fault injection for one meeting: what goes wrong with Zoom in production (dropped sockets, silent keep-alives,
/// malformed and fragmented frames, duplicate rejections, host pause, RTMS server failover).
/// </summary>
public sealed class MeetingFaults
{
    private readonly SimulatedMeeting _meeting;

    internal MeetingFaults(SimulatedMeeting meeting) => _meeting = meeting;

    /// <summary>Split every message into three WebSocket frames.</summary>
    public bool FragmentFrames { get; set; }

    /// <summary>Send JSON in binary frames.</summary>
    public bool BinaryFrames { get; set; }

    internal bool SignalingPingsSuppressed { get; private set; }

    internal bool MediaPingsSuppressed { get; private set; }

    /// <summary>Stop (or resume) sending keep-alives on signaling and/or media sockets.</summary>
    public void SuppressKeepAlives(bool signaling, bool media)
    {
        SignalingPingsSuppressed = signaling;
        MediaPingsSuppressed = media;
    }

    /// <summary>The signaling socket drops (no close handshake): media drops too, <c>rtms_interrupted</c> follows.</summary>
    public Task DropSignalingAsync()
    {
        if (_meeting.SignalingConnection is { } signaling)
        {
            signaling.Abort();
            _meeting.OnSignalingLost(signaling);
        }
        return Task.CompletedTask;
    }

    /// <summary>Media socket(s) carrying <paramref name="type"/> (all when null) drop.</summary>
    public Task DropMediaAsync(MediaDataType? type)
    {
        foreach (var media in _meeting.MediaConnections(type))
        {
            media.Abort();
            _meeting.OnMediaLost(media);
        }
        return Task.CompletedTask;
    }

    /// <summary>Sends a frame that is not JSON on the media socket (signaling when there is none).</summary>
    public Task SendMalformedFrameAsync()
    {
        Target()?.SendRaw(Encoding.UTF8.GetBytes("{\"msg_type\": 14, \"content\": {\"user_id\": 0, \"data\": "));
        return Task.CompletedTask;
    }

    /// <summary>Sends an audio message whose data is not base64.</summary>
    public Task SendInvalidBase64Async()
    {
        Target()?.SendRaw(Encoding.UTF8.GetBytes("{\"msg_type\":14,\"content\":{\"user_id\":0,\"data\":\"@@not*base64@@\",\"timestamp\":1}}"));
        return Task.CompletedTask;
    }

    /// <summary>The next signaling handshake is refused with status 8 "duplicate signal request".</summary>
    public void RejectNextSignalingAsDuplicate() => _meeting.RejectNextSignaling();

    /// <summary>The host pauses the stream: state updates, no media until resumed.</summary>
    public Task PauseAsync()
    {
        _meeting.SetPaused(true);
        return Task.CompletedTask;
    }

    public Task ResumeAsync()
    {
        _meeting.SetPaused(false);
        return Task.CompletedTask;
    }

    /// <summary>Zoom's RTMS server fails over: connections drop, a repeated <c>rtms_started</c> is sent.</summary>
    public Task<HttpStatusCode> FailoverAsync(CancellationToken ct = default) => _meeting.FailoverAsync(ct);

    private SimConnection? Target() => _meeting.MediaConnections(null).FirstOrDefault(m => m.IsOpen) ?? _meeting.SignalingConnection;
}
