using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol.Webhooks;

/// <summary>The JSON body answering a URL validation challenge.</summary>
public sealed record UrlValidationResponse(
    [property: JsonPropertyName("plainToken")] string PlainToken,
    [property: JsonPropertyName("encryptedToken")] string EncryptedToken);
