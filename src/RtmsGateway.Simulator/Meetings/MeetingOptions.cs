using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>What one simulated meeting contains.</summary>
public sealed class MeetingOptions
{
    /// <summary>Meeting, webinar or Video SDK session: decides webhook names and id fields (§2.2).</summary>
    public SimulatedProduct Product { get; set; } = SimulatedProduct.Meeting;

    /// <summary>Which key a handshake must name the instance under (Zoom's sources disagree; see <see cref="HandshakeIdReading"/>).</summary>
    public HandshakeIdReading HandshakeIdReading { get; set; } = HandshakeIdReading.Either;

    /// <summary>Participants present from the start (at least 1).</summary>
    public int Participants { get; set; } = 3;

    /// <summary>Their names (default: famous computer scientists); cycled when shorter than <see cref="Participants"/>.</summary>
    public IReadOnlyList<string>? ParticipantNames { get; set; }

    /// <summary>A 16-bit PCM WAV file (e.g. from <c>espeak-ng -w</c>) used as everyone's voice instead of tones.</summary>
    public string? AudioWavPath { get; set; }

    /// <summary>Time between transcript lines (msg_type 17).</summary>
    public TimeSpan TranscriptInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>What people say, cycled (default: a short stand-up script).</summary>
    public IReadOnlyList<string>? TranscriptLines { get; set; }

    /// <summary>Time between chat messages (msg_type 18) to a client that negotiated chat (16).</summary>
    public TimeSpan ChatInterval { get; set; } = TimeSpan.FromSeconds(7);

    /// <summary>What people write in the chat, cycled (default: a few short messages).</summary>
    public IReadOnlyList<string>? ChatLines { get; set; }

    /// <summary>Time between active speaker changes (event 2), cycling through unmuted participants.</summary>
    public TimeSpan ActiveSpeakerInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Makes generated ids (instance id, stream id, operator, account) reproducible.</summary>
    public int? Seed { get; set; }

    /// <summary>Fixed meeting UUID / webinar UUID / session id (default: random, like Zoom's base64 UUIDs).</summary>
    public string? InstanceId { get; set; }

    /// <summary>Fixed <c>rtms_stream_id</c> (default: random 32 hex digits).</summary>
    public string? StreamId { get; set; }

    /// <summary>The media types the app's scopes allow for this meeting (<see cref="AppScopes"/>); null: the simulator's
    /// <see cref="SimulatorOptions.AppScopes"/>. <see cref="MediaDataType.All"/> is ignored.</summary>
    public MediaDataType? AppScopes { get; set; }

    /// <summary>Which documented wire variants (§8) this meeting emits (default: the primary forms).</summary>
    public WireVariants Variants { get; set; } = new();

    /// <summary>The meeting topic, written into webhooks only with <see cref="WebhookBodyStyle.NonAscii"/> (default: a
    /// non-ASCII one).</summary>
    public string Topic { get; set; } = "Réunion d’équipe — 週次ミーティング";
}
