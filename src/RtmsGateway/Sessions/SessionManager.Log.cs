namespace RtmsGateway.Sessions;

internal sealed partial class SessionManager
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Session {StreamId} of {InstanceId} started here (epoch {Epoch})")]
    private partial void LogStarted(string streamId, string instanceId, ulong epoch);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Session {StreamId} stopped: {StopReason} {Description}")]
    private partial void LogStopped(string streamId, int stopReason, string description);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Ignored a repeated {Event} for {StreamId} (event_ts {EventTs}): a Zoom retry")]
    private partial void LogDuplicate(string @event, string? streamId, long eventTs);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Session {StreamId}: Zoom failed over; reconnecting to {Host}")]
    private partial void LogFailover(string streamId, string host);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Session {StreamId} is owned by another replica")]
    private partial void LogOwnedElsewhere(string streamId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "{Event} for unknown stream {StreamId}")]
    private partial void LogUnknownStream(string @event, string streamId);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Session {StreamId}: no usable signaling URL in server_urls '{ServerUrls}' (wss required unless Zoom:AllowInsecureRtmsUrls)")]
    private partial void LogNoSignalingUrl(string streamId, string serverUrls);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Zoom reported {Event} (concurrency {Number} of {Limit})")]
    private partial void LogZoomWarning(string @event, int? number, int? limit);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Error, Message = "Processing {Event} for {StreamId} failed")]
    private partial void LogWebhookFailed(Exception ex, string @event, string? streamId);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Session {StreamId} failed")]
    private partial void LogRunFailed(Exception ex, string streamId);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Error, Message = "Session {StreamId}: lease (epoch {Epoch}) lost; RTMS connection stopped")]
    private partial void LogLeaseLost(string streamId, ulong epoch);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Session {StreamId}: lease renewal unavailable ({Error}); still streaming")]
    private partial void LogRenewUnavailable(string streamId, string error);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Session {StreamId}: releasing the lease failed: {Error}")]
    private partial void LogReleaseFailed(string streamId, string error);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "Session {StreamId}: took over from a replica that is gone (epoch {Epoch})")]
    private partial void LogTakeover(string streamId, ulong epoch);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Warning, Message = "Session {StreamId} left to other replicas: this one serves its maximum of {Max} sessions")]
    private partial void LogAtLimit(string streamId, int max);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Information, Message = "Forwarded {Event} for {StreamId} to its owner {Owner}")]
    private partial void LogForwarded(string @event, string streamId, string owner);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Debug, Message = "Ignored a repeated {Command} for {StreamId} (event_ts {EventTs})")]
    private partial void LogCommandRepeated(SessionCommandKind command, string streamId, long eventTs);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Drained: handed over {Count} sessions")]
    private partial void LogDrained(int count);
}
