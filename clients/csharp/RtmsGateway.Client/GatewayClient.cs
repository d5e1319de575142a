using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Client;

/// <summary>
/// A client of RtmsGateway for services that consume live meetings. Each <c>Subscribe…</c> is an async stream that
/// outlives its gRPC calls: a replica that drains, dies or loses the session is left for another, the subscription
/// resumes after the last sequence it delivered, and what could not be replayed arrives as a <see cref="StreamItemKind.Gap"/>
/// item. Errors that a retry cannot fix (no such session, a bad request, credentials) end it with their
/// <see cref="RpcException"/>, whose details name the reason (see <c>errors.proto</c>).
/// </summary>
/// <example>
/// <code>
/// await using var gateway = new GatewayClient(new GatewayClientOptions { Addresses = { new Uri("http://gateway:5000") } });
/// await foreach (var item in gateway.SubscribeTranscripts(new SubscriptionTarget { InstanceId = meetingUuid }))
///     Console.WriteLine(item.Message is { } s ? $"{s.Header.UserName}: {s.Text}" : $"gap or end: {item.Kind}");
/// </code>
/// </example>
public sealed class GatewayClient : IAsyncDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly RtmsGatewayService.RtmsGatewayServiceClient[] _stubs;
    private int _next;

    public GatewayClient(GatewayClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _channels = [.. options.Addresses.Select(address => Open(address, options))];
        _stubs = [.. _channels.Select(c => new RtmsGatewayService.RtmsGatewayServiceClient(c))];
        _next = Random.Shared.Next(_channels.Length);
    }

    public GatewayClientOptions Options { get; }

    /// <summary>Audio frames of one session (and gaps, and its end), in the format Zoom sends.</summary>
    public IAsyncEnumerable<StreamItem<AudioFrame>> SubscribeAudio(SubscriptionTarget target, CancellationToken ct = default) =>
        SubscribeAudio(target, format: null, ct);

    /// <summary>
    /// Audio frames of one session (and gaps, and its end) in <paramref name="format"/> (null: as Zoom sends them),
    /// asked for again on every reconnect; <see cref="AudioFrame.Format"/> says what each frame is.
    /// </summary>
    public IAsyncEnumerable<StreamItem<AudioFrame>> SubscribeAudio(SubscriptionTarget target, AudioFormatRequest? format, CancellationToken ct = default)
    {
        var requested = format?.Clone();
        return Resilient<SubscribeAudioResponse, AudioFrame>(target, (s, t, o) => s.SubscribeAudio(new SubscribeAudioRequest { Target = t, Format = requested }, o),
            r => r.Frame is { } f ? StreamItem<AudioFrame>.OfMessage(f, f.Header.Sequence) : Other<AudioFrame>(r.Gap, r.Ended), ct);
    }

    /// <summary>Video frames of one session; <paramref name="source"/> unspecified = camera and screen share.</summary>
    public IAsyncEnumerable<StreamItem<VideoFrame>> SubscribeVideo(SubscriptionTarget target, VideoSource source = VideoSource.Unspecified, CancellationToken ct = default) =>
        Resilient<SubscribeVideoResponse, VideoFrame>(target, (s, t, o) => s.SubscribeVideo(new SubscribeVideoRequest { Target = t, Source = source }, o),
            r => r.Frame is { } f ? StreamItem<VideoFrame>.OfMessage(f, f.Header.Sequence) : Other<VideoFrame>(r.Gap, r.Ended), ct);

    /// <summary>Transcript segments of one session.</summary>
    public IAsyncEnumerable<StreamItem<TranscriptSegment>> SubscribeTranscripts(SubscriptionTarget target, CancellationToken ct = default) =>
        Resilient<SubscribeTranscriptsResponse, TranscriptSegment>(target, (s, t, o) => s.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = t }, o),
            r => r.Segment is { } m ? StreamItem<TranscriptSegment>.OfMessage(m, m.Header.Sequence) : Other<TranscriptSegment>(r.Gap, r.Ended), ct);

    /// <summary>Participant, sharing, state, chat and upstream events of one session.</summary>
    public IAsyncEnumerable<StreamItem<SessionEvent>> SubscribeEvents(SubscriptionTarget target, CancellationToken ct = default) =>
        Resilient<SubscribeEventsResponse, SessionEvent>(target, (s, t, o) => s.SubscribeEvents(new SubscribeEventsRequest { Target = t }, o),
            r => r.Event is { } e ? StreamItem<SessionEvent>.OfMessage(e, e.Header.Sequence) : Other<SessionEvent>(r.Gap, r.Ended), ct);

    /// <summary>Every session the gateway lists (all pages), retried on another replica while one is unavailable.</summary>
    public async IAsyncEnumerable<SessionInfo> ListSessionsAsync(bool includeStopped = false, string instanceId = "", [EnumeratorCancellation] CancellationToken ct = default)
    {
        var request = new ListSessionsRequest { IncludeStopped = includeStopped, InstanceId = instanceId };
        do
        {
            var page = await UnaryAsync((s, o) => s.ListSessionsAsync(request, o).ResponseAsync, ct);
            foreach (var session in page.Sessions)
            {
                yield return session;
            }
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
    }

    /// <summary>The generated stub of the replica used next, for calls this class does not wrap.</summary>
    public RtmsGatewayService.RtmsGatewayServiceClient Stub() => _stubs[FirstReplica()];

    internal RtmsGatewayService.RtmsGatewayServiceClient Stub(int replica) => _stubs[replica];

    internal int FirstReplica() => (int)((uint)Interlocked.Increment(ref _next) % (uint)_stubs.Length);

    internal int NextReplica(int replica) => (replica + 1) % _stubs.Length;

    internal async ValueTask<CallOptions> CallOptionsAsync(TimeSpan? deadline, CancellationToken ct)
    {
        var headers = new Metadata();
        if (Options.BearerToken is { } provider && await provider(ct) is { Length: > 0 } token)
        {
            headers.Add("authorization", "Bearer " + token);
        }
        return new CallOptions(headers, deadline is { } d ? DateTime.UtcNow + d : null, ct);
    }

    private IAsyncEnumerable<StreamItem<T>> Resilient<TResponse, T>(SubscriptionTarget target,
        Func<RtmsGatewayService.RtmsGatewayServiceClient, SubscriptionTarget, CallOptions, AsyncServerStreamingCall<TResponse>> open,
        Func<TResponse, StreamItem<T>?> itemOf, CancellationToken ct) where TResponse : class where T : class
    {
        ArgumentNullException.ThrowIfNull(target);
        return new ResumingSubscription<TResponse, T>(this, target, open, itemOf).RunAsync(ct);
    }

    private static StreamItem<T>? Other<T>(Gap? gap, SessionEnded? ended) where T : class =>
        gap is not null ? StreamItem<T>.OfGap(gap) : ended is not null ? StreamItem<T>.OfEnd(ended) : null;

    private async Task<TResult> UnaryAsync<TResult>(Func<RtmsGatewayService.RtmsGatewayServiceClient, CallOptions, Task<TResult>> call, CancellationToken ct)
    {
        var replica = FirstReplica();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(_stubs[replica], await CallOptionsAsync(Options.UnaryDeadline, ct));
            }
            catch (RpcException ex)
            {
                var decision = RetryPolicy.Decide(ex, ct.IsCancellationRequested, RetryPolicy.Backoff(attempt, Options.InitialBackoff, Options.MaxBackoff));
                if (!decision.Retry || attempt >= 2 * _stubs.Length)
                {
                    throw;
                }
                replica = NextReplica(replica);
                await Task.Delay(decision.Delay, Options.Time, ct);
            }
        }
    }

    private static GrpcChannel Open(Uri address, GatewayClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = options.KeepAliveInterval > TimeSpan.Zero ? options.KeepAliveInterval : Timeout.InfiniteTimeSpan,
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };
        var channelOptions = new GrpcChannelOptions { HttpHandler = handler, MaxReceiveMessageSize = 16 * 1024 * 1024 };
        if (address.Scheme == "dns")
        {
            // Every address the name resolves to, balanced per call (a headless Service's pods).
            channelOptions.Credentials = ChannelCredentials.Insecure;
            channelOptions.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
        }
        return GrpcChannel.ForAddress(address, channelOptions);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
