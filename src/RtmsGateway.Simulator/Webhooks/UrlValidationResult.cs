using System.Net;

namespace RtmsGateway.Simulator;

/// <summary>The outcome of an <c>endpoint.url_validation</c> challenge sent to the gateway.</summary>
public sealed record UrlValidationResult(bool Succeeded, HttpStatusCode Status, string Detail);
