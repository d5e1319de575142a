namespace RtmsGateway.Simulator;

/// <summary>A participant of a simulated meeting (a snapshot). Each speaks with a tone of their own frequency.</summary>
public sealed record SimulatedParticipant(long UserId, string Name, int ToneHz)
{
    /// <summary>Muted participants produce no audio packets (and no transcripts).</summary>
    public bool IsMuted { get; init; }

    /// <summary>Participants with video off produce no video frames.</summary>
    public bool IsVideoOn { get; init; } = true;
}
