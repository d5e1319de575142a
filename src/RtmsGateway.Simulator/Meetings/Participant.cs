using System.Text.Json;

namespace RtmsGateway.Simulator;

/// <summary>A participant's live state inside a meeting (guarded by the meeting's lock), with its name pre-encoded as JSON.</summary>
internal sealed class Participant(long userId, string name, int toneHz)
{
    public long UserId { get; } = userId;

    public string Name { get; } = name;

    public int ToneHz { get; } = toneHz;

    /// <summary>The name as a JSON string literal (quotes included), ready to paste into a frame.</summary>
    public byte[] NameJson { get; } = [(byte)'"', .. JsonEncodedText.Encode(name).EncodedUtf8Bytes, (byte)'"'];

    public bool Muted { get; set; }

    public bool VideoOn { get; set; } = true;

    public SimulatedParticipant Snapshot() => new(UserId, Name, ToneHz) { IsMuted = Muted, IsVideoOn = VideoOn };
}
