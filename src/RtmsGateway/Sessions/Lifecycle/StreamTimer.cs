namespace RtmsGateway.Sessions.Lifecycle;

/// <summary>The timers a stream's lifecycle sets.</summary>
internal enum StreamTimerKind
{
    /// <summary>Backoff before dialling signaling again.</summary>
    Redial = 1,

    /// <summary>How long signaling is still read after Zoom began ending the stream.</summary>
    TerminationGrace = 2,

    /// <summary>Backoff before reopening one media socket.</summary>
    MediaReopen = 3,

    /// <summary>After Zoom reported a media connection interrupted while every socket here looked open: when to cut the
    /// ones that stayed silent meanwhile (Zoom lost them; they have not noticed).</summary>
    MediaProbe = 4,
}

/// <summary>One timer of a stream (<paramref name="Link"/>: the media socket, for <see cref="StreamTimerKind.MediaReopen"/>).</summary>
internal readonly record struct StreamTimer(StreamTimerKind Kind, int Link = -1);
