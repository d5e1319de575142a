using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

internal sealed partial class RtmsStreamClient
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "RTMS {StreamId}: signaling ready on {Host}")]
    private partial void LogSignalingReady(string streamId, string host);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "RTMS {StreamId}: media socket ready ({MediaType}) on {Host}")]
    private partial void LogMediaReady(string streamId, MediaDataType mediaType, string host);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "RTMS {StreamId}: media socket ({MediaType}) lost: {Reason}")]
    private partial void LogMediaLost(string streamId, MediaDataType mediaType, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "RTMS {StreamId}: reconnecting in {DelayMs} ms: {Reason}")]
    private partial void LogReconnecting(string streamId, string reason, double delayMs);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "RTMS {StreamId}: handshake refused with status {Status} ({StatusName}): {Detail}")]
    private partial void LogHandshakeRefused(string streamId, int status, StatusCode statusName, string detail);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "RTMS {StreamId}: discarded a bad {Socket} frame ({Error}): {Detail}")]
    private partial void LogBadFrame(string streamId, string socket, RtmsProtocolError error, string detail);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Debug, Message = "RTMS {StreamId}: ignored msg_type {MsgType} on {Socket}")]
    private partial void LogIgnored(string streamId, string socket, int msgType);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "RTMS {StreamId}: {Socket} silent for {Seconds} s (no keep-alive); dropping it")]
    private partial void LogSilent(string streamId, string socket, double seconds);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error, Message = "RTMS {StreamId}: {Description}")]
    private partial void LogGaveUp(string streamId, string description);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "RTMS {StreamId}: Zoom refused {MediaType} (status {Status} {StatusName}); asking for the other media types without it")]
    private partial void LogMediaTypeDropped(string streamId, MediaDataType mediaType, int status, StatusCode statusName);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "RTMS {StreamId}: Zoom refused the restart after stop reason {StopReason} (status {Status}); the stream is over")]
    private partial void LogRestartRefused(string streamId, int stopReason, int status);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "RTMS {StreamId}: no restart succeeded after stop reason {StopReason} ({Attempts} attempts); the stream is over")]
    private partial void LogRestartGaveUp(string streamId, int stopReason, int attempts);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Error, Message = "RTMS {StreamId}: the {Socket} loop failed; reconnecting")]
    private partial void LogLoopFailed(Exception ex, string streamId, string socket);
}
