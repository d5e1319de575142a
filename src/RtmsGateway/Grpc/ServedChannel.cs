using RtmsGateway.Sessions;

namespace RtmsGateway.Grpc;

/// <summary>The channel a subscription reads on the owner, and what holds it for the call (a conversion's lease).</summary>
internal readonly record struct ServedChannel(SessionChannel<EncodedMessage> Channel, IDisposable? Lease = null)
{
    public static implicit operator ServedChannel(SessionChannel<EncodedMessage> channel) => new(channel);
}
