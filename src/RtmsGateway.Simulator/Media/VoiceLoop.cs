using System.Buffers.Text;
using System.Collections.Concurrent;

namespace RtmsGateway.Simulator;

/// <summary>
/// A looped voice, encoded for one negotiated format (L16 or G.711 A-law at a sample rate and channel count, or Opus
/// packets of 20 ms), addressed in 20 ms units. Packets are
/// cut from it by unit index (so a participant's audio is continuous across packets and reconnects) and their base64
/// is computed once per distinct slice: producing a packet costs a dictionary lookup and a copy, not a conversion.
/// </summary>
internal sealed class VoiceLoop
{
    public const int UnitMs = 20;
    private readonly byte[] _pcm;
    private readonly byte[][]? _packets;
    private readonly ConcurrentDictionary<(int Start, int Units), AudioSlice> _slices = new();

    /// <summary>A loop of frame-based packets (Opus): one self-contained packet per 20 ms unit, sent one per message.</summary>
    public VoiceLoop(byte[][] packets)
    {
        _packets = packets.Length > 0 && packets.All(p => p.Length >= AudioSlice.HeadLength) ? packets : throw new InvalidDataException("A packet voice needs packets of at least 18 bytes.");
        _pcm = [];
        Units = packets.Length;
        BytesPerUnit = packets[0].Length;
    }

    public VoiceLoop(byte[] encoded, int bytesPerUnit)
    {
        BytesPerUnit = bytesPerUnit;
        Units = encoded.Length / BytesPerUnit;
        if (Units == 0)
        {
            throw new InvalidDataException("A voice needs at least 20 ms of audio.");
        }
        _pcm = encoded.AsSpan(0, Units * BytesPerUnit).ToArray();
    }

    public int BytesPerUnit { get; }

    /// <summary>Length of the loop in 20 ms units.</summary>
    public int Units { get; }

    /// <summary>The packet of <paramref name="units"/> × 20 ms starting at absolute unit <paramref name="unit"/> of the stream.</summary>
    public AudioSlice Slice(long unit, int units) => _slices.GetOrAdd(((int)(unit % Units), units), static (key, loop) => loop.Build(key.Start, key.Units), this);

    private AudioSlice Build(int start, int units)
    {
        if (_packets is not null)
        {
            // A packet codec's frames cannot be concatenated into one payload: one unit per message (send_rate 20).
            return units == 1 ? Slice(_packets[start]) : throw new ArgumentOutOfRangeException(nameof(units), "Opus packets are sent one 20 ms frame per message.");
        }
        var pcm = new byte[units * BytesPerUnit];
        var at = start * BytesPerUnit;
        for (var written = 0; written < pcm.Length;)
        {
            var n = Math.Min(pcm.Length - written, _pcm.Length - at);
            _pcm.AsSpan(at, n).CopyTo(pcm.AsSpan(written));
            written += n;
            at = 0;
        }
        return Slice(pcm);
    }

    private static AudioSlice Slice(byte[] pcm)
    {
        var tail = pcm.AsSpan(AudioSlice.HeadLength);
        var base64 = new byte[Base64.GetMaxEncodedToUtf8Length(tail.Length)];
        Base64.EncodeToUtf8(tail, base64, out _, out var encoded);
        return new AudioSlice(pcm[..AudioSlice.HeadLength], base64[..encoded], pcm.Length);
    }
}
