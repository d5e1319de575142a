using System.Buffers;

namespace RtmsGateway.Protocol;

/// <summary>How <see cref="RtmsMessageReader"/> allocates decoded media bytes.</summary>
public enum MediaPayloadAllocation
{
    /// <summary>Rent from <see cref="ArrayPool{T}.Shared"/>; dispose the message to return it.</summary>
    Pooled,

    /// <summary>A new array of exactly the decoded length, safe to keep and to wrap without copying.</summary>
    Exact,
}

/// <summary>The decoded binary <c>data</c> of an audio, video or share message.</summary>
public sealed class MediaPayload : IDisposable
{
    private byte[]? _array;
    private readonly bool _pooled;
    private readonly bool _reusable;

    public static MediaPayload Empty { get; } = new([], 0, pooled: false);

    internal MediaPayload(byte[] array, int length, bool pooled)
    {
        _array = array;
        Length = length;
        _pooled = pooled;
    }

    private MediaPayload()
    {
        _pooled = true;
        _reusable = true;
    }

    /// <summary>A pooled payload that <see cref="Rearm"/> refills frame after frame (<see cref="ReusableMediaMessages"/>);
    /// disposed (empty) until then.</summary>
    internal static MediaPayload Reusable() => new();

    /// <summary>Wraps caller-owned bytes (for building messages to send).</summary>
    public static MediaPayload FromBytes(byte[] bytes) => new(bytes, bytes.Length, pooled: false);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => Array.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => Array.AsMemory(0, Length);

    /// <summary>The backing array when it holds exactly the payload (allocation <see cref="MediaPayloadAllocation.Exact"/>), else null.</summary>
    public byte[]? ExactArray => !_pooled && _array is { } a && a.Length == Length ? a : null;

    private byte[] Array => _array ?? throw new ObjectDisposedException(nameof(MediaPayload));

    /// <summary>Refills a <see cref="Reusable"/> payload with newly rented bytes. Only once its previous bytes went back
    /// (disposed): rented bytes are never overwritten or dropped while this payload holds them.</summary>
    internal MediaPayload Rearm(byte[] rented, int length)
    {
        if (!_reusable)
        {
            throw new InvalidOperationException("Only a reusable payload is refilled.");
        }
        if (_array is not null)
        {
            throw new InvalidOperationException("The payload still holds its previous bytes; dispose it first.");
        }
        Length = length;
        _array = rented;
        return this;
    }

    /// <summary>Returns pooled bytes to the pool. A payload that owns no pooled memory (<see cref="Empty"/>, exact
    /// arrays, <see cref="FromBytes"/>) stays readable: <see cref="Empty"/> is shared by every message without data.</summary>
    public void Dispose()
    {
        if (!_pooled)
        {
            return;
        }
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
