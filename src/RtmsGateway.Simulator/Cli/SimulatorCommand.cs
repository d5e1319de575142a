using System.Globalization;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Cli;

/// <summary>
/// <c>dotnet run --project src/RtmsGateway.Simulator -- --gateway URL --meetings N [options]</c>: runs simulated meetings
/// against a gateway's webhook endpoint, applies scripted faults, and ends the meetings when the duration is over.
/// </summary>
public static class SimulatorCommand
{
    public const string Usage = """
        RTMS simulator: a fake Zoom speaking the RTMS V1 wire protocol.

          --gateway URL            webhook endpoint to post to (e.g. http://127.0.0.1:8080/webhooks/zoom)
          --meetings N             simulated meetings to start (default 1)
          --participants N         participants per meeting (default 3)
          --duration TIME          run this long, then stop the meetings with reason 6 (default: until Ctrl+C)
          --port N                 listen port for signaling/media WebSockets (default: a free port)
          --keepalive TIME         keep-alive interval (default 10s)
          --transcript-interval T  time between transcript lines (default 2s)
          --wav FILE               16-bit PCM WAV used as speech (e.g. from espeak-ng -w) instead of tones
          --fault AT:KIND          inject a fault into every meeting at time AT; repeatable. KIND: drop-signaling,
                                   drop-media, stop-pings, resume-pings, malformed, bad-base64, fragment, binary,
                                   duplicate, pause, resume, failover, stop
          --nested-payload         put webhook fields under payload.object
          --ms-timestamps          send x-zm-request-timestamp in milliseconds
          --stamp                  embed send timestamps in audio/video (latency measurement)
          --client-id / --client-secret / --webhook-secret   credentials (or ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET,
                                   ZOOM_WEBHOOK_SECRET_TOKEN; defaults: the development values below)

        Development credentials (configure the gateway with the same):
          client id "sim-client", client secret "sim-client-secret", webhook secret "sim-webhook-secret".
        TIME is like 500ms, 10s, 2m.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        Dictionary<string, List<string>> flags;
        try
        {
            flags = Parse(args);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message + "\n\n" + Usage);
            return 2;
        }
        if (flags.ContainsKey("help") || flags.ContainsKey("h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning));
        var options = new SimulatorOptions
        {
            ClientId = Value(flags, "client-id") ?? Environment.GetEnvironmentVariable("ZOOM_CLIENT_ID") ?? "sim-client",
            ClientSecret = Value(flags, "client-secret") ?? Environment.GetEnvironmentVariable("ZOOM_CLIENT_SECRET") ?? "sim-client-secret",
            WebhookSecretToken = Value(flags, "webhook-secret") ?? Environment.GetEnvironmentVariable("ZOOM_WEBHOOK_SECRET_TOKEN") ?? "sim-webhook-secret",
            WebhookUrl = Value(flags, "gateway") is { } gateway ? new Uri(gateway) : null,
            Port = int.Parse(Value(flags, "port") ?? "0", CultureInfo.InvariantCulture),
            KeepAliveInterval = Duration(Value(flags, "keepalive")) ?? TimeSpan.FromSeconds(10),
            WebhookPayloadShape = flags.ContainsKey("nested-payload") ? WebhookPayloadShape.Nested : WebhookPayloadShape.Flat,
            WebhookTimestampUnit = flags.ContainsKey("ms-timestamps") ? WebhookTimestampUnit.Milliseconds : WebhookTimestampUnit.Seconds,
            EmbedSendTimestamps = flags.ContainsKey("stamp"),
        };
        var meetingOptions = new MeetingOptions
        {
            Participants = int.Parse(Value(flags, "participants") ?? "3", CultureInfo.InvariantCulture),
            TranscriptInterval = Duration(Value(flags, "transcript-interval")) ?? TimeSpan.FromSeconds(2),
            AudioWavPath = Value(flags, "wav"),
        };
        var count = int.Parse(Value(flags, "meetings") ?? "1", CultureInfo.InvariantCulture);
        var duration = Duration(Value(flags, "duration"));
        var faults = flags.GetValueOrDefault("fault", []).Select(ParseFault).OrderBy(f => f.At).ToList();

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        await using var simulator = await RtmsSimulator.StartAsync(options, loggers, stop.Token);
        Console.WriteLine($"simulator: signaling at {simulator.SignalingUri}, webhooks to {options.WebhookUrl?.ToString() ?? "(none: --gateway not set)"}");
        var meetings = new List<SimulatedMeeting>();
        for (var i = 0; i < count; i++)
        {
            var meeting = simulator.AddMeeting(meetingOptions);
            meetings.Add(meeting);
            var status = await meeting.StartAsync(stop.Token);
            Console.WriteLine($"meeting {meeting.InstanceId} stream {meeting.StreamId}: rtms_started -> {(int)status}");
        }
        var started = DateTimeOffset.UtcNow;
        try
        {
            foreach (var (at, kind) in faults)
            {
                var wait = at - (DateTimeOffset.UtcNow - started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop.Token);
                }
                Console.WriteLine($"fault at {at}: {kind}");
                await Task.WhenAll(meetings.Select(m => ApplyAsync(m, kind, stop.Token)));
            }
            var remaining = duration is { } d ? d - (DateTimeOffset.UtcNow - started) : Timeout.InfiniteTimeSpan;
            await Task.Delay(remaining > TimeSpan.Zero || remaining == Timeout.InfiniteTimeSpan ? remaining : TimeSpan.Zero, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var meeting in meetings.Where(m => m.State != MeetingState.Stopped))
        {
            await meeting.StopAsync(StopReason.MeetingEnded, CancellationToken.None);
        }
        var c = simulator.Counters;
        Console.WriteLine($"sent: {c.AudioFramesSent} audio, {c.VideoFramesSent} video, {c.TranscriptsSent} transcripts; dropped {c.FramesDropped}; signaling handshakes {c.SignalingHandshakes}, refused {c.HandshakeFailures}, duplicates {c.DuplicateSignalingFlagged}");
        return 0;
    }

    private static Task ApplyAsync(SimulatedMeeting meeting, string kind, CancellationToken ct) => kind switch
    {
        "drop-signaling" => meeting.Faults.DropSignalingAsync(),
        "drop-media" => meeting.Faults.DropMediaAsync(null),
        "stop-pings" => Run(() => meeting.Faults.SuppressKeepAlives(true, true)),
        "resume-pings" => Run(() => meeting.Faults.SuppressKeepAlives(false, false)),
        "malformed" => meeting.Faults.SendMalformedFrameAsync(),
        "bad-base64" => meeting.Faults.SendInvalidBase64Async(),
        "fragment" => Run(() => meeting.Faults.FragmentFrames = true),
        "binary" => Run(() => meeting.Faults.BinaryFrames = true),
        "duplicate" => Run(meeting.Faults.RejectNextSignalingAsDuplicate),
        "pause" => meeting.Faults.PauseAsync(),
        "resume" => meeting.Faults.ResumeAsync(),
        "failover" => meeting.Faults.FailoverAsync(ct),
        "stop" => meeting.StopAsync(StopReason.HostTriggered, ct),
        _ => throw new FormatException($"unknown fault '{kind}'"),
    };

    private static Task Run(Action action)
    {
        action();
        return Task.CompletedTask;
    }

    private static (TimeSpan At, string Kind) ParseFault(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new FormatException($"--fault wants AT:KIND, got '{text}'");
        }
        return (Duration(text[..colon]) ?? TimeSpan.Zero, text[(colon + 1)..]);
    }

    private static TimeSpan? Duration(string? text) => text switch
    {
        null => null,
        _ when text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(double.Parse(text[..^2], CultureInfo.InvariantCulture)),
        _ when text.EndsWith('s') => TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
        _ when text.EndsWith('m') => TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
        _ => TimeSpan.Parse(text, CultureInfo.InvariantCulture),
    };

    private static string? Value(Dictionary<string, List<string>> flags, string name) => flags.TryGetValue(name, out var values) ? values[^1] : null;

    private static Dictionary<string, List<string>> Parse(string[] args)
    {
        var flags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith('-'))
            {
                throw new FormatException($"unexpected argument '{args[i]}'");
            }
            var name = args[i].TrimStart('-');
            var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : string.Empty;
            if (!flags.TryGetValue(name, out var list))
            {
                flags[name] = list = [];
            }
            list.Add(value);
        }
        return flags;
    }
}
