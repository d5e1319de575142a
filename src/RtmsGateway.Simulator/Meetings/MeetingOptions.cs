namespace RtmsGateway.Simulator;

/// <summary>What one simulated meeting contains.</summary>
public sealed class MeetingOptions
{
    public SimulatedProduct Product { get; set; } = SimulatedProduct.Meeting;

    public int Participants { get; set; } = 3;

    /// <summary>A 16-bit PCM WAV file (e.g. from <c>espeak-ng -w</c>) used as everyone's voice instead of tones.</summary>
    public string? AudioWavPath { get; set; }

    public TimeSpan TranscriptInterval { get; set; } = TimeSpan.FromSeconds(2);

    public IReadOnlyList<string>? TranscriptLines { get; set; }

    public TimeSpan ActiveSpeakerInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int? Seed { get; set; }

    /// <summary>Fixed ids (default: random, like Zoom's).</summary>
    public string? InstanceId { get; set; }

    public string? StreamId { get; set; }
}
