using System.Collections.Concurrent;
using RtmsGateway.Protocol;

namespace RtmsGateway.Sessions;

/// <summary>Caches the text form of numeric participant ids so per-frame conversion allocates nothing.</summary>
internal sealed class UserIdText
{
    private const int MaxCached = 4096;
    private readonly ConcurrentDictionary<long, string> _cache = new();

    public string Of(RtmsUserId id)
    {
        if (id.IsText)
        {
            return id.ToString();
        }
        if (id.Number == 0)
        {
            return "0";
        }
        if (_cache.TryGetValue(id.Number, out var text))
        {
            return text;
        }
        text = id.ToString();
        if (_cache.Count < MaxCached)
        {
            _cache.TryAdd(id.Number, text);
        }
        return text;
    }

    public string Of(RtmsUserId? id) => id is { } value ? Of(value) : "0";
}
