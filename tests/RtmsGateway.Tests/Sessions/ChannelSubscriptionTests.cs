using RtmsGateway.Sessions;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Sessions;

/// <summary>The subscriber's wait for its next item: registered on the call's token once (no wait operation per frame),
/// woken by an item, by the end of the session, or by the call's cancellation, and a subscription closed from its side
/// is never counted as an overflow.</summary>
public sealed class ChannelSubscriptionTests
{
    private readonly ManualTimeProvider _time = new();

    private SessionChannel<string> Channel(bool reliable, int queue = 8) =>
        new(reliable, queue, 10, new ReplayLimits(100, TimeSpan.FromSeconds(30)), 1, _time);

    private static ulong Publish(SessionChannel<string> channel, string text) => channel.Publish("0", text, static (_, t) => t);

    [Fact]
    public async Task A_pending_wait_completes_when_an_item_is_published_and_again_for_the_next()
    {
        var channel = Channel(reliable: false);
        using var subscription = channel.Subscribe(SubscribeStart.Live);
        using var call = new CancellationTokenSource();
        for (var i = 0; i < 3; i++)
        {
            var wait = subscription.WaitToReadAsync(call.Token);
            Assert.False(wait.IsCompleted);
            var sequence = Publish(channel, $"m{i}");
            Assert.True(await wait);
            Assert.True(subscription.Reader.TryRead(out var item));
            Assert.Equal((sequence, $"m{i}"), (item.Sequence, item.Response));
        }
    }

    [Fact]
    public async Task Cancelling_the_call_wakes_a_pending_wait_with_OperationCanceledException()
    {
        var channel = Channel(reliable: true);
        using var subscription = channel.Subscribe(SubscribeStart.Live);
        using var call = new CancellationTokenSource();
        var wait = subscription.WaitToReadAsync(call.Token);
        Assert.False(wait.IsCompleted);
        await call.CancelAsync();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);
        Assert.Equal(call.Token, cancelled.CancellationToken);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await subscription.WaitToReadAsync(call.Token));
    }

    [Fact]
    public async Task An_already_cancelled_call_does_not_wait_even_with_items_queued()
    {
        var channel = Channel(reliable: false);
        using var subscription = channel.Subscribe(SubscribeStart.Live);
        Publish(channel, "queued");
        using var call = new CancellationTokenSource();
        await call.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await subscription.WaitToReadAsync(call.Token));
    }

    [Fact]
    public async Task Publishing_to_a_reliable_subscriber_whose_call_was_cancelled_is_no_overflow()
    {
        var channel = Channel(reliable: true, queue: 2);
        using var subscription = channel.Subscribe(SubscribeStart.Live);
        using var call = new CancellationTokenSource();
        var wait = subscription.WaitToReadAsync(call.Token);
        await call.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);
        for (var i = 0; i < 5; i++)
        {
            Publish(channel, $"after {i}");
        }
        Assert.Equal(0, channel.Overflows);
    }

    [Fact]
    public async Task The_end_of_the_session_ends_a_pending_wait_with_false_after_what_is_queued()
    {
        var channel = Channel(reliable: true);
        using var subscription = channel.Subscribe(SubscribeStart.Live);
        using var call = new CancellationTokenSource();
        Publish(channel, "last");
        channel.Complete(new RtmsGateway.Api.V1.SessionEnded { StopReason = RtmsGateway.Api.V1.ZoomStopReason.HostTriggered });
        Assert.True(await subscription.WaitToReadAsync(call.Token));
        Assert.True(subscription.Reader.TryRead(out _));
        Assert.False(await subscription.WaitToReadAsync(call.Token));
        Assert.Equal(RtmsGateway.Api.V1.ZoomStopReason.HostTriggered, subscription.Ended!.StopReason);
    }

    [Fact]
    public async Task An_overflow_still_surfaces_as_SubscriberOverflowException()
    {
        var channel = Channel(reliable: true, queue: 2);
        using var subscription = channel.Subscribe(SubscribeStart.Live);
        using var call = new CancellationTokenSource();
        for (var i = 0; i < 3; i++)
        {
            Publish(channel, $"m{i}");
        }
        Assert.Equal(1, channel.Overflows);
        Assert.True(await subscription.WaitToReadAsync(call.Token));
        while (subscription.Reader.TryRead(out _))
        {
        }
        await Assert.ThrowsAsync<SubscriberOverflowException>(async () => await subscription.WaitToReadAsync(call.Token));
    }
}
