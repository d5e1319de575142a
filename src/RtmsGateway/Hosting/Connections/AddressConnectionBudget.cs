using System.Collections.Concurrent;
using System.Net;

namespace RtmsGateway.Hosting.Connections;

/// <summary>Counts open connections per remote address and refuses one over the budget. Thread-safe.</summary>
internal sealed class AddressConnectionBudget(int perAddress)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    public bool TryAcquire(IPAddress address)
    {
        while (true)
        {
            var current = _open.GetOrAdd(address, 0);
            if (current >= perAddress)
            {
                return false;
            }
            if (_open.TryUpdate(address, current + 1, current))
            {
                return true;
            }
        }
    }

    public void Release(IPAddress address)
    {
        while (_open.TryGetValue(address, out var current))
        {
            if (current <= 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(address, current)) : _open.TryUpdate(address, current - 1, current))
            {
                return;
            }
        }
    }

    public int OpenFrom(IPAddress address) => _open.GetValueOrDefault(address);
}
