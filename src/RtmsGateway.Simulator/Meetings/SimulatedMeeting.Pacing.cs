using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// What the pacing loop does for a meeting each tick: keep-alives and their timeouts, reconnect-window expiry, and the
/// media that is due. Audio lives on a 20 ms-unit timeline anchored at <see cref="Begin"/>: produced units go to the
/// backlog (skipped while paused or when everyone is muted), and the backlog drains in packets of the negotiated
/// send rate whose timestamps advance by exactly the send rate. Video and share are not buffered (as in Zoom).
/// </summary>
public sealed partial class SimulatedMeeting
{
    private const int MaxPacketsPerTick = 250;
    private const int MaxSpeakersPerPacket = 3;
    private readonly List<Participant> _speaking = new(MaxSpeakersPerPacket);
    private long _epochMono;
    private bool _lostToKeepAlive;
    private long _epochWall;
    private long _producedUnits;
    private long _nextVideoMs;
    private long _nextShareMs;
    private long _nextTranscriptMs;
    private long _nextSpeakerMs;
    private long _videoFrame;
    private long _shareFrame;
    private (SimConnection? To, Participant? From, long FirstFrame) _videoRun;
    private (SimConnection? To, Participant? From, long FirstFrame) _shareRun;
    private int _transcriptIndex;
    private long _nextChatMs;
    private int _chatIndex;

    /// <summary>Produces what is due at pacing time <paramref name="now"/> (ms). Called by the pacing loop; never blocks.</summary>
    internal void Tick(long now)
    {
        List<SimConnection>? timedOut;
        StopReason? expired;
        lock (_lock)
        {
            if (!_live)
            {
                return;
            }
            timedOut = KeepAlives(now);
            expired = ReconnectWindowExpired(now);
            ProduceAudio(now);
            ProduceVideo(now);
            ProduceShare(now);
            ProduceTranscript(now);
            ProduceChat(now);
            if (now >= _nextSpeakerMs)
            {
                _nextSpeakerMs = now + Math.Max(10, (long)Options.ActiveSpeakerInterval.TotalMilliseconds);
                RotateSpeaker();
            }
        }
        foreach (var connection in timedOut ?? [])
        {
            Counters.KeepAliveTimeout();
            LogKeepAliveTimeout(StreamId, connection.Role, _options.MaxMissedKeepAlives);
            connection.Abort();
            OnConnectionLost(connection);
        }
        if (expired is { } reason)
        {
            _simulator.Background.Run(() => StopAsync(reason), $"ending {StreamId}: reconnect window expired");
        }
        Changed();
    }

    private List<SimConnection>? KeepAlives(long now)
    {
        List<SimConnection>? timedOut = null;
        if (_signaling is { } signaling)
        {
            Ping(signaling, now, Faults.SignalingKeepAlivesSuppressed, ref timedOut);
        }
        foreach (var media in _media)
        {
            Ping(media, now, Faults.MediaKeepAlivesSuppressed, ref timedOut);
        }
        return timedOut;
    }

    /// <summary>KEEP_ALIVE_REQ every interval; a socket that left <see cref="SimulatorOptions.MaxMissedKeepAlives"/> in a row unanswered is dropped.</summary>
    private void Ping(SimConnection connection, long now, bool suppressed, ref List<SimConnection>? timedOut)
    {
        if (now < connection.NextPingDueMs)
        {
            return;
        }
        connection.NextPingDueMs = now + PingIntervalMs;
        if (suppressed)
        {
            return;
        }
        if (connection.OutstandingPings > 0)
        {
            Counters.KeepAliveMissed();
            if (connection.OutstandingPings >= _options.MaxMissedKeepAlives)
            {
                (timedOut ??= []).Add(connection);
                _lostToKeepAlive = true;
                return;
            }
        }
        var timestamp = _clock.WallMs;
        connection.RecordPing(timestamp);
        if (connection.Send(new KeepAliveRequest { Timestamp = timestamp }))
        {
            Counters.KeepAliveSent();
        }
    }

    /// <summary>The stop reason when a reconnect window ran out: 24 KEEP_ALIVE_TIMEOUT if the connection was dropped for
    /// unanswered keep-alives and never replaced, else 19 AWAIT_RECONNECTION_TIMEOUT. Null while nothing expired.</summary>
    private StopReason? ReconnectWindowExpired(long now)
    {
        var reason = _lostToKeepAlive ? StopReason.KeepAliveTimeout : StopReason.AwaitReconnectionTimeout;
        if (_signalingDeadline is { } signaling && now >= signaling && _signaling is null)
        {
            _signalingDeadline = null;
            return reason;
        }
        if (_mediaDeadline is { } media && now >= media)
        {
            _mediaDeadline = null;
            return reason;
        }
        return null;
    }

    private void ProduceAudio(long now)
    {
        var target = (now - _epochMono) / VoiceLoop.UnitMs;
        if (target > _producedUnits)
        {
            if (!_paused && _participants.Exists(static p => !p.Muted))
            {
                _backlog.Add(_producedUnits, target - _producedUnits);
            }
            _producedUnits = target;
        }
        var connection = MediaFor(MediaDataType.Audio);
        var units = 1;
        if (connection?.MediaParams?.Audio is { } audio)
        {
            units = Math.Max(1, (audio.SendRate ?? VoiceLoop.UnitMs) / VoiceLoop.UnitMs);
            for (var sent = 0; sent < MaxPacketsPerTick; sent++)
            {
                // More than one packet waiting means buffered audio: replay it only as fast as the client takes it.
                if (_backlog.Units > units && connection.MediaRoom < (MaxSpeakersPerPacket * 2) + 8)
                {
                    break;
                }
                if (!_backlog.TryTake(units, out var start, out var count))
                {
                    break;
                }
                SendAudio(connection, audio, start, count, replayed: _producedUnits - (start + count) >= units);
            }
        }
        var dropped = _backlog.TrimTo((long)(_options.AudioBufferLimit.TotalMilliseconds / VoiceLoop.UnitMs));
        if (connection is not null)
        {
            // A connected client too slow to drain the buffer loses the oldest audio: count it as dropped packets.
            for (var i = 0L; i < dropped / units; i++)
            {
                Counters.Dropped();
            }
        }
    }

    private void SendAudio(SimConnection connection, AudioParams audio, long start, int units, bool replayed)
    {
        var rate = MediaFormats.SampleRateHz(audio.SampleRate ?? AudioSampleRate.Rate16K);
        var channels = audio.Channel == AudioChannel.Stereo ? 2 : 1;
        var codec = audio.Codec ?? MediaCodec.L16;
        var timestamp = _epochWall + (start * VoiceLoop.UnitMs);
        DateTimeOffset? stamp = _options.EmbedSendTimestamps && !VoiceLibrary.IsCompressed(codec) ? _clock.UtcNow : null;
        if (audio.DataOpt == MediaDataOption.AudioMultiStreams)
        {
            // One stream per speaker, each with its own user_id and name (up to 3 speakers per packet time, §4.3).
            foreach (var speaker in Speaking())
            {
                var slice = Voice(speaker, rate, channels, codec).Slice(start, units);
                if (connection.SendMedia(MediaFrames.Audio(speaker.UserId, speaker.NameJson, slice, timestamp, stamp, IdsAsStrings, ChannelOf(speaker))))
                {
                    Counters.Audio(timestamp, replayed);
                    _mediaFlowing = true;
                }
            }
            return;
        }
        // The mixed stream: user_id 0 and no user_name (§4.6); the loudest voice is the active speaker's.
        var voice = _activeSpeaker is { Muted: false } active ? active : _participants.Find(static p => !p.Muted);
        if (voice is not null && connection.SendMedia(MediaFrames.Audio(0, null, Voice(voice, rate, channels, codec).Slice(start, units), timestamp, stamp, IdsAsStrings, voice is null ? null : ChannelOf(voice))))
        {
            Counters.Audio(timestamp, replayed);
            _mediaFlowing = true;
        }
    }

    /// <summary>Unmuted participants, the active speaker first, at most three.</summary>
    private List<Participant> Speaking()
    {
        _speaking.Clear();
        if (_activeSpeaker is { Muted: false } active)
        {
            _speaking.Add(active);
        }
        foreach (var p in _participants)
        {
            if (_speaking.Count == MaxSpeakersPerPacket)
            {
                break;
            }
            if (!p.Muted && p != _activeSpeaker)
            {
                _speaking.Add(p);
            }
        }
        return _speaking;
    }

    private VoiceLoop Voice(Participant speaker, int rate, int channels, MediaCodec codec) =>
        Options.AudioWavPath is { } path ? VoiceLibrary.Wav(path, rate, channels, codec) : VoiceLibrary.Tone(speaker.ToneHz, rate, channels, codec);

    private void ProduceVideo(long now)
    {
        var connection = MediaFor(MediaDataType.Video);
        if (connection?.MediaParams?.Video is not { } video || _paused)
        {
            _nextVideoMs = now;
            return;
        }
        if (now < _nextVideoMs)
        {
            return;
        }
        var at = Advance(ref _nextVideoMs, now, 1000 / Math.Clamp(video.Fps ?? 5, 1, 30));
        var who = video.DataOpt == MediaDataOption.VideoSingleIndividualStream
            ? _participants.Find(p => p.UserId == _videoSubscription && p.VideoOn)
            : _activeSpeaker is { VideoOn: true } speaker ? speaker : _participants.Find(static p => p.VideoOn);
        if (who is null)
        {
            return; // nobody's video is on (or nobody subscribed): no packets (§4.6)
        }
        if (connection.SendMedia(Picture(MessageType.MediaDataVideo, video.Codec, video.Resolution, connection, who, ref _videoRun, _videoFrame++, ZoomTimestamp(at))))
        {
            Counters.Video();
            _mediaFlowing = true;
        }
    }

    private void ProduceShare(long now)
    {
        var connection = MediaFor(MediaDataType.Deskshare);
        if (connection?.MediaParams?.Deskshare is not { } share || _paused || _sharer is not { } sharer)
        {
            _nextShareMs = now;
            return;
        }
        if (now < _nextShareMs)
        {
            return;
        }
        var at = Advance(ref _nextShareMs, now, 1000 / Math.Clamp(share.Fps ?? 1, 1, 30));
        if (connection.SendMedia(Picture(MessageType.MediaDataShare, share.Codec, share.Resolution, connection, sharer, ref _shareRun, _shareFrame++, ZoomTimestamp(at))))
        {
            Counters.Share();
            _mediaFlowing = true;
        }
    }

    /// <summary>Frame <paramref name="frameNumber"/> of the negotiated codec: an H.264 access unit of the requested
    /// resolution's clip, or a JPEG test pattern (320×180 whatever the resolution asked). H.264 starts over at the clip's
    /// IDR whenever the connection or the participant shown changes (<paramref name="run"/>), as an encoder does for a new
    /// receiver or source, so every receiver can decode from its first frame.</summary>
    private OutboundFrame Picture(MessageType type, MediaCodec? codec, MediaResolution? resolution, SimConnection to, Participant who, ref (SimConnection? To, Participant? From, long FirstFrame) run, long frameNumber, long timestamp)
    {
        if (codec == MediaCodec.H264)
        {
            if (run.To != to || run.From != who)
            {
                run = (to, who, frameNumber);
            }
            return MediaFrames.H264(type, who.UserId, who.NameJson, H264Clips.For(resolution), frameNumber - run.FirstFrame, timestamp, IdsAsStrings);
        }
        DateTimeOffset? stamp = _options.EmbedSendTimestamps ? _clock.UtcNow : null;
        return MediaFrames.Image(type, who.UserId, who.NameJson, frameNumber, timestamp, stamp, IdsAsStrings);
    }

    private void ProduceTranscript(long now)
    {
        if (now < _nextTranscriptMs)
        {
            return;
        }
        var interval = Math.Max(10, (long)Options.TranscriptInterval.TotalMilliseconds);
        Advance(ref _nextTranscriptMs, now, interval);
        if (MediaFor(MediaDataType.Transcript) is not { } connection || _paused || _activeSpeaker is not { Muted: false } speaker)
        {
            return;
        }
        // With language identification off Zoom transcribes in src_language only; with it on (default) the simulated
        // speakers are detected as English.
        var language = connection.MediaParams?.Transcript is { EnableLanguageIdentification: false } fixedLanguage
            ? fixedLanguage.EffectiveSourceLanguage ?? TranscriptLanguage.English
            : TranscriptLanguage.English;
        // The utterance just ended; its timestamp is its start (§4.6).
        var end = ZoomTimestamp(now);
        var start = end - Math.Min(interval * 4 / 5, 4000);
        var text = _transcriptLines[_transcriptIndex++ % _transcriptLines.Count];
        if (connection.SendMedia(MediaFrames.Transcript(speaker.UserId, speaker.Name, text, start, end, language, IdsAsStrings, ChannelOf(speaker))))
        {
            Counters.Transcript();
            _mediaFlowing = true;
        }
    }

    /// <summary>Every <see cref="MeetingOptions.ChatInterval"/>, a participant (in turn) writes to everyone: msg_type 18
    /// with <c>user_id</c>, <c>user_name</c>, <c>data</c> in the shape of <see cref="WireVariants.ChatData"/> and
    /// <c>timestamp</c>, to a socket that negotiated chat.</summary>
    private void ProduceChat(long now)
    {
        if (now < _nextChatMs)
        {
            return;
        }
        Advance(ref _nextChatMs, now, Math.Max(10, (long)Options.ChatInterval.TotalMilliseconds));
        if (MediaFor(MediaDataType.Chat) is not { MediaParams.Chat: not null } connection || _paused || _participants.Count == 0)
        {
            return;
        }
        var writer = _participants[_chatIndex % _participants.Count];
        var lines = Options.ChatLines is { Count: > 0 } custom ? custom : DefaultChatLines;
        if (connection.SendMedia(MediaFrames.Chat(writer.UserId, writer.Name, lines[_chatIndex % lines.Count], ZoomTimestamp(now), $"{StreamId[..8]}-{_chatIndex++}", Options.Variants.ChatData, IdsAsStrings)))
        {
            Counters.Chat();
            _mediaFlowing = true;
        }
    }

    private static readonly string[] DefaultChatLines = ["Can everyone see my screen?", "Link to the doc is in the calendar invite.", "+1", "Back in 5 minutes."];

    /// <summary>The active speaker moves to the next unmuted participant (EVENT_UPDATE 2 when it changes).</summary>
    private void RotateSpeaker()
    {
        var from = _activeSpeaker is null ? -1 : _participants.IndexOf(_activeSpeaker);
        for (var i = 1; i <= _participants.Count; i++)
        {
            var candidate = _participants[(from + i + _participants.Count) % _participants.Count];
            if (!candidate.Muted)
            {
                if (candidate != _activeSpeaker)
                {
                    _activeSpeaker = candidate;
                    SendEvent(EventType.ActiveSpeakerChange, user: candidate);
                }
                return;
            }
        }
    }

    /// <summary>The media socket that delivers <paramref name="type"/> now (signaling up, data handshake done, ACKed).</summary>
    private SimConnection? MediaFor(MediaDataType type)
    {
        if (_signaling is null)
        {
            return null;
        }
        foreach (var media in _media)
        {
            if (media.Carries(type))
            {
                return media;
            }
        }
        return null;
    }

    /// <summary>Returns the due time and moves the schedule one period on (skipping missed periods).</summary>
    private static long Advance(ref long next, long now, long period)
    {
        var due = next;
        next = due + period > now ? due + period : now + period;
        return due;
    }

    private long ZoomTimestamp(long mono) => _epochWall + (mono - _epochMono);

    private bool IdsAsStrings => Options.Variants.UserIdsAsStrings;

    /// <summary>Contact Center: the party's channel (1-based position in the call; a string such as <c>"1abc"</c>, or the
    /// number with <see cref="WireVariants.NumericChannelIds"/>); null for other products.</summary>
    private PartyChannel? ChannelOf(Participant party) =>
        Options.Product == SimulatedProduct.ContactCenter ? PartyChannel.Of(_participants.IndexOf(party) + 1, Options.Variants.NumericChannelIds) : null;
}
