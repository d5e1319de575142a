using Google.Protobuf;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;

namespace RtmsGateway.Grpc;

/// <summary>How one Subscribe* RPC wraps the notices every subscription can carry (gap, end of session), encoded.</summary>
internal sealed class ResponseShape(Func<Gap, IMessage> gap, Func<SessionEnded, IMessage> ended)
{
    public static ResponseShape Audio { get; } = new(g => new SubscribeAudioResponse { Gap = g }, e => new SubscribeAudioResponse { Ended = e });

    public static ResponseShape Video { get; } = new(g => new SubscribeVideoResponse { Gap = g }, e => new SubscribeVideoResponse { Ended = e });

    public static ResponseShape Transcripts { get; } = new(g => new SubscribeTranscriptsResponse { Gap = g }, e => new SubscribeTranscriptsResponse { Ended = e });

    public static ResponseShape Events { get; } = new(g => new SubscribeEventsResponse { Gap = g }, e => new SubscribeEventsResponse { Ended = e });

    public EncodedMessage Gap(Gap notice) => EncodedMessage.Of(gap(notice));

    public EncodedMessage Ended(SessionEnded notice) => EncodedMessage.Of(ended(notice));
}
