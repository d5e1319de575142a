using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

public sealed partial class SimulatedMeeting
{
    [LoggerMessage(EventId = 9401, Level = LogLevel.Information, Message = "Simulated stream {StreamId} started (instance {InstanceId})")]
    private partial void LogStarted(string streamId, string instanceId);

    [LoggerMessage(EventId = 9402, Level = LogLevel.Information, Message = "Simulated stream {StreamId} stopped with reason {Reason} ({ReasonName})")]
    private partial void LogStopped(string streamId, int reason, StopReason reasonName);

    [LoggerMessage(EventId = 9403, Level = LogLevel.Information, Message = "Simulated stream {StreamId}: signaling handshake answered {Status} {Reason}")]
    private partial void LogSignalingHandshake(string streamId, int status, string reason);

    [LoggerMessage(EventId = 9404, Level = LogLevel.Information, Message = "Simulated stream {StreamId}: data handshake for media type {MediaType} answered {Status} {Reason}")]
    private partial void LogMediaHandshake(string streamId, int mediaType, int status, string reason);

    [LoggerMessage(EventId = 9405, Level = LogLevel.Warning, Message = "Simulated stream {StreamId}: DUPLICATE signaling handshake from {Remote} while the signaling connection from {LiveRemote} is live ({Mode})")]
    private partial void LogDuplicateSignaling(string streamId, string remote, string liveRemote, DuplicateSignalingMode mode);

    [LoggerMessage(EventId = 9406, Level = LogLevel.Information, Message = "Simulated stream {StreamId}: signaling lost; waiting {Window} for a new signaling handshake")]
    private partial void LogSignalingLost(string streamId, TimeSpan window);

    [LoggerMessage(EventId = 9407, Level = LogLevel.Information, Message = "Simulated stream {StreamId}: a media socket was lost; waiting {Window} for a new one")]
    private partial void LogMediaLost(string streamId, TimeSpan window);

    [LoggerMessage(EventId = 9408, Level = LogLevel.Information, Message = "Simulated stream {StreamId}: {Role} socket dropped after {Missed} unanswered keep-alives")]
    private partial void LogKeepAliveTimeout(string streamId, ConnectionRole role, int missed);

    [LoggerMessage(EventId = 9409, Level = LogLevel.Information, Message = "Simulated stream {StreamId}: paused={Paused}")]
    private partial void LogPaused(string streamId, bool paused);

    [LoggerMessage(EventId = 9410, Level = LogLevel.Information, Message = "Simulated stream {StreamId}: RTMS server failover (connections dropped, rtms_started repeated)")]
    private partial void LogFailover(string streamId);

    [LoggerMessage(EventId = 9411, Level = LogLevel.Debug, Message = "Simulated stream {StreamId}: ignored a client message of msg_type {MsgType}")]
    private partial void LogIgnoredClientMessage(string streamId, int msgType);

    [LoggerMessage(EventId = 9412, Level = LogLevel.Debug, Message = "Simulated stream {StreamId}: ignored an unreadable client message: {Error}")]
    private partial void LogUnreadableClientMessage(string streamId, string error);

    [LoggerMessage(EventId = 9413, Level = LogLevel.Warning, Message = "Simulated stream {StreamId}: CLIENT_READY_ACK for rtms_stream_id '{AckStreamId}' ignored (wrong stream): media stays gated")]
    private partial void LogWrongClientReadyAck(string streamId, string? ackStreamId);
}
