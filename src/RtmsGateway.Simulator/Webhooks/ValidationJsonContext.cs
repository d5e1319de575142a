using System.Text.Json.Serialization;

namespace RtmsGateway.Simulator;

[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
internal sealed partial class ValidationJsonContext : JsonSerializerContext;
