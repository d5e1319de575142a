using Grpc.AspNetCore.Server;
using Grpc.Core;

namespace RtmsGateway.Grpc;

/// <summary>
/// Writes a server stream with <see cref="WriteFlags.BufferHint"/> while more messages are queued, and flushes the
/// HTTP/2 response explicitly when the caller says the queue ran dry: one flush (one syscall) per burst instead of one
/// per message. The single writer of its call.
/// </summary>
internal sealed class BatchedWriter<T>(IServerStreamWriter<T> stream, ServerCallContext context, StalledWriteWatchdog.Watch? watch = null) where T : class
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);
    private bool _unflushed;

    /// <summary>Set by the reader before each write: another message is already waiting.</summary>
    public bool MoreQueued { get; set; }

    public async Task WriteAsync(T message, CancellationToken ct)
    {
        stream.WriteOptions = MoreQueued ? Buffered : null;
        watch?.Begin();
        try
        {
            await stream.WriteAsync(message, ct);
        }
        finally
        {
            watch?.End();
        }
        _unflushed = MoreQueued;
    }

    /// <summary>Pushes out anything written with the buffer hint.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (!_unflushed)
        {
            return;
        }
        _unflushed = false;
        watch?.Begin();
        try
        {
            await context.GetHttpContext().Response.BodyWriter.FlushAsync(ct);
        }
        finally
        {
            watch?.End();
        }
    }
}
