using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Cli;

/// <summary>
/// <c>dotnet run --project src/RtmsGateway.Simulator -- --gateway URL --meetings N [options]</c>: runs simulated meetings
/// against a gateway's webhook endpoint, applies a scripted list of faults, and ends the meetings when the duration is
/// over (or on SIGTERM / Ctrl+C, see <see cref="StopSignals"/>), printing <see cref="ReadyLine"/> once the meetings started.
/// </summary>
public static class SimulatorCommand
{
    /// <summary>Development credentials used when neither flags nor environment variables set them.</summary>
    public const string DevClientId = "sim-client";
    public const string DevClientSecret = "sim-client-secret";
    public const string DevWebhookSecret = "sim-webhook-secret";

    public const string Usage = $$"""
        RTMS simulator: a fake Zoom speaking the RTMS V1 wire protocol (signed webhooks, signaling and media WebSockets).

          --gateway URL              webhook endpoint to post to, e.g. http://127.0.0.1:8080/webhooks/zoom
          --meetings N               simulated meetings to start (default 1)
          --participants N           participants per meeting (default 3)
          --product KIND             meeting | webinar | session (Video SDK) | contact-center (default meeting)
          --duration TIME            run this long, then stop the meetings (default: until SIGTERM or Ctrl+C)
          --stop-reason N|NAME       stop reason used at the end (default 6 MEETING_ENDED)
          --listen ADDRESS           listen address (default 127.0.0.1)
          --port N                   listen port for signaling/media WebSockets (default 0: a free port)
          --keepalive TIME           keep-alive interval (default 10s)
          --signaling-window TIME    wait for a signaling reconnect (default 60s)
          --media-window TIME        wait for a media reconnect (default 65s)
          --transcript-interval TIME time between transcript lines (default 2s)
          --wav FILE                 16-bit PCM WAV used as speech (e.g. espeak-ng -w speech.wav "hello") instead of tones
          --duplicate-mode MODE      reject (status 8, default) | kick (a second signaling connection kicks out the first)
          --nested-payload           put webhook fields under payload.object
          --ms-timestamps            send x-zm-request-timestamp in milliseconds
          --stamp                    embed send timestamps in audio and JPEG frames (latency measurement)
          --binary                   send every message in binary WebSocket frames
          --variants LIST            documented wire variants (§8), comma-separated: payload-encrypted, session-stop-reason,
                                     webinar-meeting-uuid, string-user-ids, multiple-urls, or all
          --body-style LIST          webhook body layout, comma-separated: whitespace, reordered, non-ascii (default compact)
          --redeliver LIST           redeliver failed webhooks after these delays, e.g. 5s,20s, or zoom (5m,20m,60m)
          --scopes LIST              media types the app's scopes allow: audio,video,deskshare,transcript,chat (default all)
          --validate                 send endpoint.url_validation first and print the result
          --fault AT:KIND[=ARG][@M]  inject a fault at time AT into every meeting (or meeting index M); repeatable.
                                     KIND: {{ScriptedFault.Kinds}}
          --client-id ID / --client-secret S / --webhook-secret S
                                     credentials; otherwise ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET, ZOOM_WEBHOOK_SECRET_TOKEN;
                                     otherwise the development values "{{DevClientId}}", "{{DevClientSecret}}", "{{DevWebhookSecret}}"
                                     (configure the gateway with the same).

        TIME is like 500ms, 10s, 2m. Example:
          dotnet run --project src/RtmsGateway.Simulator -- --gateway http://127.0.0.1:8080/webhooks/zoom --meetings 3 \
            --duration 60s --fault 5s:drop-signaling --fault 20s:pause --fault 25s:resume --fault 40s:stop=1@0
        """;

    public static async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        CliArguments cli;
        SimulatorOptions options;
        MeetingOptions meetingOptions;
        List<ScriptedFault> faults;
        StopReason finalReason;
        int count;
        try
        {
            cli = CliArguments.Parse(args);
            if (cli.Has("help") || cli.Has("h"))
            {
                Console.WriteLine(Usage);
                return 0;
            }
            options = Options(cli);
            meetingOptions = new MeetingOptions
            {
                Participants = cli.Int("participants", 3),
                Product = cli.Value("product") switch
                {
                    null or "meeting" => SimulatedProduct.Meeting,
                    "webinar" => SimulatedProduct.Webinar,
                    "session" or "videosdk" => SimulatedProduct.VideoSdk,
                    "contact-center" or "zcc" => SimulatedProduct.ContactCenter,
                    "phone" => SimulatedProduct.Phone,
                    var other => throw new FormatException($"unknown product '{other}'"),
                },
                TranscriptInterval = cli.Duration("transcript-interval") ?? TimeSpan.FromSeconds(2),
                AudioWavPath = cli.Value("wav"),
                Variants = CliLists.Variants(cli.Value("variants")),
            };
            count = cli.Int("meetings", 1);
            faults = [.. cli.Values("fault").Select(ScriptedFault.Parse).OrderBy(f => f.At)];
            finalReason = cli.Value("stop-reason") is { } reason ? Enum.Parse<StopReason>(reason, ignoreCase: true) : StopReason.MeetingEnded;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}\n\n{Usage}");
            return 2;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var signals = new StopSignals(stop);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning));
        try
        {
            await using var simulator = await RtmsSimulator.StartAsync(options, loggers, stop.Token);
            Console.WriteLine($"simulator: signaling {simulator.SignalingUri}, media {new Uri(simulator.SignalingUri, "/media/")}{{audio|video|transcript|all}}");
            Console.WriteLine($"simulator: webhooks to {options.WebhookUrl?.ToString() ?? "(none: --gateway not set)"}, client id {options.ClientId}");
            if (cli.Has("validate"))
            {
                var validation = await simulator.ValidateWebhookUrlAsync(stop.Token);
                Console.WriteLine($"url validation: {(validation.Succeeded ? "OK" : "FAILED")} (HTTP {(int)validation.Status}) {validation.Detail}");
            }
            var meetings = new List<SimulatedMeeting>();
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var meeting = simulator.AddMeeting(meetingOptions);
                    meetings.Add(meeting);
                    var status = await meeting.StartAsync(stop.Token);
                    Console.WriteLine($"meeting {i}: {meeting.InstanceId} stream {meeting.StreamId}: rtms_started -> HTTP {(int)status}");
                }
                Console.WriteLine($"{ReadyLine} ({meetings.Count} meetings; SIGTERM or Ctrl+C stops them)");
                await RunScriptAsync(meetings, faults, cli.Duration("duration"), stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // A signal while the meetings were starting: stop the ones that started.
            }
            if (signals.Received is { } signal)
            {
                Console.WriteLine($"simulator: {signal} received, stopping the meetings");
            }
            // In parallel: each stop waits for its webhook's answer (up to 3 s), and a signal wants a prompt exit.
            await Task.WhenAll(meetings.Where(m => m.State is not (MeetingState.Stopped or MeetingState.Created)).Select(async meeting =>
            {
                var status = await meeting.StopAsync(finalReason, CancellationToken.None);
                Console.WriteLine($"meeting {meetings.IndexOf(meeting)}: rtms_stopped ({(int)finalReason} {finalReason}) -> HTTP {(int)status}");
            }));
            Console.WriteLine($"totals: {simulator.Counters}");
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // A signal before the simulator was listening: nothing to stop.
            return 0;
        }
    }

    /// <summary>Printed on stdout once every meeting was started and the script runs: tools and tests wait for it.</summary>
    public const string ReadyLine = "simulator: ready";

    private static SimulatorOptions Options(CliArguments cli) => new()
    {
        ClientId = cli.Value("client-id") ?? Environment.GetEnvironmentVariable("ZOOM_CLIENT_ID") ?? DevClientId,
        ClientSecret = cli.Value("client-secret") ?? Environment.GetEnvironmentVariable("ZOOM_CLIENT_SECRET") ?? DevClientSecret,
        WebhookSecretToken = cli.Value("webhook-secret") ?? Environment.GetEnvironmentVariable("ZOOM_WEBHOOK_SECRET_TOKEN") ?? DevWebhookSecret,
        WebhookUrl = cli.Value("gateway") is { Length: > 0 } gateway ? new Uri(gateway) : null,
        ListenAddress = cli.Value("listen") ?? "127.0.0.1",
        Port = cli.Int("port", 0),
        KeepAliveInterval = cli.Duration("keepalive") ?? TimeSpan.FromSeconds(10),
        SignalingReconnectWindow = cli.Duration("signaling-window") ?? TimeSpan.FromSeconds(60),
        MediaReconnectWindow = cli.Duration("media-window") ?? TimeSpan.FromSeconds(65),
        DuplicateSignaling = cli.Value("duplicate-mode") is "kick" ? DuplicateSignalingMode.KickOutFirst : DuplicateSignalingMode.Reject,
        WebhookPayloadShape = cli.Has("nested-payload") ? WebhookPayloadShape.Nested : WebhookPayloadShape.Flat,
        WebhookTimestampUnit = cli.Has("ms-timestamps") ? WebhookTimestampUnit.Milliseconds : WebhookTimestampUnit.Seconds,
        EmbedSendTimestamps = cli.Has("stamp"),
        BinaryFrames = cli.Has("binary"),
        WebhookBodyStyle = CliLists.BodyStyle(cli.Value("body-style")),
        WebhookRedeliveryDelays = CliLists.Redeliveries(cli.Value("redeliver")),
        AppScopes = CliLists.Scopes(cli.Value("scopes")),
    };

    private static async Task RunScriptAsync(List<SimulatedMeeting> meetings, List<ScriptedFault> faults, TimeSpan? duration, CancellationToken ct)
    {
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            foreach (var fault in faults)
            {
                var wait = fault.At - TimeProvider.System.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }
                Console.WriteLine($"fault {fault}");
                var targets = fault.Meeting is { } index ? meetings.Where((_, i) => i == index) : meetings;
                try
                {
                    await Task.WhenAll(targets.Where(m => m.State != MeetingState.Stopped).Select(m => fault.ApplyAsync(m, ct)));
                }
                catch (InvalidOperationException ex)
                {
                    Console.WriteLine($"fault {fault.Kind} not applied: {ex.Message}");
                }
            }
            if (duration is { } total)
            {
                var remaining = total - TimeProvider.System.GetElapsedTime(started);
                if (remaining > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, ct);
                }
            }
            else
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
