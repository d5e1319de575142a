using System.Security.Claims;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;

namespace RtmsGateway.Security;

/// <summary>
/// Applies <see cref="AuthOptions"/> to a gRPC call: UNAUTHENTICATED without a valid token, PERMISSION_DENIED for a
/// consumer, channel or meeting its policy does not cover. Every refusal is counted.
/// </summary>
internal sealed class ConsumerAuthorizer(IOptions<AuthOptions> options, GatewayMetrics metrics)
{
    public bool Enabled => options.Value.Mode != AuthMode.None;

    /// <summary>Header a replica adds when it relays a subscription for a consumer authenticated by client certificate.</summary>
    public const string RelayedConsumerHeader = "x-rtms-consumer";

    /// <summary>The caller's policy (null when auth is off: everything is allowed).</summary>
    public ConsumerPolicy? Authenticate(ServerCallContext context)
    {
        if (!Enabled)
        {
            return null;
        }
        var consumer = Identify(context);
        var consumers = options.Value.Consumers;
        if ((consumer is not null && consumers.TryGetValue(consumer, out var policy)) || consumers.TryGetValue("*", out policy))
        {
            return policy;
        }
        metrics.LimitRejected("permission");
        throw new RpcException(new Status(StatusCode.PermissionDenied, $"Consumer '{consumer}' is not allowed to use this gateway."));
    }

    /// <summary>What a relayed call to the owner must carry so the owner authorizes the same consumer.</summary>
    public IReadOnlyList<(string Key, string Value)> RelayCredentials(ServerCallContext context) => options.Value.Mode switch
    {
        AuthMode.Jwt when context.RequestHeaders.GetValue("authorization") is { } token => [("authorization", token)],
        AuthMode.Mtls => [(RelayedConsumerHeader, Identify(context) ?? string.Empty)],
        _ => [],
    };

    /// <summary>The authenticated consumer's name; UNAUTHENTICATED without valid credentials.</summary>
    private string? Identify(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (options.Value.Mode == AuthMode.Mtls)
        {
            // Kestrel already refused certificates the CA did not issue.
            if (http.Connection.ClientCertificate is not { } certificate)
            {
                metrics.LimitRejected("unauthenticated");
                throw new RpcException(new Status(StatusCode.Unauthenticated, "A client certificate issued by the gateway's CA is required."));
            }
            var name = CertificateTrust.IdentityOf(certificate);
            var relayedFor = context.RequestHeaders.GetValue(RelayedConsumerHeader);
            return relayedFor is not null && options.Value.Mtls.RelayIdentities?.Contains(name, StringComparer.Ordinal) == true ? relayedFor : name;
        }
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            metrics.LimitRejected("unauthenticated");
            throw new RpcException(new Status(StatusCode.Unauthenticated, "A valid bearer token is required."));
        }
        return user.FindFirstValue("client_id") ?? user.FindFirstValue("azp") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub");
    }

    /// <summary>Checks one subscription (after its session is known).</summary>
    public void Authorize(ConsumerPolicy? policy, string channel, string instanceId, string streamId)
    {
        if (policy is null)
        {
            return;
        }
        if (!Covers(policy.MediaTypes, channel))
        {
            metrics.LimitRejected("permission");
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"This consumer may not read {channel}."));
        }
        if (!Covers(policy.Instances, instanceId) && !Covers(policy.Instances, streamId))
        {
            metrics.LimitRejected("permission");
            throw new RpcException(new Status(StatusCode.PermissionDenied, "This consumer may not read that meeting."));
        }
    }

    public static bool Allows(ConsumerPolicy? policy, SessionInfo session) =>
        policy is null || Covers(policy.Instances, session.InstanceId) || Covers(policy.Instances, session.RtmsStreamId);

    private static bool Covers(List<string>? allowed, string value) => allowed is null || allowed.Contains("*") || allowed.Contains(value, StringComparer.Ordinal);
}
