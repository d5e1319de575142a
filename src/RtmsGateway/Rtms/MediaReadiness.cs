namespace RtmsGateway.Rtms;

/// <summary>Tracks which media links finished their handshake; reports "streaming" when every usable link is ready.</summary>
internal sealed class MediaReadiness(int total, Action onAllReady)
{
    private readonly Lock _lock = new();
    private readonly HashSet<MediaLink> _ready = [];
    private readonly HashSet<MediaLink> _abandoned = [];

    public bool AllReady
    {
        get
        {
            lock (_lock)
            {
                return _ready.Count > 0 && _ready.Count + _abandoned.Count == total;
            }
        }
    }

    public void MarkReady(MediaLink link) => Update(() => _ready.Add(link));

    public void MarkNotReady(MediaLink link)
    {
        lock (_lock)
        {
            _ready.Remove(link);
        }
    }

    /// <summary>The link's media type is not available (scopes); streaming goes on without it.</summary>
    public void Abandon(MediaLink link) => Update(() => _abandoned.Add(link));

    private void Update(Func<bool> change)
    {
        bool nowReady;
        lock (_lock)
        {
            var before = _ready.Count > 0 && _ready.Count + _abandoned.Count == total;
            change();
            nowReady = !before && _ready.Count > 0 && _ready.Count + _abandoned.Count == total;
        }
        if (nowReady)
        {
            onAllReady();
        }
    }
}
