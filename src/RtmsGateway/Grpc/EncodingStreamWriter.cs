using Google.Protobuf;
using Grpc.Core;
using RtmsGateway.Sessions;

namespace RtmsGateway.Grpc;

/// <summary>Lets code that produces typed responses (the cluster relay) write to a call whose responses are pre-encoded.</summary>
internal sealed class EncodingStreamWriter<T>(IServerStreamWriter<EncodedMessage> inner) : IServerStreamWriter<T> where T : IMessage
{
    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(T message) => inner.WriteAsync(EncodedMessage.Of(message));

    public Task WriteAsync(T message, CancellationToken cancellationToken) => inner.WriteAsync(EncodedMessage.Of(message), cancellationToken);
}
