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
}
