namespace RtmsGateway.Simulator;

/// <summary>A participant of a simulated meeting. Each speaks with a tone of their own frequency.</summary>
public sealed record SimulatedParticipant(long UserId, string Name, int ToneHz);
