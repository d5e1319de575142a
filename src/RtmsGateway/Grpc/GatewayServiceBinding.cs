using Google.Protobuf;
using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;

namespace RtmsGateway.Grpc;

/// <summary>
/// Binds <c>rtms.gateway.v1.RtmsGatewayService</c> like the generated code does, except that the four Subscribe* RPCs
/// write <see cref="EncodedMessage"/>s: responses serialized once when published and shared by every subscriber. The
/// wire format is unchanged (clients use the generated stubs); <see cref="Descriptor"/> feeds server reflection.
/// </summary>
internal static class GatewayServiceBinding
{
    private const string ServiceName = "rtms.gateway.v1.RtmsGatewayService";

    /// <summary>Found by server reflection on the declaring type of the service base class.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => RtmsGatewayService.Descriptor;

    /// <summary>What the gRPC service implements; grpc-dotnet finds the handlers by these abstract methods.</summary>
    [BindServiceMethod(typeof(GatewayServiceBinding), nameof(BindService))]
    internal abstract class ServiceBase
    {
        public abstract Task<ListSessionsResponse> ListSessions(ListSessionsRequest request, ServerCallContext context);

        public abstract Task WatchSessions(WatchSessionsRequest request, IServerStreamWriter<WatchSessionsResponse> responseStream, ServerCallContext context);

        public abstract Task SubscribeAudio(SubscribeAudioRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context);

        public abstract Task SubscribeVideo(SubscribeVideoRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context);

        public abstract Task SubscribeTranscripts(SubscribeTranscriptsRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context);

        public abstract Task SubscribeEvents(SubscribeEventsRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context);
    }

    /// <summary>Called by grpc-dotnet with <paramref name="service"/> null: handlers are then resolved per call.</summary>
    public static void BindService(ServiceBinderBase binder, ServiceBase? service)
    {
        binder.AddMethod(Unary("ListSessions", ListSessionsRequest.Parser, ListSessionsResponse.Parser), service is null ? null : service.ListSessions);
        binder.AddMethod(Streaming("WatchSessions", WatchSessionsRequest.Parser, Proto(WatchSessionsResponse.Parser)), service is null ? null : service.WatchSessions);
        binder.AddMethod(Streaming("SubscribeAudio", SubscribeAudioRequest.Parser, EncodedMessageMarshaller.Instance), service is null ? null : service.SubscribeAudio);
        binder.AddMethod(Streaming("SubscribeVideo", SubscribeVideoRequest.Parser, EncodedMessageMarshaller.Instance), service is null ? null : service.SubscribeVideo);
        binder.AddMethod(Streaming("SubscribeTranscripts", SubscribeTranscriptsRequest.Parser, EncodedMessageMarshaller.Instance), service is null ? null : service.SubscribeTranscripts);
        binder.AddMethod(Streaming("SubscribeEvents", SubscribeEventsRequest.Parser, EncodedMessageMarshaller.Instance), service is null ? null : service.SubscribeEvents);
    }

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse> =>
        new(MethodType.Unary, ServiceName, name, Proto(request), Proto(response));

    private static Method<TRequest, TResponse> Streaming<TRequest, TResponse>(string name, MessageParser<TRequest> request, Marshaller<TResponse> response)
        where TRequest : class, IMessage<TRequest> where TResponse : class =>
        new(MethodType.ServerStreaming, ServiceName, name, Proto(request), response);

    private static Marshaller<T> Proto<T>(MessageParser<T> parser) where T : class, IMessage<T> =>
        Marshallers.Create(static message => message.ToByteArray(), parser.ParseFrom);
}
