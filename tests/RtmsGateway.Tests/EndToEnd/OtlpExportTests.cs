using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using RtmsGateway.Api.V1;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// A gateway configured only by the standard <c>OTEL_*</c> settings exports one trace per session start to an OTLP
/// endpoint (here an OTLP/HTTP receiver in the test, decoding the protobuf it is sent): the webhook's HTTP request, the
/// router's handling of it, the lease claim, and the session's start until Zoom's first media with the connection
/// inside it, all carrying the stream id, under service.name "rtms-gateway"; and its metrics, the latency histograms
/// among them.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task A_sessions_start_is_exported_as_one_trace_and_its_metrics_follow()
    {
        await using var receiver = OtlpReceiver.Start();
        await using var gateway = await GatewayReplica.StartAsync("otlp", new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        SessionInfo? session = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); session is null && DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            session = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.FirstOrDefault(s => s.State == SessionState.Streaming);
        }
        Assert.NotNull(session);
        var streamId = session.RtmsStreamId;

        // The session-start span ends at the first media message: once it is exported, the whole start is.
        var spans = await receiver.WaitForSpansAsync(all => all.Any(s => s.Name == "rtms.session.start" && s.Attributes.GetValueOrDefault("rtms.stream_id") == streamId),
            TimeSpan.FromSeconds(30), gateway);
        var ofStream = spans.Where(s => s.Attributes.GetValueOrDefault("rtms.stream_id") == streamId).ToList();
        var webhook = Assert.Single(ofStream, s => s.Name == "rtms.webhook" && s.Attributes.GetValueOrDefault("rtms.event") == "meeting.rtms_started");
        var claim = Assert.Single(ofStream, s => s.Name == "rtms.claim");
        var start = Assert.Single(ofStream, s => s.Name == "rtms.session.start");
        var connect = Assert.Single(ofStream, s => s.Name == "rtms.connect");
        Assert.All(new[] { claim, start, connect }, s => Assert.Equal(webhook.TraceId, s.TraceId));
        Assert.Equal(webhook.SpanId, claim.ParentSpanId);
        Assert.Equal(webhook.SpanId, start.ParentSpanId);
        Assert.Equal(start.SpanId, connect.ParentSpanId);
        Assert.True(long.Parse(claim.Attributes["rtms.epoch"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("webhook", start.Attributes["rtms.start"]);
        Assert.Contains("first_media", start.Events);
        // The router's span continues the trace of the HTTP request that brought the webhook.
        var request = Assert.Single(spans, s => s.SpanId == webhook.ParentSpanId);
        Assert.Equal(webhook.TraceId, request.TraceId);
        Assert.Contains("POST", request.Name, StringComparison.Ordinal);
        Assert.All(ofStream, s => Assert.Equal("rtms-gateway", s.Resource.GetValueOrDefault("service.name")));
        Assert.All(ofStream, s => Assert.Equal("otlp", s.Resource.GetValueOrDefault("service.instance.id")));

        var metrics = await receiver.WaitForMetricsAsync(names => names.Contains("rtms_gateway.time_to_first_media") && names.Contains("rtms_gateway.delivery_latency"),
            TimeSpan.FromSeconds(30), gateway, subscribe: async () =>
            {
                // Delivery latency is measured as a subscriber is written to.
                using var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = streamId } });
                await StreamReading.ReadAsync(audio.ResponseStream, 5, r => r.Frame is not null);
            });
        Assert.Contains("rtms_gateway.zoom_latency", metrics);
    }

    private sealed record Span(string TraceId, string SpanId, string ParentSpanId, string Name,
        Dictionary<string, string> Attributes, List<string> Events, Dictionary<string, string> Resource);

    /// <summary>An OTLP/HTTP endpoint (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>) that keeps what it is sent,
    /// decoded with the field numbers of opentelemetry-proto's collector messages.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<Span> _spans = new();
        private readonly ConcurrentDictionary<string, bool> _metrics = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _received = new(0);
        private readonly Task _serving;

        private OtlpReceiver(int port)
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Endpoint.ToString());
            _listener.Start();
            _serving = ServeAsync();
        }

        public Uri Endpoint { get; }

        /// <summary>Exports that did not decode.</summary>
        public ConcurrentQueue<string> Errors { get; } = new();

        public static OtlpReceiver Start() => new(FreePort.Next());

        public async Task<List<Span>> WaitForSpansAsync(Func<List<Span>, bool> done, TimeSpan timeout, GatewayReplica gateway)
        {
            using var limit = new CancellationTokenSource(timeout);
            while (!done([.. _spans]))
            {
                await WaitAsync(limit, gateway, "spans");
            }
            return [.. _spans];
        }

        public async Task<HashSet<string>> WaitForMetricsAsync(Func<HashSet<string>, bool> done, TimeSpan timeout, GatewayReplica gateway, Func<Task> subscribe)
        {
            using var limit = new CancellationTokenSource(timeout);
            await subscribe();
            while (!done([.. _metrics.Keys]))
            {
                await WaitAsync(limit, gateway, $"metrics (have {string.Join(", ", _metrics.Keys)})");
            }
            return [.. _metrics.Keys];
        }

        /// <summary>Until the next export arrives (a readiness signal, not a sleep).</summary>
        private async Task WaitAsync(CancellationTokenSource limit, GatewayReplica gateway, string what)
        {
            try
            {
                await _received.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no OTLP export of the expected {what} in time; undecodable exports: [{string.Join("; ", Errors)}]; gateway output:\n{gateway.OutputTail(40)}");
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var path = context.Request.Url!.AbsolutePath;
                try
                {
                    if (path.EndsWith("/v1/traces", StringComparison.Ordinal))
                    {
                        foreach (var span in DecodeSpans(body.ToArray()))
                        {
                            _spans.Enqueue(span);
                        }
                    }
                    else if (path.EndsWith("/v1/metrics", StringComparison.Ordinal))
                    {
                        foreach (var name in DecodeMetricNames(body.ToArray()))
                        {
                            _metrics[name] = true;
                        }
                    }
                }
                catch (InvalidProtocolBufferException ex)
                {
                    // Reported with the next wait's failure; the receiver keeps serving.
                    Errors.Enqueue($"{path}: {ex.Message}");
                }
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
                _received.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _serving;
            _received.Dispose();
        }

        // ExportTraceServiceRequest { 1: ResourceSpans { 1: Resource { 1: KeyValue* }, 2: ScopeSpans { 2: Span* } } }
        // Span { 1: trace_id, 2: span_id, 4: parent_span_id, 5: name, 9: KeyValue*, 11: Event { 2: name }* }
        private static IEnumerable<Span> DecodeSpans(byte[] request)
        {
            foreach (var resourceSpans in Fields(request, 1))
            {
                var resource = Fields(resourceSpans, 1).SelectMany(r => Fields(r, 1)).Select(KeyValue).ToDictionary(kv => kv.Key, kv => kv.Value);
                foreach (var span in Fields(resourceSpans, 2).SelectMany(scope => Fields(scope, 2)))
                {
                    yield return new Span(
                        Hex(Fields(span, 1).FirstOrDefault()), Hex(Fields(span, 2).FirstOrDefault()), Hex(Fields(span, 4).FirstOrDefault()),
                        Text(Fields(span, 5).FirstOrDefault()),
                        Fields(span, 9).Select(KeyValue).ToDictionary(kv => kv.Key, kv => kv.Value),
                        [.. Fields(span, 11).Select(e => Text(Fields(e, 2).FirstOrDefault()))],
                        resource);
                }
            }
        }

        // ExportMetricsServiceRequest { 1: ResourceMetrics { 2: ScopeMetrics { 2: Metric { 1: name } } } }
        private static IEnumerable<string> DecodeMetricNames(byte[] request) =>
            Fields(request, 1).SelectMany(r => Fields(r, 2)).SelectMany(s => Fields(s, 2)).Select(m => Text(Fields(m, 1).FirstOrDefault()));

        // KeyValue { 1: key, 2: AnyValue { 1: string_value | 3: int_value } }
        private static (string Key, string Value) KeyValue(byte[] keyValue)
        {
            var key = Text(Fields(keyValue, 1).FirstOrDefault());
            var any = Fields(keyValue, 2).FirstOrDefault() ?? [];
            var input = new CodedInputStream(any);
            var value = string.Empty;
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1:
                        value = input.ReadString();
                        break;
                    case 3:
                        value = input.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }
            return (key, value);
        }

        /// <summary>The length-delimited fields numbered <paramref name="number"/> of a message.</summary>
        private static List<byte[]> Fields(byte[] message, int number)
        {
            var found = new List<byte[]>();
            var input = new CodedInputStream(message);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    found.Add(input.ReadBytes().ToByteArray());
                }
                else
                {
                    input.SkipLastField();
                }
            }
            return found;
        }

        private static string Text(byte[]? bytes) => bytes is null ? string.Empty : System.Text.Encoding.UTF8.GetString(bytes);

        private static string Hex(byte[]? bytes) => bytes is null || bytes.Length == 0 ? string.Empty : Convert.ToHexStringLower(bytes);
    }
}
