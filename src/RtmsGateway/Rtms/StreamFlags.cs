namespace RtmsGateway.Rtms;

/// <summary>What signaling told one signaling session about the stream, read by its media links.</summary>
internal sealed class StreamFlags
{
    private volatile bool _paused;
    private volatile bool _terminating;

    /// <summary>Paused in Zoom: a media socket that reconnects meanwhile does not report "streaming".</summary>
    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    /// <summary>Zoom terminated the stream: media sockets it closes are not reconnected.</summary>
    public bool Terminating
    {
        get => _terminating;
        set => _terminating = value;
    }
}
