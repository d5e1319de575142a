using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol.Serialization;

/// <summary>
/// Source-generated System.Text.Json metadata for every modelled RTMS message. Numbers sent as strings are accepted. A JSON
/// null for a member declared non-nullable refuses the frame (a handshake or event without its ids is not one); null
/// collections read as empty and null entries in them are dropped (see the models' <c>OnDeserialized</c>).
/// </summary>
[JsonSourceGenerationOptions(
    RespectNullableAnnotations = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(SignalingHandshakeRequest))]
[JsonSerializable(typeof(SignalingHandshakeResponse))]
[JsonSerializable(typeof(DataHandshakeRequest))]
[JsonSerializable(typeof(DataHandshakeResponse))]
[JsonSerializable(typeof(EventSubscription))]
[JsonSerializable(typeof(EventUpdate))]
[JsonSerializable(typeof(ClientReadyAck))]
[JsonSerializable(typeof(StreamStateUpdate))]
[JsonSerializable(typeof(SessionStateUpdate))]
[JsonSerializable(typeof(SessionStateRequest))]
[JsonSerializable(typeof(SessionStateResponse))]
[JsonSerializable(typeof(KeepAliveRequest))]
[JsonSerializable(typeof(KeepAliveResponse))]
[JsonSerializable(typeof(StreamStateRequest))]
[JsonSerializable(typeof(StreamStateResponse))]
[JsonSerializable(typeof(StreamCloseRequest))]
[JsonSerializable(typeof(StreamCloseResponse))]
[JsonSerializable(typeof(VideoSubscriptionRequest))]
[JsonSerializable(typeof(VideoSubscriptionResponse))]
[JsonSerializable(typeof(RtmsEvent))]
public sealed partial class RtmsJsonContext : JsonSerializerContext;
