using System.Text.Json.Serialization;

namespace RtmsGateway.Ownership;

/// <summary>Source-generated JSON for what replicas store in Redis.</summary>
[JsonSerializable(typeof(SessionRecord))]
internal sealed partial class SessionRecordJsonContext : JsonSerializerContext;
