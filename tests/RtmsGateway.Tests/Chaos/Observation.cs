using RtmsGateway.Api.V1;

namespace RtmsGateway.Tests.Chaos;

/// <summary>What one response of any subscription carried: a message (its sequence and gateway receive time), a gap
/// notice, or the session's end.</summary>
internal readonly record struct Observation(ObservationKind Kind, ulong Sequence, DateTimeOffset ReceivedAt, Gap? Gap, SessionEnded? Ended)
{
    public static Observation Of(SubscribeAudioResponse response) => response.MessageCase switch
    {
        SubscribeAudioResponse.MessageOneofCase.Frame => Message(response.Frame.Header),
        SubscribeAudioResponse.MessageOneofCase.Gap => OfGap(response.Gap),
        SubscribeAudioResponse.MessageOneofCase.Ended => OfEnd(response.Ended),
        _ => default,
    };

    public static Observation Of(SubscribeTranscriptsResponse response) => response.MessageCase switch
    {
        SubscribeTranscriptsResponse.MessageOneofCase.Segment => Message(response.Segment.Header),
        SubscribeTranscriptsResponse.MessageOneofCase.Gap => OfGap(response.Gap),
        SubscribeTranscriptsResponse.MessageOneofCase.Ended => OfEnd(response.Ended),
        _ => default,
    };

    public static Observation Of(SubscribeEventsResponse response) => response.MessageCase switch
    {
        SubscribeEventsResponse.MessageOneofCase.Event => Message(response.Event.Header),
        SubscribeEventsResponse.MessageOneofCase.Gap => OfGap(response.Gap),
        SubscribeEventsResponse.MessageOneofCase.Ended => OfEnd(response.Ended),
        _ => default,
    };

    public static Observation Message(ulong sequence, DateTimeOffset receivedAt = default) => new(ObservationKind.Message, sequence, receivedAt, null, null);

    public static Observation OfGap(Gap gap) => new(ObservationKind.Gap, 0, default, gap, null);

    public static Observation OfEnd(SessionEnded ended) => new(ObservationKind.Ended, 0, default, null, ended);

    private static Observation Message(MessageHeader header) =>
        Message(header.Sequence, header.ReceivedAt?.ToDateTimeOffset() ?? default);
}

internal enum ObservationKind
{
    /// <summary>A response with none of the known cases set (a newer API, or a bug).</summary>
    Unknown,
    Message,
    Gap,
    Ended,
}
