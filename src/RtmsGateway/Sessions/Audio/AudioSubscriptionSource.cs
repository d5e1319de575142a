namespace RtmsGateway.Sessions.Audio;

/// <summary>Where an audio subscription reads: the session's own audio channel (no lease), or a conversion's channel,
/// held (kept from being retired) until <see cref="Lease"/> is disposed.</summary>
internal readonly record struct AudioSubscriptionSource(SessionChannel<EncodedMessage> Channel, IDisposable? Lease);
