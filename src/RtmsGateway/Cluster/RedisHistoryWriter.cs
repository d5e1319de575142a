using System.Threading.Channels;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions;
using StackExchange.Redis;

namespace RtmsGateway.Cluster;

/// <summary>
/// Writes every transcript and event the replica's sessions publish to their Redis history, in order, without ever making a
/// publisher wait. One queue for the replica and one loop: it takes what is queued (up to a batch), sends it pipelined
/// (<c>XADD key MAXLEN ~ max epoch-n u user m bytes</c> per item, one <c>PEXPIRE</c> with the live safety TTL per key and
/// batch; <c>PEXPIRE</c> with the after-end retention or <c>DEL</c> when a session ends), awaits the answers in order and
/// tells each channel what is settled, so it can fan the items out.
/// <para>
/// Redis down, slow or restarted: the batch is retried from the first unanswered item, with backoff, for as long as it
/// takes; entry ids make retries idempotent (an id Redis has is refused as "equal or smaller" and counts as stored). Items
/// wait in memory up to <see cref="RedisOptions.HistoryMaxPendingBytes"/>; beyond it <see cref="Append"/> refuses them and
/// they are never stored, which readers see as a hole in the sequence and get a Gap for. A session's end is never refused.
/// Nothing here stops the host: every failure is logged, counted and retried.
/// </para>
/// </summary>
internal sealed partial class RedisHistoryWriter : BackgroundService, IHistoryWriter
{
    private const int MaxBatch = 512;
    private static readonly TimeSpan FlushOnStop = TimeSpan.FromSeconds(2);

    private readonly Channel<HistoryOperation> _queue = Channel.CreateUnbounded<HistoryOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly RedisOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisHistoryWriter> _logger;
    private readonly CancellationTokenSource _abort;
    private readonly LogThrottle _refusals;
    private long _pendingBytes;
    private long _refused;
    private long _written;

    private readonly GatewayMetrics? _metrics;

    public RedisHistoryWriter(IConnectionMultiplexer redis, RedisKeys keys, IOptions<RedisOptions> options, TimeProvider time, ILogger<RedisHistoryWriter> logger,
        GatewayMetrics? metrics = null)
    {
        _metrics = metrics;
        _redis = redis;
        _keys = keys;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _refusals = new LogThrottle(time, TimeSpan.FromSeconds(10));
    }

    /// <summary>Bytes of items queued and not yet stored.</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    /// <summary>Items refused because the pending bound was reached (never stored).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Items Redis acknowledged.</summary>
    public long Written => Interlocked.Read(ref _written);

    public bool Append(HistoryAppend append)
    {
        var operation = HistoryOperation.Write(append);
        if (Interlocked.Add(ref _pendingBytes, operation.Cost) > _options.HistoryMaxPendingBytes || !_queue.Writer.TryWrite(operation))
        {
            Interlocked.Add(ref _pendingBytes, -operation.Cost);
            Interlocked.Increment(ref _refused);
            if (_refusals.ShouldLog(out var suppressed))
            {
                LogRefused(append.StreamId, append.Channel, append.Sequence, suppressed);
            }
            return false;
        }
        return true;
    }

    public void Ended(string streamId, IReadOnlyList<string> channels, bool revoked) =>
        // Refused only once the replica stops: the live safety TTL then removes the history.
        _queue.Writer.TryWrite(HistoryOperation.End(streamId, channels, revoked));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not the stopping token: on stop the queue is completed and what is queued is flushed, within FlushOnStop.
        var ct = _abort.Token;
        var batch = new List<HistoryOperation>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(ct))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var operation))
                {
                    batch.Add(operation);
                }
                try
                {
                    await WriteAsync(batch, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // Unexpected (any type, a cancellation this loop did not ask for included): the batch is given up
                    // (readers get gaps for it) and the loop goes on; it ends only when the replica stops.
                    _metrics?.BackgroundFailure("history_writer");
                    LogDropped(batch.Count, ex.Message);
                    batch.ForEach(Settle);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping and Redis did not take the rest in time: it is lost with this replica, as a crash would lose it.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        _abort.CancelAfter(FlushOnStop);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        base.Dispose();
        _abort.Dispose();
    }

    /// <summary>Sends the batch pipelined and settles it in order; retries from the first unanswered operation while Redis
    /// is unreachable.</summary>
    private async Task WriteAsync(List<HistoryOperation> batch, CancellationToken ct)
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        var start = 0;
        string? failure = null;
        var logged = false;
        while (true)
        {
            var db = _redis.GetDatabase();
            var refreshed = new HashSet<string>(StringComparer.Ordinal);
            var sent = new Task[batch.Count - start];
            for (var i = start; i < batch.Count; i++)
            {
                sent[i - start] = Send(db, batch[i], refreshed);
            }
            var next = start;
            for (; next < batch.Count; next++)
            {
                try
                {
                    await sent[next - start].WaitAsync(ct);
                }
                catch (Exception ex) when (HistoryEntryId.IsAlreadyWritten(ex))
                {
                    // Stored by an earlier attempt whose answer was lost (or superseded by a newer owner): nothing to add.
                }
                catch (RedisServerException ex) when (IsPermanent(ex))
                {
                    LogDropped(1, ex.Message);
                }
                catch (Exception ex) when (RedisCall.IsFailure(ex) || (ex is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    // Unreachable, timed out, or cancelled by the client library itself (its connection was reset while
                    // Redis stalled): retried from here, like any outage.
                    failure = ex.Message;
                    break;
                }
                Settle(batch[next]);
            }
            if (next == batch.Count)
            {
                if (failure is not null)
                {
                    LogRecovered(batch.Count);
                }
                return;
            }
            for (var i = next + 1; i < batch.Count; i++)
            {
                // Their outcome is known on the retry; never an unobserved exception.
                _ = sent[i - start].ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            if (!logged)
            {
                logged = true;
                LogUnavailable(batch.Count - next, PendingBytes, failure!);
            }
            start = next;
            await Task.Delay(backoff.Next(), _time, ct);
        }
    }

    private Task Send(IDatabase db, HistoryOperation operation, HashSet<string> refreshed)
    {
        if (operation.Append is not { } append)
        {
            var keys = operation.Channels.Select(c => (RedisKey)_keys.History(operation.StreamId, c)).ToArray();
            return operation.Delete
                ? db.KeyDeleteAsync(keys)
                : Task.WhenAll(keys.Select(k => db.KeyExpireAsync(k, _options.HistoryRetentionAfterEnd)));
        }
        var key = _keys.History(append.StreamId, append.Channel);
        var added = db.StreamAddAsync(key, [new NameValueEntry("u", append.UserId), new NameValueEntry("m", append.Bytes)],
            messageId: HistoryEntryId.Of(append.Sequence), maxLength: _options.HistoryMaxLength, useApproximateMaxLength: true);
        if (refreshed.Add(key))
        {
            // The live safety TTL, refreshed by every batch that writes the key (a session's end replaces it).
            _ = db.KeyExpireAsync(key, _options.HistoryLiveTtl, CommandFlags.FireAndForget);
        }
        return added;
    }

    private void Settle(HistoryOperation operation)
    {
        if (operation.Append is { } append)
        {
            Interlocked.Add(ref _pendingBytes, -operation.Cost);
            Interlocked.Increment(ref _written);
            append.Ack.Settled(append.Sequence);
        }
    }

    /// <summary>An answer that a retry would only repeat (a key of another type, a malformed command).</summary>
    private static bool IsPermanent(RedisServerException ex) =>
        ex.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal) || ex.Message.StartsWith("ERR", StringComparison.Ordinal);

    [LoggerMessage(EventId = LogEventIds.HistoryWriteUnavailable, Level = LogLevel.Warning,
        Message = "Redis unavailable for the history ({Error}); {Count} writes retried, {PendingBytes} bytes pending; transcripts keep flowing")]
    private partial void LogUnavailable(int count, long pendingBytes, string error);

    [LoggerMessage(EventId = LogEventIds.HistoryWriteRecovered, Level = LogLevel.Information, Message = "History writes resumed ({Count} in the batch)")]
    private partial void LogRecovered(int count);

    [LoggerMessage(EventId = LogEventIds.HistoryWriteRefused, Level = LogLevel.Warning,
        Message = "History of {StreamId} {Channel}: sequence {Sequence} not stored (pending bound reached while Redis is unreachable; {Suppressed} more not logged); readers will get a gap")]
    private partial void LogRefused(string streamId, string channel, ulong sequence, long suppressed);

    [LoggerMessage(EventId = LogEventIds.HistoryItemDropped, Level = LogLevel.Warning, Message = "{Count} history writes given up: {Error}")]
    private partial void LogDropped(int count, string error);
}
