using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Abstractions;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// A fake Zoom RTMS server on loopback: serves the signaling WebSocket at <c>/signaling</c> and media WebSockets at
/// <c>/media/{audio|video|transcript|all}</c> (what flows is decided by the data handshake's media type, as with Zoom's
/// distinct URLs), posts signed webhooks, and paces media for every meeting from one loop, so thousands of meetings
/// cost one timer rather than thousands.
/// </summary>
public sealed partial class RtmsSimulator : IAsyncDisposable
{
    private static readonly TimeSpan PacingInterval = TimeSpan.FromMilliseconds(5);
    private readonly WebApplication _app;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(10) };
    private SimulatedMeeting[] _meetings = [];
    private Task _pacer = Task.CompletedTask;

    private RtmsSimulator(SimulatorOptions options, WebApplication app, ILoggerFactory loggers)
    {
        Options = options;
        _app = app;
        _logger = loggers.CreateLogger<RtmsSimulator>();
        Webhooks = new WebhookSender(options, _http, _logger);
        Counters = new SimulatorCounters(() => Volatile.Read(ref _meetings));
    }

    public SimulatorOptions Options { get; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The signaling URL sent in <c>server_urls</c>.</summary>
    public Uri SignalingUri => new(BaseUri.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "signaling");

    public IReadOnlyCollection<SimulatedMeeting> Meetings => Volatile.Read(ref _meetings);

    public SimulatorCounters Counters { get; }

    internal WebhookSender Webhooks { get; }

    /// <summary>Monotonic milliseconds for pacing.</summary>
    internal long NowMs => _clock.ElapsedMilliseconds;

    /// <summary>Wall-clock epoch milliseconds for Zoom timestamps.</summary>
    internal long WallMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static async Task<RtmsSimulator> StartAsync(SimulatorOptions options, ILoggerFactory? loggerFactory = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        // Embedded in a host or a test, it must not pick up anyone's appsettings (Kestrel endpoints in particular).
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(options.ListenAddress), options.Port));
        var app = builder.Build();
        var simulator = new RtmsSimulator(options, app, loggers);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Map("/signaling", context => simulator.AcceptAsync(context, signaling: true));
        app.Map("/media/{kind}", context => simulator.AcceptAsync(context, signaling: false));
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        simulator._pacer = Task.Run(simulator.PaceAsync, CancellationToken.None);
        simulator.LogListening(simulator.BaseUri, options.WebhookUrl);
        return simulator;
    }

    /// <summary>Registers a meeting (ids, participants). Nothing is sent until <see cref="SimulatedMeeting.StartAsync"/>.</summary>
    public SimulatedMeeting AddMeeting(MeetingOptions? options = null)
    {
        lock (_lock)
        {
            var meeting = new SimulatedMeeting(this, options ?? new MeetingOptions(), _meetings.Length);
            _meetings = [.. _meetings, meeting];
            return meeting;
        }
    }

    /// <summary>Sends Zoom's <c>endpoint.url_validation</c> challenge and checks the answer.</summary>
    public Task<UrlValidationResult> ValidateWebhookUrlAsync(CancellationToken ct) => Webhooks.ValidateAsync(ct);

    internal SimulatedMeeting? FindMeeting(string streamId) => Volatile.Read(ref _meetings).FirstOrDefault(m => m.StreamId == streamId);

    private async Task PaceAsync()
    {
        using var timer = new PeriodicTimer(PacingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                var now = NowMs;
                foreach (var meeting in Volatile.Read(ref _meetings))
                {
                    try
                    {
                        meeting.Tick(now);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogTickFailed(ex, meeting.StreamId);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task AcceptAsync(HttpContext context, bool signaling)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await using var connection = new SimConnection(socket, signaling, Options.SocketQueueCapacity, Options.BinaryFrames);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            var meeting = await HandshakeAsync(connection, signaling, aborted.Token);
            if (meeting is null)
            {
                return;
            }
            await ReadClientAsync(connection, meeting, aborted.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            if (connection.Meeting is { } owner)
            {
                if (signaling)
                {
                    owner.OnSignalingLost(connection);
                }
                else
                {
                    owner.OnMediaLost(connection);
                }
            }
        }
    }

    /// <summary>Reads and answers the first message: the signaling (1→2) or data (3→4) handshake. Null when refused.</summary>
    private async Task<SimulatedMeeting?> HandshakeAsync(SimConnection connection, bool signaling, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var first = await connection.ReceiveAsync(timeout.Token);
        if (first is null)
        {
            return null;
        }
        RtmsMessage? message;
        try
        {
            message = RtmsMessageReader.Default.Read(first);
        }
        catch (RtmsProtocolException ex)
        {
            return await RefuseAsync(connection, signaling, StatusCode.InvalidPayload, ex.Message);
        }
        if (signaling)
        {
            if (message is not SignalingHandshakeRequest request)
            {
                return await RefuseAsync(connection, signaling, StatusCode.InvalidMessageType, $"expected msg_type 1, got {(int)message.MsgType}");
            }
            if (request.ProtocolVersion != 1)
            {
                return await RefuseAsync(connection, signaling, StatusCode.InvalidPayload, "protocol_version must be 1");
            }
            if (FindMeeting(request.RtmsStreamId) is not { } meeting)
            {
                return await RefuseAsync(connection, signaling, StatusCode.InvalidRtmsStreamId, "unknown rtms_stream_id");
            }
            var (status, reason) = meeting.AcceptSignaling(request, connection);
            if (status != StatusCode.Ok)
            {
                return await RefuseAsync(connection, signaling, status, reason);
            }
            connection.Send(new SignalingHandshakeResponse
            {
                Sequence = request.Sequence,
                StatusCode = StatusCode.Ok,
                Reason = string.Empty,
                MediaServer = new MediaServerInfo { ServerUrls = MediaUrls() },
            });
            LogSignalingAccepted(meeting.StreamId);
            return meeting;
        }
        if (message is not DataHandshakeRequest data)
        {
            return await RefuseAsync(connection, signaling, StatusCode.InvalidMessageType, $"expected msg_type 3, got {(int)message.MsgType}");
        }
        if (FindMeeting(data.RtmsStreamId) is not { } target)
        {
            return await RefuseAsync(connection, signaling, StatusCode.InvalidRtmsStreamId, "unknown rtms_stream_id");
        }
        var (mediaStatus, mediaReason, effective) = target.AcceptMedia(data, connection);
        if (mediaStatus != StatusCode.Ok)
        {
            return await RefuseAsync(connection, signaling, mediaStatus, mediaReason);
        }
        connection.Send(new DataHandshakeResponse
        {
            Sequence = data.Sequence,
            StatusCode = StatusCode.Ok,
            Reason = string.Empty,
            PayloadEncryption = false,
            MediaParams = effective,
        });
        return target;
    }

    private async Task ReadClientAsync(SimConnection connection, SimulatedMeeting meeting, CancellationToken ct)
    {
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(ct, connection.Closed);
        while (await connection.ReceiveAsync(closed.Token) is { } frame)
        {
            RtmsMessage message;
            try
            {
                message = RtmsMessageReader.Default.Read(frame);
            }
            catch (RtmsProtocolException ex)
            {
                LogBadClientFrame(meeting.StreamId, ex.Message);
                continue;
            }
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

    /// <summary>Answers a refused handshake with its status code, then closes with 1000 as Zoom does.</summary>
    private async Task<SimulatedMeeting?> RefuseAsync(SimConnection connection, bool signaling, StatusCode status, string? reason)
    {
        Counters.HandshakeFailure();
        LogRefused(signaling ? "signaling" : "data", (int)status, status, reason ?? string.Empty);
        connection.Send(signaling
            ? new SignalingHandshakeResponse { StatusCode = status, Reason = reason }
            : new DataHandshakeResponse { StatusCode = status, Reason = reason });
        await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "handshake refused");
        await connection.DrainUntilClosedAsync(TimeSpan.FromSeconds(2));
        return null;
    }

    private Dictionary<string, string> MediaUrls()
    {
        var media = BaseUri.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "media/";
        return new Dictionary<string, string>
        {
            [MediaServerKeys.Audio] = media + "audio",
            [MediaServerKeys.Video] = media + "video",
            [MediaServerKeys.Transcript] = media + "transcript",
            [MediaServerKeys.All] = media + "all",
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _pacer;
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _http.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "RTMS simulator listening on {BaseUri}; webhooks to {WebhookUrl}")]
    private partial void LogListening(Uri baseUri, Uri? webhookUrl);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Simulated stream {StreamId}: signaling accepted")]
    private partial void LogSignalingAccepted(string streamId);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "Refused a {Socket} handshake: {Status} ({StatusName}) {Reason}")]
    private partial void LogRefused(string socket, int status, StatusCode statusName, string reason);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Debug, Message = "Simulated stream {StreamId}: ignored a bad client frame: {Error}")]
    private partial void LogBadClientFrame(string streamId, string error);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Error, Message = "Simulated stream {StreamId}: pacing failed")]
    private partial void LogTickFailed(Exception ex, string streamId);
}
