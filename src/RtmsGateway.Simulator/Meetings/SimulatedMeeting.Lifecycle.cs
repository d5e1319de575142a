using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>Stopping, pausing, failover and the other fault injections, and the signaling messages they produce.</summary>
public sealed partial class SimulatedMeeting
{
    /// <summary>Marks the stream stopped, sends the final state updates, detaches every socket (returned for closing)
    /// and queues <c>rtms_stopped</c>.</summary>
    private (List<SimConnection> Connections, Task<HttpStatusCode> Webhook) EndStream(StopReason reason)
    {
        (List<SimConnection> Connections, Task<HttpStatusCode> Webhook) ended;
        bool first;
        lock (_lock)
        {
            if (!_started)
            {
                throw new InvalidOperationException($"Meeting {StreamId} was not started.");
            }
            first = !_stopped;
            ended = EndStreamLocked(reason);
        }
        if (first)
        {
            LogStopped(StreamId, (int)reason, reason);
        }
        Changed();
        return ended;
    }

    /// <summary><see cref="EndStream"/> for a caller holding the lock (the connections still need closing).</summary>
    private (List<SimConnection> Connections, Task<HttpStatusCode> Webhook) EndStreamLocked(StopReason reason)
    {
        List<SimConnection> connections = [];
        if (_stopped)
        {
            return (connections, _stoppedWebhook!);
        }
        _stopped = true;
        _live = false;
        _signalingDeadline = null;
        _mediaDeadline = null;
        if (_signaling is { } signaling)
        {
            SendStreamState(RtmsStreamState.Terminated, reason);
            SendSessionState(RtmsSessionState.Stopped, reason);
            SendEvent(EventType.ParticipantLeave, participants: _participants);
            connections.Add(signaling);
            DetachSignaling(signaling);
        }
        connections.AddRange(DetachAllMedia());
        // A webhook-first stop queued rtms_stopped already.
        _stoppedWebhook ??= EnqueueWebhook("rtms_stopped", reason);
        return (connections, _stoppedWebhook);
    }

    /// <summary>
    /// <see cref="StopOrder.WebhookFirst"/>: posts <c>rtms_stopped</c> and waits for its answer while signaling is still
    /// live; then ends the stream on signaling exactly like <see cref="StopAsync(StopReason, CancellationToken)"/>, without
    /// a second webhook. A client that closes signaling on the webhook meanwhile causes no <c>rtms_interrupted</c>.
    /// </summary>
    private async Task<HttpStatusCode> StopWebhookFirstAsync(StopReason reason, CancellationToken ct)
    {
        Task<HttpStatusCode> webhook;
        lock (_lock)
        {
            if (!_started)
            {
                throw new InvalidOperationException($"Meeting {StreamId} was not started.");
            }
            webhook = _stoppedWebhook ??= EnqueueWebhook("rtms_stopped", reason);
        }
        var status = await webhook.WaitAsync(ct);
        var (connections, _) = EndStream(reason);
        await Task.WhenAll(connections.Select(c => c.CloseAsync(WebSocketCloseStatus.NormalClosure, "stream stopped")));
        return status;
    }

    /// <summary>The host pauses or resumes: STREAM_STATE_UPDATE 5/6 and SESSION_STATE_UPDATE 3/4; no media while paused.</summary>
    internal void SetPaused(bool paused)
    {
        lock (_lock)
        {
            if (!_started || _stopped || _paused == paused)
            {
                return;
            }
            _paused = paused;
            SendStreamState(paused ? RtmsStreamState.Paused : RtmsStreamState.Resumed, StopReason.Undefined);
            SendSessionState(paused ? RtmsSessionState.Paused : RtmsSessionState.Resumed, null);
        }
        LogPaused(StreamId, paused);
        Changed();
    }

    /// <summary>Zoom's RTMS server fails: every connection drops abruptly (no messages, no <c>rtms_interrupted</c>), then a
    /// new <c>rtms_started</c> arrives for the same stream id. Audio keeps buffering for the reconnect.</summary>
    internal Task<HttpStatusCode> FailoverAsync(CancellationToken ct)
    {
        List<SimConnection> connections;
        Task<HttpStatusCode> webhook;
        lock (_lock)
        {
            if (!_started || _stopped)
            {
                throw new InvalidOperationException($"Meeting {StreamId} is not live.");
            }
            connections = DetachAllMedia();
            if (_signaling is { } signaling)
            {
                connections.Add(signaling);
                DetachSignaling(signaling);
            }
            Counters.Interruption();
            _mediaDeadline = null;
            _signalingDeadline = _clock.MonoMs + (long)_options.SignalingReconnectWindow.TotalMilliseconds;
            webhook = EnqueueWebhook("rtms_started");
        }
        foreach (var connection in connections)
        {
            connection.Abort();
        }
        LogFailover(StreamId);
        Changed();
        return webhook.WaitAsync(ct);
    }

    /// <summary>Drops the signaling socket like a network failure and returns the <c>rtms_interrupted</c> delivery
    /// (<paramref name="announce"/> false: no webhook is posted, as when Zoom's is delayed).</summary>
    internal Task<HttpStatusCode> DropSignaling(bool announce = true)
    {
        SimConnection? signaling;
        lock (_lock)
        {
            signaling = _signaling;
        }
        if (signaling is null)
        {
            return Task.FromResult<HttpStatusCode>(0);
        }
        signaling.Abort();
        return OnSignalingLost(signaling, announce);
    }

    /// <summary>Drops the media sockets carrying <paramref name="type"/> (all media sockets when null).</summary>
    internal void DropMedia(MediaDataType? type)
    {
        List<SimConnection> victims;
        lock (_lock)
        {
            victims = _media.FindAll(m => type is not { } t || m.MediaType.HasFlag(MediaDataType.All) || (m.MediaType & t) != 0);
        }
        foreach (var media in victims)
        {
            media.Abort();
            OnMediaLost(media);
        }
    }

    /// <summary>Zoom loses the media sockets carrying <paramref name="type"/> without their TCP connections noticing: they
    /// stay open but nothing more is sent on them (no media, no keep-alive), and the client hears event 7 and stream
    /// state 2/14 as for any lost media socket.</summary>
    internal void StallMedia(MediaDataType type)
    {
        List<SimConnection> victims;
        lock (_lock)
        {
            victims = _media.FindAll(m => m.MediaType.HasFlag(MediaDataType.All) || (m.MediaType & type) != 0);
        }
        foreach (var media in victims)
        {
            OnMediaLost(media);
        }
    }

    internal void SetStatuslessHandshakes(bool signaling, bool data)
    {
        lock (_lock)
        {
            (_statuslessSignaling, _statuslessData) = (signaling, data);
        }
    }

    internal MediaDataType EncryptedPayloads
    {
        get
        {
            lock (_lock)
            {
                return _encryptedPayloads;
            }
        }
        set
        {
            lock (_lock)
            {
                _encryptedPayloads = value;
            }
        }
    }

    internal void RejectNextSignaling()
    {
        lock (_lock)
        {
            _rejectNextAsDuplicate = true;
        }
    }

    /// <summary>Queues a raw frame on the signaling socket or on a media socket (preferring one that carries audio).</summary>
    internal bool SendRaw(string text, bool onSignaling)
    {
        lock (_lock)
        {
            var target = onSignaling ? _signaling : _media.Find(m => m.Carries(MediaDataType.Audio)) ?? _media.FirstOrDefault() ?? _signaling;
            return target?.SendControl(Encoding.UTF8.GetBytes(text)) ?? false;
        }
    }

    /// <summary>Zoom's wall clock now (epoch ms), the clock of <c>event_ts</c> and keep-alive timestamps.</summary>
    internal long ZoomNowWall => _clock.WallMs;

    internal long ZoomNow
    {
        get
        {
            lock (_lock)
            {
                return ZoomTimestamp(_clock.MonoMs);
            }
        }
    }

    /// <summary>EVENT_UPDATE to the signaling client, if it subscribed (1 and 7 are always sent, §3.4).</summary>
    private void SendEvent(EventType type, Participant? user = null, IEnumerable<Participant>? participants = null, bool names = false, long? timestamp = null)
    {
        if (Options.Product == SimulatedProduct.ContactCenter && type is >= EventType.ParticipantVideoOn and <= EventType.ChatGroupMemberStatusUpdate)
        {
            return; // 8-14 mean ZCC voice events on a Contact Center stream (§3.6): no meeting video/chat-group events there
        }
        SendEventCode((int)type, user, participants, names, timestamp);
    }

    /// <summary>EVENT_UPDATE with a raw event type (meeting or ZCC enum), if subscribed (1 and 7 are always sent).</summary>
    private void SendEventCode(int type, Participant? user, IEnumerable<Participant>? participants, bool names, long? timestamp)
    {
        if (_signaling is not { } signaling
            || (type is not ((int)EventType.FirstPacketTimestamp or (int)EventType.MediaConnectionInterrupted) && !signaling.SubscribedEvents.Contains(type)))
        {
            return;
        }
        var evt = new RtmsEvent { EventType = type, Timestamp = timestamp ?? _clock.WallMs };
        if (user is not null)
        {
            evt.UserId = RtmsUserId.FromNumber(user.UserId);
            evt.UserName = user.Name;
        }
        if (participants is not null)
        {
            evt.Participants = [.. participants.Select(p => new RtmsParticipant { UserId = RtmsUserId.FromNumber(p.UserId), UserName = names ? p.Name : null })];
        }
        var sent = Options.Variants.UserIdsAsStrings
            ? signaling.SendControl(UserIdText.Quote(RtmsMessageWriter.ToUtf8Bytes(new EventUpdate { Event = evt }), "event"))
            : signaling.Send(new EventUpdate { Event = evt });
        if (sent)
        {
            Counters.Event();
        }
    }

    /// <summary>A ZCC voice event as the Contact Center events page shows it: <c>event_type</c>, <c>event_ts</c> and, for
    /// a party, <c>participant_info</c>.</summary>
    private void SendContactCenterEvent(int type, Participant? party)
    {
        if (_signaling is not { } signaling || !signaling.SubscribedEvents.Contains(type))
        {
            return;
        }
        var evt = new RtmsEvent { EventType = type, EventTs = _clock.WallMs };
        if (party is not null)
        {
            var position = _participants.IndexOf(party) + 1;
            var channel = PartyChannel.Of(position, Options.Variants.NumericChannelIds);
            var info = new ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(info))
            {
                w.WriteStartObject();
                if (channel.IsNumber)
                {
                    w.WriteNumber("channel_id"u8, channel.Number);
                }
                else
                {
                    w.WriteString("channel_id"u8, channel.Text);
                }
                w.WriteString("participant_mode"u8, position == 1 ? "caller" : "agent");
                w.WriteString("user_id"u8, party.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("display_name"u8, party.Name);
                w.WriteEndObject();
            }
            using var document = JsonDocument.Parse(info.WrittenMemory);
            evt.Extra = new() { ["participant_info"] = document.RootElement.Clone() };
        }
        if (signaling.Send(new EventUpdate { Event = evt }))
        {
            Counters.Event();
        }
    }

    private void SendStreamState(RtmsStreamState state, StopReason reason)
    {
        if (_signaling?.Send(new StreamStateUpdate { RtmsStreamId = StreamId, State = state, Reason = reason, Timestamp = _clock.WallMs }) == true)
        {
            Counters.StateUpdate();
        }
    }

    private void SendSessionState(RtmsSessionState state, StopReason? stopReason)
    {
        var update = new SessionStateUpdate { RtmsSessionId = RtmsSessionId, State = state, Timestamp = _clock.WallMs };
        if (Options.Variants.SessionStopAsReason)
        {
            update.ReasonField = stopReason;
        }
        else
        {
            update.StopReasonField = stopReason;
        }
        if (_signaling?.Send(update) == true)
        {
            Counters.StateUpdate();
        }
    }
}
