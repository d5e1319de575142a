using RtmsGateway.Observability;
using RtmsGateway.Protocol;

namespace RtmsGateway.Sessions.Lifecycle;

internal sealed partial class StreamSession
{
    [LoggerMessage(EventId = LogEventIds.MediaReady, Level = LogLevel.Information, Message = "RTMS {StreamId}: media socket ready ({MediaType}) on {Host}")]
    private partial void LogMediaReady(string streamId, MediaDataType mediaType, string host);

    [LoggerMessage(EventId = LogEventIds.MediaLost, Level = LogLevel.Warning, Message = "RTMS {StreamId}: media socket ({MediaType}) lost: {Reason}")]
    private partial void LogMediaLost(string streamId, MediaDataType mediaType, string reason);

    [LoggerMessage(EventId = LogEventIds.MediaFailed, Level = LogLevel.Warning, Message = "RTMS {StreamId}: media socket ({MediaType}) could not open: {Reason}")]
    private partial void LogMediaFailed(string streamId, MediaDataType mediaType, string reason);

    [LoggerMessage(EventId = LogEventIds.MediaUnavailable, Level = LogLevel.Error, Message = "RTMS {StreamId}: {MediaType} given up, not forwarded: {Detail}")]
    private partial void LogMediaUnavailable(string streamId, MediaDataType mediaType, string detail);

    [LoggerMessage(EventId = LogEventIds.SignalingFailed, Level = LogLevel.Warning, Message = "RTMS {StreamId}: signaling to {Host} could not open: {Reason}")]
    private partial void LogSignalingFailed(string streamId, string host, string reason);

    [LoggerMessage(EventId = LogEventIds.StaleInterruptionIgnored, Level = LogLevel.Information, Message = "RTMS {StreamId}: ignored an rtms_interrupted webhook older than the current connection (event_ts {EventTs} ms, connection began about {ConnectionStart} ms on Zoom's clock, {Older} ms later)")]
    private partial void LogStaleInterruption(string streamId, long eventTs, long connectionStart, long older);

    [LoggerMessage(EventId = LogEventIds.Reconnecting, Level = LogLevel.Warning, Message = "RTMS {StreamId}: reconnecting: {Reason}")]
    private partial void LogReconnecting(string streamId, string reason);

    [LoggerMessage(EventId = LogEventIds.HandshakeRefused, Level = LogLevel.Error, Message = "RTMS {StreamId}: handshake refused with status {Status} ({StatusName}): {Detail}")]
    private partial void LogHandshakeRefused(string streamId, int status, StatusCode statusName, string detail);

    [LoggerMessage(EventId = LogEventIds.MessageIgnored, Level = LogLevel.Debug, Message = "RTMS {StreamId}: ignored msg_type {MsgType} on signaling")]
    private partial void LogIgnored(string streamId, int msgType);

    [LoggerMessage(EventId = LogEventIds.LoopFailed, Level = LogLevel.Error, Message = "RTMS {StreamId}: the {Socket} loop failed; reconnecting")]
    private partial void LogLoopFailed(Exception ex, string streamId, string socket);

    [LoggerMessage(EventId = LogEventIds.SessionStopped, Level = LogLevel.Information, Message = "Session {StreamId} stopped: {StopReason} {Description}")]
    private partial void LogStopped(string streamId, int stopReason, string description);

    [LoggerMessage(EventId = LogEventIds.SessionRelinquished, Level = LogLevel.Information, Message = "Session {StreamId} handed over ({Reason}): its subscribers reconnect and resume on another replica")]
    private partial void LogRelinquished(string streamId, RelinquishReason reason);

    [LoggerMessage(EventId = LogEventIds.SessionFailed, Level = LogLevel.Error, Message = "Session {StreamId} failed; handing it over")]
    private partial void LogSessionFailed(Exception ex, string streamId);

    [LoggerMessage(EventId = LogEventIds.LeaseLost, Level = LogLevel.Error, Message = "Session {StreamId}: lease (epoch {Epoch}) lost; RTMS connection stopped")]
    private partial void LogLeaseLost(string streamId, ulong epoch);

    [LoggerMessage(EventId = LogEventIds.LeaseUnavailable, Level = LogLevel.Warning, Message = "Session {StreamId}: lease renewal unavailable ({Error}); still streaming, retrying")]
    private partial void LogRenewUnavailable(string streamId, string error);

    [LoggerMessage(EventId = LogEventIds.LeaseReasserted, Level = LogLevel.Information, Message = "Session {StreamId}: lease (epoch {Epoch}) renewed again after the ownership store was unreachable")]
    private partial void LogLeaseReasserted(string streamId, ulong epoch);

    [LoggerMessage(EventId = LogEventIds.Failover, Level = LogLevel.Warning, Message = "Session {StreamId}: Zoom failed over; reconnecting to {Host}")]
    private partial void LogFailover(string streamId, string host);

    [LoggerMessage(EventId = LogEventIds.VideoSubscriptionAnswered, Level = LogLevel.Information, Message = "Session {StreamId}: Zoom answered the video subscription of participant {UserId}: status {Status} {Reason}")]
    private partial void LogVideoSubscription(string streamId, RtmsUserId userId, int status, string reason);

    [LoggerMessage(EventId = LogEventIds.TeardownSlow, Level = LogLevel.Warning, Message = "Session {StreamId}: {Step} took more than {Seconds} s; left behind")]
    private partial void LogTeardownSlow(string streamId, string step, double seconds);
}
