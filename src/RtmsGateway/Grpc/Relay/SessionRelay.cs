using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Cluster;
using RtmsGateway.Rtms;

namespace RtmsGateway.Grpc.Relay;

/// <summary>
/// Serves a subscriber whose session is owned by another replica: opens the same subscription on the owner (found in
/// Redis) and forwards every message. When the owner goes away (killed, drained, lease lost) it finds the new owner
/// and resubscribes with <c>resume_after_sequence</c> = the last sequence forwarded, so the subscriber keeps its one
/// call and sees a <see cref="Gap"/> only for what was really lost.
/// </summary>
internal sealed partial class SessionRelay(
    IOwnershipStore ownership, ReplicaRegistry replicas, RelayTls relayTls, IOptions<GatewayOptions> gateway, TimeProvider time, ILogger<SessionRelay> logger) : IDisposable
{
    /// <summary>Marks replica-to-replica calls: the receiver serves them only from its own sessions, never relays again.</summary>
    public const string RelayHeader = "x-rtms-relay";

    private readonly ConcurrentDictionary<Uri, GrpcChannel> _channels = new();

    public static bool IsRelayCall(ServerCallContext context) => context.RequestHeaders.Get(RelayHeader) is not null;

    /// <summary>
    /// Relays until the session ends (the owner's last message), the caller goes away, or no replica serves the session
    /// for <see cref="GatewayOptions.RelayFollowTimeout"/>. Every way it ends early — drain of this replica, the owner gone
    /// for good, Redis unreachable for that long — is UNAVAILABLE with the <c>resume-after-sequence</c> trailer.
    /// </summary>
    public async Task RelayAsync<T>(
        string streamId, SubscriptionTarget original,
        Func<RtmsGatewayService.RtmsGatewayServiceClient, SubscriptionTarget, CallOptions, AsyncServerStreamingCall<T>> open,
        Func<T, ulong?> positionOf, Func<T, bool> isEnd, IServerStreamWriter<T> stream, IReadOnlyList<(string Key, string Value)> credentials, CancellationToken ct)
    {
        var last = original.HasResumeAfterSequence ? original.ResumeAfterSequence : 0;
        // resume_after_sequence = 0 ("before the first message") is a resume point like any other: it must reach the owner
        // as set, or the owner would start the call live and skip its backlog without a Gap.
        var resuming = original.HasResumeAfterSequence;
        var fromStart = original.FromStart;
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        long? orphanedSince = null;
        var everFound = false;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var why = "no replica owns it";
                try
                {
                    var owner = await ownership.GetAsync(streamId, ct);
                    if (owner is null && !everFound)
                    {
                        throw GatewayError.Create(StatusCode.NotFound, ErrorReason.SessionNotFound, $"RTMS stream '{streamId}' is not known to the cluster.", streamId);
                    }
                    everFound = true;
                    var address = owner?.OwnerReplicaId is null ? null : await replicas.ResolveAsync(owner.OwnerReplicaId, ct);
                    if (address is not null)
                    {
                        var target = new SubscriptionTarget { RtmsStreamId = streamId, FromStart = fromStart && last == 0, UserIds = { original.UserIds } };
                        if (resuming || last != 0)
                        {
                            target.ResumeAfterSequence = last;
                        }
                        try
                        {
                            var client = new RtmsGatewayService.RtmsGatewayServiceClient(Channel(address));
                            var headers = new Metadata { { RelayHeader, gateway.Value.ReplicaId } };
                            foreach (var (key, value) in credentials)
                            {
                                // The owner authorizes the same consumer: its token (or, with mTLS, its name) travels with the relay.
                                headers.Add(key, value);
                            }
                            using var call = open(client, target, new CallOptions(headers, cancellationToken: ct));
                            await foreach (var message in call.ResponseStream.ReadAllAsync(ct))
                            {
                                // Not cancelled by drain: a write cut mid-message resets the stream (CANCELLED, no resume point).
                                await stream.WriteAsync(message, CancellationToken.None);
                                last = positionOf(message) ?? last;
                                orphanedSince = null;
                                backoff.Reset();
                                if (isEnd(message))
                                {
                                    return;
                                }
                            }
                            return;
                        }
                        catch (RpcException ex) when (IsOwnerGone(ex) && !ct.IsCancellationRequested)
                        {
                            LogFollowing(streamId, owner!.OwnerReplicaId!, ex.StatusCode, last);
                            why = $"its owner {owner.OwnerReplicaId} went away ({ex.StatusCode})";
                        }
                        catch (RpcException ex) when (!ct.IsCancellationRequested)
                        {
                            // The owner's own answer (its reason and retry advice), with the resume point of this call.
                            throw GatewayError.Relayed(ex, streamId, last);
                        }
                    }
                }
                catch (OwnershipStoreUnavailableException ex)
                {
                    // Redis is down or unreachable from here: the owner cannot be looked up now; keep trying.
                    LogStoreUnavailable(streamId, ex.Message);
                    why = "the cluster's ownership records are unreachable";
                }
                orphanedSince ??= time.GetTimestamp();
                if (time.GetElapsedTime(orphanedSince.Value) > gateway.Value.RelayFollowTimeout)
                {
                    throw GatewayError.Create(StatusCode.Unavailable, ErrorReason.OwnerLost,
                        $"RTMS stream '{streamId}' has not been served for {gateway.Value.RelayFollowTimeout.TotalSeconds:0} s ({why}); reconnect and resume.", streamId, last);
                }
                await Task.Delay(backoff.Next(), time, ct);
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // This replica drains (or the caller left, who then never sees this): the session lives on elsewhere. Whatever
            // the owner's call ended with meanwhile (cancelled, or aborted as this replica's channels close), the caller
            // gets the one answer a drain gives.
            throw GatewayError.Create(StatusCode.Unavailable, ErrorReason.Draining, "This replica stopped relaying the session (shutting down); reconnect and resume.", streamId, last);
        }
    }

    /// <summary>The owner died, drains, or no longer has the session: find the next owner.</summary>
    private static bool IsOwnerGone(RpcException ex) =>
        ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled or StatusCode.NotFound;

    private GrpcChannel Channel(Uri address) => _channels.GetOrAdd(address, a => GrpcChannel.ForAddress(a, new GrpcChannelOptions
    {
        MaxReceiveMessageSize = 64 * 1024 * 1024,
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            SslOptions = relayTls.ClientOptions(),
        },
    }));

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }

    [LoggerMessage(EventId = LogEventIds.RelayFollowing, Level = LogLevel.Information, Message = "Relay of {StreamId}: owner {Owner} went away ({Status}); following the session from sequence {Last}")]
    private partial void LogFollowing(string streamId, string owner, StatusCode status, ulong last);

    [LoggerMessage(EventId = LogEventIds.RelayStoreUnavailable, Level = LogLevel.Warning, Message = "Relay of {StreamId}: the ownership store is unreachable ({Error}); retrying")]
    private partial void LogStoreUnavailable(string streamId, string error);
}
