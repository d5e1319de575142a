using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;
using RtmsGateway.Sessions.Audio;

namespace RtmsGateway.Grpc;

/// <summary>
/// SubscribeAudioRequest.format's refusals as statuses: a format the gateway does not produce is INVALID_ARGUMENT, a
/// session whose audio cannot be converted to it FAILED_PRECONDITION (both reason INVALID_AUDIO_FORMAT, with a BadRequest
/// naming the field), a session at its budget of formats RESOURCE_EXHAUSTED (CONVERSION_LIMIT, metadata "limit").
/// </summary>
internal static class AudioFormatErrors
{
    public static void Check(AudioFormatRequest format, string? streamId)
    {
        try
        {
            AudioFormatSelection.Validate(format);
        }
        catch (SubscriptionRefusedException ex)
        {
            throw Map(ex, streamId);
        }
    }

    public static ServedChannel Open(SessionHub hub, AudioFormatRequest? format)
    {
        try
        {
            var source = hub.OpenAudio(format);
            return new ServedChannel(source.Channel, source.Lease);
        }
        catch (SubscriptionRefusedException ex)
        {
            throw Map(ex, hub.StreamId);
        }
    }

    private static RpcException Map(SubscriptionRefusedException ex, string? streamId) => ex.Refusal switch
    {
        SubscriptionRefusal.ConversionLimit => GatewayError.Create(StatusCode.ResourceExhausted, ErrorReason.ConversionLimit, ex.Message, streamId,
            metadata: new Dictionary<string, string> { ["limit"] = (ex.Limit ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        SubscriptionRefusal.AudioNotConvertible => GatewayError.Create(StatusCode.FailedPrecondition, ErrorReason.InvalidAudioFormat, ex.Message, streamId, badField: ex.Field ?? "format"),
        _ => GatewayError.Create(StatusCode.InvalidArgument, ErrorReason.InvalidAudioFormat, ex.Message, streamId, badField: ex.Field ?? "format"),
    };
}
