using System.Net.WebSockets;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// Serves one RTMS WebSocket: waits for the handshake (msg_type 1 on <c>/signaling</c>, 3 on <c>/media/…</c>), refuses
/// it with the status Zoom uses (then closes with 1000, §3.1) or hands the socket to its meeting, then reads client
/// messages (text or binary frames, any fragmentation) until the socket ends.
/// </summary>
internal sealed partial class RtmsSocketEndpoint(RtmsSimulator simulator, ILogger logger)
{
    private static readonly HashSet<string> MediaPaths = [MediaServerKeys.Audio, MediaServerKeys.Video, MediaServerKeys.Transcript, MediaServerKeys.All];

    public async Task HandleAsync(HttpContext context, ConnectionRole role)
    {
        if (role == ConnectionRole.Media && !MediaPaths.Contains(context.GetRouteValue("kind") as string ?? string.Empty))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var options = simulator.Options;
        await using var connection = new SimConnection(socket, role, options.SocketQueueCapacity, options.BinaryFrames)
        {
            RemoteEndpoint = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}",
        };
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, simulator.Stopping);
        try
        {
            if (await HandshakeAsync(connection, aborted.Token) is { } meeting)
            {
                await ReadAsync(connection, meeting, aborted.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            connection.Meeting?.OnConnectionLost(connection);
        }
    }

    /// <summary>Answers the first message. Returns the meeting when the handshake was accepted.</summary>
    private async Task<SimulatedMeeting?> HandshakeAsync(SimConnection connection, CancellationToken ct)
    {
        byte[]? first;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(simulator.Options.HandshakeTimeout);
            try
            {
                first = await connection.ReceiveAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                LogHandshakeTimeout(connection.Role, simulator.Options.HandshakeTimeout);
                await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "no handshake");
                return null;
            }
        }
        if (first is null)
        {
            return null;
        }
        RtmsMessage message;
        try
        {
            message = RtmsMessageReader.Default.Read(first);
        }
        catch (RtmsProtocolException ex)
        {
            await RefuseAsync(connection, StatusCode.InvalidPayload, ex.Message);
            return null;
        }
        using (message as IDisposable)
        {
            var (streamId, version) = message switch
            {
                SignalingHandshakeRequest s when connection.IsSignaling => (s.RtmsStreamId, s.ProtocolVersion),
                DataHandshakeRequest d when !connection.IsSignaling => (d.RtmsStreamId, d.ProtocolVersion),
                _ => (null, 0),
            };
            if (streamId is null)
            {
                await RefuseAsync(connection, StatusCode.InvalidMessageType, $"expected msg_type {(connection.IsSignaling ? 1 : 3)}, got {(int)message.MsgType}");
                return null;
            }
            if (version != 1)
            {
                await RefuseAsync(connection, StatusCode.InvalidPayload, $"unsupported protocol_version {version}");
                return null;
            }
            if (simulator.FindMeeting(streamId) is not { } meeting)
            {
                await RefuseAsync(connection, StatusCode.InvalidRtmsStreamId, "unknown rtms_stream_id");
                return null;
            }
            var status = message is SignalingHandshakeRequest signaling
                ? meeting.AcceptSignaling(signaling, connection, simulator.MediaUrls)
                : meeting.AcceptMedia((DataHandshakeRequest)message, connection);
            if (status != StatusCode.Ok)
            {
                // The meeting queued the refusal; close after it like Zoom.
                simulator.Counters.HandshakeFailure();
                await CloseAfterRefusalAsync(connection);
                return null;
            }
            return meeting;
        }
    }

    private static async Task ReadAsync(SimConnection connection, SimulatedMeeting meeting, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, connection.Closed);
        while (await connection.ReceiveAsync(linked.Token) is { } frame)
        {
            RtmsMessage message;
            try
            {
                message = RtmsMessageReader.Default.Read(frame);
            }
            catch (RtmsProtocolException ex)
            {
                meeting.OnUnreadableClientMessage(ex.Message);
                continue;
            }
            using (message as IDisposable)
            {
                if (connection.IsSignaling)
                {
                    meeting.OnSignalingMessage(connection, message);
                }
                else
                {
                    meeting.OnMediaMessage(connection, message);
                }
            }
        }
    }

    /// <summary>Answers a refused handshake (msg_type 2 or 4 with the status), then closes with 1000 as Zoom does.</summary>
    private async Task RefuseAsync(SimConnection connection, StatusCode status, string reason)
    {
        simulator.Counters.HandshakeFailure();
        LogRefused(connection.Role, (int)status, status, reason);
        connection.Send(connection.IsSignaling
            ? new SignalingHandshakeResponse { StatusCode = status, Reason = reason }
            : new DataHandshakeResponse { StatusCode = status, Reason = reason });
        await CloseAfterRefusalAsync(connection);
    }

    private static async Task CloseAfterRefusalAsync(SimConnection connection)
    {
        await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "handshake refused");
        await connection.DrainUntilClosedAsync();
    }

    [LoggerMessage(EventId = 9501, Level = LogLevel.Information, Message = "Refused a {Role} handshake: {Status} ({StatusName}) {Reason}")]
    private partial void LogRefused(ConnectionRole role, int status, StatusCode statusName, string reason);

    [LoggerMessage(EventId = 9502, Level = LogLevel.Information, Message = "A {Role} socket sent no handshake within {Timeout}: closed")]
    private partial void LogHandshakeTimeout(ConnectionRole role, TimeSpan timeout);
}
