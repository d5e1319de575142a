using System.Security.Claims;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Security;

namespace RtmsGateway.Grpc;

/// <summary>
/// Applies <see cref="AuthOptions"/> to a gRPC call: UNAUTHENTICATED without valid credentials, PERMISSION_DENIED for a
/// consumer or channel its policy does not cover. Policies fail closed: an unset list allows nothing, <c>*</c> allows
/// all. A meeting the consumer may not read is answered exactly like one that does not exist (the callers use
/// <see cref="MayRead"/> and answer NOT_FOUND), so no answer tells an unauthorized consumer that a meeting exists.
/// Every refusal is counted.
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
        throw GatewayError.Create(StatusCode.PermissionDenied, ErrorReason.NotAllowed, $"Consumer '{consumer}' is not allowed to use this gateway.");
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
                throw GatewayError.Create(StatusCode.Unauthenticated, ErrorReason.CredentialsRequired, "A client certificate issued by the gateway's CA is required.");
            }
            var name = CertificateTrust.IdentityOf(certificate);
            var relayedFor = context.RequestHeaders.GetValue(RelayedConsumerHeader);
            return relayedFor is not null && options.Value.Mtls.RelayIdentities?.Contains(name, StringComparer.Ordinal) == true ? relayedFor : name;
        }
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            metrics.LimitRejected("unauthenticated");
            throw GatewayError.Create(StatusCode.Unauthenticated, ErrorReason.CredentialsRequired, "A valid bearer token is required.");
        }
        return user.FindFirstValue("client_id") ?? user.FindFirstValue("azp") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub");
    }

    /// <summary>Checks the channel a subscription asks for, before anything about its meeting is looked up.</summary>
    public void AuthorizeChannel(ConsumerPolicy? policy, string channel)
    {
        if (policy is not null && !Covers(policy.MediaTypes, channel))
        {
            metrics.LimitRejected("permission");
            throw GatewayError.Create(StatusCode.PermissionDenied, ErrorReason.NotAllowed, $"This consumer may not read {channel}.", metadata: new Dictionary<string, string> { ["channel"] = channel });
        }
    }

    /// <summary>May the consumer see this meeting at all? When not, callers answer as if it did not exist.</summary>
    public static bool MayRead(ConsumerPolicy? policy, string instanceId, string streamId) =>
        policy is null || Covers(policy.Instances, instanceId) || Covers(policy.Instances, streamId);

    public static bool Allows(ConsumerPolicy? policy, SessionInfo session) => MayRead(policy, session.InstanceId, session.RtmsStreamId);

    /// <summary>Fails closed: an unset list covers nothing.</summary>
    private static bool Covers(List<string>? allowed, string value) => allowed is not null && (allowed.Contains("*") || allowed.Contains(value, StringComparer.Ordinal));
}
