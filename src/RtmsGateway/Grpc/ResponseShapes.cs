using RtmsGateway.Api.V1;

namespace RtmsGateway.Grpc;

/// <summary>The <see cref="IResponseShape{T}"/> of each Subscribe* RPC.</summary>
internal sealed class ResponseShapes :
    IResponseShape<SubscribeAudioResponse>,
    IResponseShape<SubscribeVideoResponse>,
    IResponseShape<SubscribeTranscriptsResponse>,
    IResponseShape<SubscribeEventsResponse>
{
    public static ResponseShapes Instance { get; } = new();

    SubscribeAudioResponse IResponseShape<SubscribeAudioResponse>.Gap(Gap gap) => new() { Gap = gap };

    SubscribeAudioResponse IResponseShape<SubscribeAudioResponse>.Ended(SessionEnded ended) => new() { Ended = ended };

    SubscribeVideoResponse IResponseShape<SubscribeVideoResponse>.Gap(Gap gap) => new() { Gap = gap };

    SubscribeVideoResponse IResponseShape<SubscribeVideoResponse>.Ended(SessionEnded ended) => new() { Ended = ended };

    SubscribeTranscriptsResponse IResponseShape<SubscribeTranscriptsResponse>.Gap(Gap gap) => new() { Gap = gap };

    SubscribeTranscriptsResponse IResponseShape<SubscribeTranscriptsResponse>.Ended(SessionEnded ended) => new() { Ended = ended };

    SubscribeEventsResponse IResponseShape<SubscribeEventsResponse>.Gap(Gap gap) => new() { Gap = gap };

    SubscribeEventsResponse IResponseShape<SubscribeEventsResponse>.Ended(SessionEnded ended) => new() { Ended = ended };
}
