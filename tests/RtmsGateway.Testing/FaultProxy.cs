using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace RtmsGateway.Testing;

/// <summary>
/// A TCP proxy on a free loopback port in front of one target (e.g. Redis) whose <see cref="Mode"/> can be switched
/// while clients are connected: <see cref="ProxyMode.Pass"/>, <see cref="ProxyMode.Blackhole"/> (a partition: silence,
/// timeouts) or <see cref="ProxyMode.Refuse"/> (resets). One proxy per client process gives "reachable from one
/// replica but not from another". Real sockets: the client's driver sees exactly what it would see on a network.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private const int BufferBytes = 16 * 1024;
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<long, Link> _links = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _open = Opened();
    private ProxyMode _mode = ProxyMode.Pass;
    private Task _accepting = Task.CompletedTask;
    private long _nextId;
    private long _accepted;

    private FaultProxy(TcpListener listener, int targetPort, string name)
    {
        _listener = listener;
        _targetPort = targetPort;
        Name = name;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>For messages: which client this proxy stands in front of.</summary>
    public string Name { get; }

    /// <summary>The port clients connect to (127.0.0.1).</summary>
    public int Port { get; }

    public ProxyMode Mode
    {
        get
        {
            lock (_lock)
            {
                return _mode;
            }
        }
    }

    /// <summary>Connections accepted since the start.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections open now (held or forwarding).</summary>
    public int OpenConnections => _links.Count;

    /// <summary>Starts listening on 127.0.0.1 (a free port), forwarding to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static FaultProxy Start(int targetPort, string name = "proxy")
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var proxy = new FaultProxy(listener, targetPort, name);
        proxy._accepting = Task.Run(proxy.AcceptLoopAsync);
        return proxy;
    }

    /// <summary>Switches the mode at once: <see cref="ProxyMode.Refuse"/> resets every open connection,
    /// <see cref="ProxyMode.Blackhole"/> freezes them, <see cref="ProxyMode.Pass"/> lets them (and what waited) flow.</summary>
    public void SetMode(ProxyMode mode)
    {
        lock (_lock)
        {
            if (_mode == mode)
            {
                return;
            }
            var wasOpen = _mode == ProxyMode.Pass;
            _mode = mode;
            if (mode == ProxyMode.Pass)
            {
                _open.TrySetResult();
            }
            else if (wasOpen)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        if (mode == ProxyMode.Refuse)
        {
            foreach (var link in _links.Values)
            {
                link.Reset();
            }
        }
    }

    public override string ToString() => $"{Name} :{Port} -> :{_targetPort} ({Mode}, {OpenConnections} open)";

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    /// <summary>Completes while the mode is <see cref="ProxyMode.Pass"/>; waits while it is not.</summary>
    private Task OpenAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            return _open.Task.IsCompleted ? Task.CompletedTask : _open.Task.WaitAsync(ct);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_disposed.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_disposed.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            client.NoDelay = true;
            if (Mode == ProxyMode.Refuse)
            {
                Link.ResetSocket(client);
                continue;
            }
            var link = new Link(this, Interlocked.Increment(ref _nextId), client);
            _links[link.Id] = link;
            if (Mode == ProxyMode.Refuse)
            {
                link.Reset(); // switched to Refuse while this one was being accepted
                continue;
            }
            _ = Task.Run(link.RunAsync);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _listener.Stop();
        foreach (var link in _links.Values)
        {
            link.Reset();
        }
        await _accepting;
        _disposed.Dispose();
    }

    /// <summary>One client connection and its connection to the target.</summary>
    private sealed class Link(FaultProxy proxy, long id, Socket client)
    {
        private readonly CancellationTokenSource _ended = CancellationTokenSource.CreateLinkedTokenSource(proxy._disposed.Token);
        private Socket? _target;
        private int _reset;

        public long Id { get; } = id;

        public async Task RunAsync()
        {
            var ct = _ended.Token;
            try
            {
                // A connection accepted during a partition reaches the target only once the network heals.
                await proxy.OpenAsync(ct);
                var target = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                _target = target;
                if (Volatile.Read(ref _reset) != 0)
                {
                    target.Dispose();
                    return;
                }
                await target.ConnectAsync(IPAddress.Loopback, proxy._targetPort, ct);
                await Task.WhenAny(PumpAsync(client, target, ct), PumpAsync(target, client, ct));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                // Either side ended (or the target is down): the other side sees its connection reset, as with a dead peer.
                Reset();
                _ended.Dispose();
            }
        }

        private async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
        {
            var buffer = new byte[BufferBytes];
            try
            {
                while (true)
                {
                    await proxy.OpenAsync(ct);
                    var read = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                    if (read == 0)
                    {
                        return;
                    }
                    // Bytes read just before a partition wait for the heal, like bytes in flight.
                    await proxy.OpenAsync(ct);
                    for (var sent = 0; sent < read;)
                    {
                        sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, ct);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        public void Reset()
        {
            if (Interlocked.Exchange(ref _reset, 1) != 0)
            {
                return;
            }
            proxy._links.TryRemove(Id, out _);
            try
            {
                _ended.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
            ResetSocket(client);
            if (_target is { } target)
            {
                ResetSocket(target);
            }
        }

        /// <summary>Closes with RST (linger 0), not FIN: the peer sees "connection reset".</summary>
        public static void ResetSocket(Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
            socket.Dispose();
        }
    }
}
