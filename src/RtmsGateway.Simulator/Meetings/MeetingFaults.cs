using System.Net;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// Fault injection for one meeting: what goes wrong with Zoom in production (dropped sockets, silent keep-alives,
/// malformed, fragmented and binary frames, duplicate rejections, host pause, stops, RTMS server failover).
/// </summary>
public sealed class MeetingFaults
{
    private readonly SimulatedMeeting _meeting;
    private volatile bool _fragment;
    private volatile bool _binary;
    private volatile bool _signalingPingsSuppressed;
    private volatile bool _mediaPingsSuppressed;

    internal MeetingFaults(SimulatedMeeting meeting, bool binaryFrames)
    {
        _meeting = meeting;
        _binary = binaryFrames;
    }

    /// <summary>Split every message into three WebSocket frames (continuation frames), on every socket of the meeting.</summary>
    public bool FragmentFrames
    {
        get => _fragment;
        set => _fragment = value;
    }

    /// <summary>Send JSON in binary WebSocket frames, on every socket of the meeting (default: <see cref="SimulatorOptions.BinaryFrames"/>).</summary>
    public bool BinaryFrames
    {
        get => _binary;
        set => _binary = value;
    }

    public bool SignalingKeepAlivesSuppressed => _signalingPingsSuppressed;

    public bool MediaKeepAlivesSuppressed => _mediaPingsSuppressed;

    /// <summary>Stops (true) or resumes (false) sending KEEP_ALIVE_REQ on the signaling and/or the media sockets.</summary>
    public void SuppressKeepAlives(bool signaling, bool media)
    {
        _signalingPingsSuppressed = signaling;
        _mediaPingsSuppressed = media;
    }

    /// <summary>The signaling socket drops (no close handshake): media sockets drop too, and the returned task completes
    /// when the <c>rtms_interrupted</c> webhook was delivered. The stream then waits for a new signaling handshake.</summary>
    public async Task DropSignalingAsync(CancellationToken ct = default) => await _meeting.DropSignaling().WaitAsync(ct);

    /// <summary>
    /// The signaling socket drops as with <see cref="DropSignalingAsync"/>, but the <c>rtms_interrupted</c> webhook is held
    /// back, as Zoom's webhooks sometimes are (seconds, even minutes): returns the <c>event_ts</c> (the simulator's clock, ms)
    /// Zoom would have stamped it with, so a test can deliver it late itself.
    /// </summary>
    public long DropSignalingDelayingWebhook()
    {
        var eventTs = _meeting.ZoomNowWall;
        _ = _meeting.DropSignaling(announce: false);
        return eventTs;
    }

    /// <summary>The media socket(s) carrying <paramref name="type"/> drop (all media sockets when null): the client hears
    /// EVENT_UPDATE 7 and STREAM_STATE_UPDATE 2 (reason 14) on signaling.</summary>
    public Task DropMediaAsync(MediaDataType? type = null)
    {
        _meeting.DropMedia(type);
        return Task.CompletedTask;
    }

    /// <summary>The media socket(s) carrying <paramref name="type"/> go silent without closing (Zoom lost them, the TCP
    /// connection did not notice): nothing more is sent on them, not even keep-alives, and the client hears EVENT_UPDATE 7
    /// and STREAM_STATE_UPDATE 2 (reason 14) on signaling. Only the client can end such a socket.</summary>
    public void StallMedia(MediaDataType type) => _meeting.StallMedia(type);

    /// <summary>Sends a frame that is not valid JSON (truncated) on a media socket, or on signaling.</summary>
    public Task SendMalformedFrameAsync(bool onSignaling = false)
    {
        Require(_meeting.SendRaw("{\"msg_type\":14,\"content\":{\"user_id\":0,\"data\":\"AAAA", onSignaling));
        return Task.CompletedTask;
    }

    /// <summary>Sends an audio message whose <c>data</c> is not base64, on the media socket that carries audio.</summary>
    public Task SendInvalidBase64Async()
    {
        Require(_meeting.SendRaw($"{{\"msg_type\":14,\"content\":{{\"user_id\":0,\"data\":\"@@ not base64 @@\",\"length\":12,\"timestamp\":{_meeting.ZoomNow}}}}}", onSignaling: false));
        return Task.CompletedTask;
    }

    /// <summary>The next signaling handshake is refused with status 8 and "duplicate signal request" (without a live duplicate).</summary>
    public void RejectNextSignalingAsDuplicate() => _meeting.RejectNextSignaling();

    /// <summary>
    /// Answers every later signaling (<paramref name="signaling"/>) and/or data (<paramref name="data"/>) handshake with a
    /// refusal that carries no <c>status_code</c> (only a <c>reason</c>): a response the protocol does not allow (§3.4, §4.4),
    /// which a client can neither read as success nor retry its way out of. Both false: answer normally again.
    /// </summary>
    public void AnswerHandshakesWithoutStatus(bool signaling, bool data) => _meeting.SetStatuslessHandshakes(signaling, data);

    /// <summary>
    /// Data handshakes whose <c>media_type</c> includes any of these types are accepted with the encryption flag true
    /// (<c>payload_encryption</c>, or <c>payload_encrypted</c> with <see cref="WireVariants.PayloadEncryptedFlag"/>); media then
    /// flows on them as usual, as ciphertext would. <see cref="MediaDataType"/> 0 (the default): no socket is encrypted.
    /// </summary>
    public MediaDataType EncryptedPayloads
    {
        get => _meeting.EncryptedPayloads;
        set => _meeting.EncryptedPayloads = value;
    }

    /// <summary>The host pauses the stream: STREAM_STATE_UPDATE 5 and SESSION_STATE_UPDATE 3; no media until resumed.</summary>
    public Task PauseAsync()
    {
        _meeting.SetPaused(true);
        return Task.CompletedTask;
    }

    /// <summary>The host resumes: STREAM_STATE_UPDATE 6 and SESSION_STATE_UPDATE 4; media flows again.</summary>
    public Task ResumeAsync()
    {
        _meeting.SetPaused(false);
        return Task.CompletedTask;
    }

    /// <summary>Stops the stream mid-way with any reason (STREAM_STATE_UPDATE 4 + <c>rtms_stopped</c>); same as <see cref="SimulatedMeeting.StopAsync"/>.</summary>
    public Task<HttpStatusCode> StopAsync(StopReason reason, CancellationToken ct = default) => _meeting.StopAsync(reason, ct);

    /// <summary>Zoom's RTMS server fails over: every connection drops abruptly, then a repeated <c>rtms_started</c> with the
    /// same stream id is posted (its HTTP status is returned).</summary>
    public Task<HttpStatusCode> FailoverAsync(CancellationToken ct = default) => _meeting.FailoverAsync(ct);

    private void Require(bool sent)
    {
        if (!sent)
        {
            throw new InvalidOperationException($"Meeting {_meeting.StreamId} has no connected socket to send the frame on.");
        }
    }
}
