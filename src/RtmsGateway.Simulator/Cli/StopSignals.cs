using System.Runtime.InteropServices;

namespace RtmsGateway.Simulator.Cli;

/// <summary>
/// SIGTERM (Kubernetes, systemd, <c>kill</c>) and SIGINT (Ctrl+C) cancel the run instead of killing the process, so the
/// CLI ends its meetings (TERMINATED + <c>rtms_stopped</c>) and exits 0. A second signal while stopping is left to the
/// default handler: the process ends at once.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public StopSignals(CancellationTokenSource stop)
    {
        _stop = stop;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal)];
    }

    /// <summary>The first signal received, if any.</summary>
    public PosixSignal? Received { get; private set; }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Exchange(ref _received, 1) != 0)
        {
            return; // the second one: default handling (terminate)
        }
        Received = context.Signal;
        context.Cancel = true;
        _stop.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
