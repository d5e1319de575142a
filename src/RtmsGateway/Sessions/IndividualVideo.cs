using RtmsGateway.Protocol;

namespace RtmsGateway.Sessions;

/// <summary>
/// The individual camera video of one session on its owner (video <c>data_opt</c> 4): which participant Zoom is asked
/// for, on behalf of how many subscribers. Zoom RTMS V1 delivers one participant at a time, so one participant is held:
/// the first subscriber naming them sends VIDEO_SUBSCRIPTION_REQ (msg 28, subscribe true) and waits for Zoom's
/// VIDEO_SUBSCRIPTION_RESP (msg 29); later subscribers of the same participant share it; a subscriber naming another
/// participant meanwhile is refused; the last one leaving sends subscribe false. Every new video link re-sends the
/// request (Zoom forgets it with the connection).
/// </summary>
internal sealed class IndividualVideo(TimeProvider time)
{
    /// <summary>Participants Zoom delivers individual video for at once (RTMS V1).</summary>
    public const int MaxParticipants = 1;

    private readonly Lock _lock = new();
    private Func<VideoSubscriptionRequest, Task>? _send;
    private string? _held;
    private int _watchers;
    private TaskCompletionSource<VideoSubscriptionResponse>? _answer;
    private VideoSubscriptionResponse? _accepted;

    /// <summary>True once a video link was negotiated with data_opt 4.</summary>
    public bool Enabled { get; private set; }

    /// <summary>The participant currently requested from Zoom, if any.</summary>
    public string? Held
    {
        get
        {
            lock (_lock)
            {
                return _held;
            }
        }
    }

    /// <summary>Holds <paramref name="userId"/>'s video for one subscriber until the returned lease is disposed. Waits (up
    /// to <paramref name="wait"/>) for Zoom's answer when this subscriber's request is the one sent; when no video link is
    /// up, the request goes out when one is. Throws <see cref="IndividualVideoRefusedException"/>.</summary>
    public async Task<IDisposable> AcquireAsync(string userId, TimeSpan wait, CancellationToken ct)
    {
        Task<VideoSubscriptionResponse> answer;
        Func<VideoSubscriptionRequest, Task>? send = null;
        lock (_lock)
        {
            if (!Enabled)
            {
                throw new IndividualVideoRefusedException(IndividualVideoRefusal.NotAvailable, "This session's video is the active speaker's (Rtms:VideoMode ActiveSpeaker): user_ids filter it, no participant's own video can be requested.");
            }
            if (_held is { } held && held != userId)
            {
                throw new IndividualVideoRefusedException(IndividualVideoRefusal.SlotTaken,
                    $"Zoom delivers {MaxParticipants} participant's individual video per stream at a time; participant '{held}' is being watched by {_watchers} subscriber(s). Retry when they leave, or subscribe to '{held}'.");
            }
            if (_held is null)
            {
                _held = userId;
                _answer = new TaskCompletionSource<VideoSubscriptionResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
                _accepted = null;
                send = _send;
            }
            _watchers++;
            answer = _accepted is { } accepted ? Task.FromResult(accepted) : _answer!.Task;
        }
        var lease = new Lease(this, userId);
        try
        {
            if (send is not null)
            {
                await SendAsync(send, userId, subscribe: true);
            }
            if (Volatile.Read(ref _send) is null)
            {
                return lease; // no video link now: the request goes out with the next one; frames follow its answer
            }
            var response = await answer.WaitAsync(wait, time, ct);
            if (response.StatusCode != StatusCode.Ok)
            {
                throw new IndividualVideoRefusedException(IndividualVideoRefusal.RefusedByZoom,
                    $"Zoom refused the video of participant '{userId}': status {(int)response.StatusCode} {response.StatusCode}{(string.IsNullOrEmpty(response.Reason) ? string.Empty : $" ({response.Reason})")}.");
            }
            return lease;
        }
        catch (TimeoutException)
        {
            return lease; // Zoom did not answer in time: keep the request standing, frames come if and when Zoom sends them
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>A video link with data_opt 4 is ready on a signaling connection: requests go through <paramref name="send"/>
    /// from now on, and the held participant (if any) is requested again.</summary>
    public void Attach(Func<VideoSubscriptionRequest, Task> send)
    {
        string? held;
        lock (_lock)
        {
            Enabled = true;
            _send = send;
            held = _held;
            if (held is not null && _answer is { Task.IsCompleted: true })
            {
                _answer = new TaskCompletionSource<VideoSubscriptionResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
                _accepted = null;
            }
        }
        if (held is not null)
        {
            _ = SendAsync(send, held, subscribe: true);
        }
    }

    /// <summary>The video link of <paramref name="send"/> ended: requests wait for the next one.</summary>
    public void Detach(Func<VideoSubscriptionRequest, Task> send)
    {
        lock (_lock)
        {
            if (_send == send)
            {
                _send = null;
            }
        }
    }

    /// <summary>Marks the session as individual-video capable before its first link (from the negotiated parameters).</summary>
    public void Enable()
    {
        lock (_lock)
        {
            Enabled = true;
        }
    }

    /// <summary>Zoom's VIDEO_SUBSCRIPTION_RESP: answers the pending request for that participant.</summary>
    public void OnResponse(VideoSubscriptionResponse response)
    {
        TaskCompletionSource<VideoSubscriptionResponse>? answer = null;
        lock (_lock)
        {
            if (_held is { } held && held == response.UserId.ToString())
            {
                answer = _answer;
                if (response.StatusCode == StatusCode.Ok)
                {
                    _accepted = response;
                }
            }
        }
        answer?.TrySetResult(response);
    }

    private void Release(string userId)
    {
        Func<VideoSubscriptionRequest, Task>? send = null;
        lock (_lock)
        {
            if (_held != userId || --_watchers > 0)
            {
                return;
            }
            _held = null;
            _watchers = 0;
            _accepted = null;
            _answer?.TrySetCanceled();
            _answer = null;
            send = _send;
        }
        if (send is not null)
        {
            _ = SendAsync(send, userId, subscribe: false);
        }
    }

    private async Task SendAsync(Func<VideoSubscriptionRequest, Task> send, string userId, bool subscribe)
    {
        try
        {
            await send(new VideoSubscriptionRequest { UserId = RtmsUserId.FromText(userId), Subscribe = subscribe, Timestamp = time.GetUtcNow().ToUnixTimeMilliseconds() });
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The link went away: the next one re-sends the standing request.
        }
    }

    private sealed class Lease(IndividualVideo owner, string userId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(userId);
            }
        }
    }
}
