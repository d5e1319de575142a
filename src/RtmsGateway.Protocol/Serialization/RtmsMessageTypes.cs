using System.Text.Json.Serialization.Metadata;

namespace RtmsGateway.Protocol.Serialization;

/// <summary>Maps a <see cref="MessageType"/> to the JSON metadata of its model class (null for media and unmodelled types).</summary>
internal static class RtmsMessageTypes
{
    public static JsonTypeInfo? TypeInfoFor(MessageType type)
    {
        var ctx = RtmsJsonContext.Default;
        return type switch
        {
            MessageType.SignalingHandshakeRequest => ctx.SignalingHandshakeRequest,
            MessageType.SignalingHandshakeResponse => ctx.SignalingHandshakeResponse,
            MessageType.DataHandshakeRequest => ctx.DataHandshakeRequest,
            MessageType.DataHandshakeResponse => ctx.DataHandshakeResponse,
            MessageType.EventSubscription => ctx.EventSubscription,
            MessageType.EventUpdate => ctx.EventUpdate,
            MessageType.ClientReadyAck => ctx.ClientReadyAck,
            MessageType.StreamStateUpdate => ctx.StreamStateUpdate,
            MessageType.SessionStateUpdate => ctx.SessionStateUpdate,
            MessageType.SessionStateRequest => ctx.SessionStateRequest,
            MessageType.SessionStateResponse => ctx.SessionStateResponse,
            MessageType.KeepAliveRequest => ctx.KeepAliveRequest,
            MessageType.KeepAliveResponse => ctx.KeepAliveResponse,
            MessageType.StreamStateRequest => ctx.StreamStateRequest,
            MessageType.StreamStateResponse => ctx.StreamStateResponse,
            MessageType.StreamCloseRequest => ctx.StreamCloseRequest,
            MessageType.StreamCloseResponse => ctx.StreamCloseResponse,
            MessageType.VideoSubscriptionRequest => ctx.VideoSubscriptionRequest,
            MessageType.VideoSubscriptionResponse => ctx.VideoSubscriptionResponse,
            _ => null,
        };
    }
}
