namespace RtmsGateway.Testing;

/// <summary>What a <see cref="FaultProxy"/> does with the traffic it carries.</summary>
public enum ProxyMode
{
    /// <summary>Forwards both ways.</summary>
    Pass,

    /// <summary>A network partition: open connections stay open but nothing is forwarded either way (bytes wait in
    /// the buffers), and new connections are accepted but never reach the target — the client only sees timeouts.
    /// Switching back to <see cref="Pass"/> delivers what waited, like a healed network.</summary>
    Blackhole,

    /// <summary>The target is gone: every open connection is reset (RST) and new ones are reset as soon as accepted.</summary>
    Refuse,
}
