using Grpc.Core;
using RtmsGateway.Sessions;

namespace RtmsGateway.Grpc;

/// <summary>Writes an <see cref="EncodedMessage"/> as it is (the bytes already are the response's protobuf encoding).</summary>
internal static class EncodedMessageMarshaller
{
    public static Marshaller<EncodedMessage> Instance { get; } = new(
        static (message, context) => context.Complete(message.Bytes),
        static _ => throw new NotSupportedException("Encoded messages are only ever sent by the server."));
}
