using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// A fake Zoom RTMS service on loopback (plain <c>ws://</c>): the signaling WebSocket at <c>/signaling</c>, media
/// WebSockets at <c>/media/{audio|video|transcript|all}</c> (what flows is decided by the data handshake's media type;
/// the path is informational, like Zoom's distinct URLs), signed webhooks to <see cref="SimulatorOptions.WebhookUrl"/>,
/// and one pacing loop producing media, keep-alives and timeouts for every meeting.
/// </summary>
public sealed partial class RtmsSimulator : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);
    private readonly WebApplication _app;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _http;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, SimulatedMeeting> _byStream = new(StringComparer.Ordinal);
    private SimulatedMeeting[] _meetings = [];
    private Task _pacing = Task.CompletedTask;
    private int _disposed;

    private RtmsSimulator(SimulatorOptions options, WebApplication app, ILoggerFactory loggers)
    {
        Options = options;
        Loggers = loggers;
        _app = app;
        _logger = loggers.CreateLogger<RtmsSimulator>();
        Stopping = _stopping.Token;
        Clock = new SimulatorClock(options.TimeProvider);
        Background = new BackgroundWork(_logger);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(10) };
        Webhooks = new WebhookSender(options, _http, loggers.CreateLogger<WebhookSender>());
    }

    public SimulatorOptions Options { get; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary><c>ws://127.0.0.1:port/signaling</c>: the <c>server_urls</c> of <c>rtms_started</c>.</summary>
    public Uri SignalingUri { get; private set; } = null!;

    /// <summary>Every meeting added, in order.</summary>
    public IReadOnlyCollection<SimulatedMeeting> Meetings => Volatile.Read(ref _meetings);

    public SimulatorCounters Counters { get; } = new();

    /// <summary>The result of the last <see cref="ValidateWebhookUrlAsync"/>.</summary>
    public UrlValidationResult? LastUrlValidation { get; private set; }

    internal SimulatorClock Clock { get; }

    internal ILoggerFactory Loggers { get; }

    internal BackgroundWork Background { get; }

    internal WebhookSender Webhooks { get; }

    /// <summary>The <c>media_server.server_urls</c> of the signaling handshake response.</summary>
    internal IReadOnlyDictionary<string, string> MediaUrls { get; private set; } = new Dictionary<string, string>();

    internal CancellationToken Stopping { get; }

    /// <summary>Starts Kestrel on <see cref="SimulatorOptions.ListenAddress"/>:<see cref="SimulatorOptions.Port"/> (0 = a free port) and the pacing loop.</summary>
    public static async Task<RtmsSimulator> StartAsync(SimulatorOptions options, ILoggerFactory? loggerFactory = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        // Embedded in a host or a test, it must not pick up anyone's appsettings (Kestrel endpoints in particular).
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.UseKestrel(k => k.Listen(ListenIp(options.ListenAddress), options.Port));
        if (options.SocketSendBufferBytes is { } sendBuffer)
        {
            // Accepted sockets inherit the listening socket's buffer sizes.
            builder.WebHost.UseSockets(o => o.CreateBoundListenSocket = endpoint =>
            {
                var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.SendBufferSize = sendBuffer;
                return socket;
            });
        }
        var app = builder.Build();
        var simulator = new RtmsSimulator(options, app, loggers);
        var endpoint = new RtmsSocketEndpoint(simulator, loggers.CreateLogger<RtmsSocketEndpoint>());
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Map("/signaling", context => endpoint.HandleAsync(context, ConnectionRole.Signaling));
        app.Map("/media/{kind}", context => endpoint.HandleAsync(context, ConnectionRole.Media));
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            simulator._http.Dispose();
            simulator._stopping.Dispose();
            throw;
        }
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var host = options.ListenAddress is "0.0.0.0" or "::" or "[::]" ? "127.0.0.1" : address.Host;
        simulator.BaseUri = new UriBuilder("http", host, address.Port).Uri;
        simulator.SignalingUri = new UriBuilder("ws", host, address.Port, "/signaling").Uri;
        var media = new UriBuilder("ws", host, address.Port, "/media/").Uri.ToString();
        simulator.MediaUrls = new Dictionary<string, string>
        {
            [MediaServerKeys.Audio] = media + MediaServerKeys.Audio,
            [MediaServerKeys.Video] = media + MediaServerKeys.Video,
            [MediaServerKeys.Transcript] = media + MediaServerKeys.Transcript,
            [MediaServerKeys.All] = media + MediaServerKeys.All,
        };
        var pacing = new PacingLoop(() => Volatile.Read(ref simulator._meetings), simulator.Clock, options.PacingInterval, simulator.Counters, simulator._logger);
        simulator._pacing = Task.Run(() => pacing.RunAsync(simulator.Stopping), CancellationToken.None);
        simulator.LogListening(simulator.SignalingUri, options.WebhookUrl);
        return simulator;
    }

    /// <summary>Registers a meeting (instance id + stream id, participants). Nothing is sent until <see cref="SimulatedMeeting.StartAsync"/>.</summary>
    public SimulatedMeeting AddMeeting(MeetingOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_lock)
        {
            var meeting = new SimulatedMeeting(this, options ?? new MeetingOptions(), _meetings.Length);
            if (!_byStream.TryAdd(meeting.StreamId, meeting))
            {
                throw new ArgumentException($"A meeting with rtms_stream_id {meeting.StreamId} already exists.", nameof(options));
            }
            _meetings = [.. _meetings, meeting];
            return meeting;
        }
    }

    /// <summary>The meeting streaming <paramref name="streamId"/>, if any.</summary>
    public SimulatedMeeting? FindMeeting(string streamId) => _byStream.GetValueOrDefault(streamId);

    /// <summary>Sends Zoom's <c>endpoint.url_validation</c> challenge (a random plainToken) and checks the answer.</summary>
    public async Task<UrlValidationResult> ValidateWebhookUrlAsync(CancellationToken ct = default)
    {
        var result = await Webhooks.ValidateAsync(ct);
        LastUrlValidation = result;
        return result;
    }

    /// <summary>Signs and posts an arbitrary JSON body to the webhook URL (for odd or malformed webhooks); returns the HTTP status (0: none).</summary>
    public Task<HttpStatusCode> SendRawWebhookAsync(string json, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Webhooks.SendRawAsync(Encoding.UTF8.GetBytes(json), "(raw)", "raw body", ct);
    }

    /// <summary>Stops the pacing loop, drops every socket, waits (bounded) for webhooks in flight, stops Kestrel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync();
        await _pacing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        using (var timeout = new CancellationTokenSource(ShutdownGrace))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await Background.DrainAsync(ShutdownGrace);
        await _app.DisposeAsync();
        _http.Dispose();
        _stopping.Dispose();
        LogStopped(Counters);
    }

    private static IPAddress ListenIp(string address) =>
        address.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(address);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "RTMS simulator listening: signaling {SignalingUri}; webhooks to {WebhookUrl}")]
    private partial void LogListening(Uri signalingUri, Uri? webhookUrl);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "RTMS simulator stopped: {Counters}")]
    private partial void LogStopped(SimulatorCounters counters);
}
