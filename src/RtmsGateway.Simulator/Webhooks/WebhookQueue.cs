using System.Net;

namespace RtmsGateway.Simulator;

/// <summary>
/// A meeting's webhooks go out one after the other, in the order they were raised (rtms_interrupted before the
/// rtms_stopped of an expired reconnect window), without anyone waiting: each call returns its own delivery task.
/// </summary>
internal sealed class WebhookQueue(BackgroundWork background)
{
    private readonly Lock _lock = new();
    private Task _tail = Task.CompletedTask;

    public Task<HttpStatusCode> Enqueue(Func<Task<HttpStatusCode>> send, string what)
    {
        lock (_lock)
        {
            var next = RunAfterAsync(_tail, send);
            _tail = next;
            background.Track(next, what);
            return next;
        }
    }

    private static async Task<HttpStatusCode> RunAfterAsync(Task previous, Func<Task<HttpStatusCode>> send)
    {
        // Always yield: callers enqueue under the meeting's lock, and the HTTP work must not run there.
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        return await send();
    }
}
