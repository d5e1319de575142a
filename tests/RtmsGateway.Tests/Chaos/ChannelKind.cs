namespace RtmsGateway.Tests.Chaos;

/// <summary>The subscription channels the chaos consumers read (video is left out: it adds load, not coverage).</summary>
internal enum ChannelKind
{
    /// <summary>Media: a slow reader loses its oldest frames and gets a SUBSCRIBER_TOO_SLOW gap.</summary>
    Audio,

    /// <summary>Reliable: never dropped silently; a slow reader gets RESOURCE_EXHAUSTED with a resume point.</summary>
    Transcripts,

    /// <summary>Reliable, like transcripts.</summary>
    Events,
}
