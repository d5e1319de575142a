using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;

namespace RtmsGateway.Grpc;

/// <summary>
/// Server reflection follows the auth mode (<see cref="GatewayOptions.ReflectionRequiresAuth"/>, default on): with consumer
/// auth enabled, describing the API needs the same credentials as reading it, so an unauthenticated caller learns nothing
/// about the service. Health stays open for probes.
/// </summary>
internal sealed class ReflectionAuthInterceptor(ConsumerAuthorizer authorizer, IOptions<GatewayOptions> gateway) : Interceptor
{
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (gateway.Value.ReflectionRequiresAuth)
        {
            authorizer.Authenticate(context);
        }
        return continuation(requestStream, responseStream, context);
    }
}
