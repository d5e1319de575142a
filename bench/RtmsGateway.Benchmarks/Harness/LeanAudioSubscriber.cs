using System.Buffers;
using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>
/// An audio subscriber that decodes only what it measures: each response's wire bytes are scanned for the frame's
/// sequence and the first 16 bytes of its data (the send stamp), or a gap's range, into one small object, instead of a
/// full <see cref="SubscribeAudioResponse"/> tree with a copy of the payload. The load generator shares the machine with
/// the gateway, so every microsecond it spends per message is one the gateway's figures pay for.
/// </summary>
internal static class LeanAudioSubscriber
{
    private static readonly Method<SubscribeAudioRequest, Probe> SubscribeAudio = new(
        MethodType.ServerStreaming, "rtms.gateway.v1.RtmsGatewayService", "SubscribeAudio",
        Marshallers.Create<SubscribeAudioRequest>(r => Google.Protobuf.MessageExtensions.ToByteArray(r), SubscribeAudioRequest.Parser.ParseFrom),
        new Marshaller<Probe>(static (_, _) => throw new NotSupportedException(), static c => Probe.Read(c.PayloadAsReadOnlySequence())));

    public static async Task RunAsync(CallInvoker invoker, SubscriptionTarget target, LatencySamples latency, StreamTally tally, CancellationToken ct)
    {
        try
        {
            using var call = invoker.AsyncServerStreamingCall(SubscribeAudio, null, new CallOptions(cancellationToken: ct), new SubscribeAudioRequest { Target = target });
            ulong last = 0;
            while (await call.ResponseStream.MoveNext(ct))
            {
                var probe = call.ResponseStream.Current;
                if (probe.IsGap)
                {
                    tally.Gap(probe.MissedCount);
                    last = probe.LastMissing;
                    continue;
                }
                if (!probe.IsFrame)
                {
                    continue;
                }
                if (probe.HasStamp && SendStamp.TryRead(probe.Stamp, out var sentAt))
                {
                    latency.Add((DateTimeOffset.UtcNow - sentAt).TotalMilliseconds);
                }
                tally.Message();
                if (last != 0 && probe.Sequence > last + 1 && Sessions.Sequences.EpochOf(last) == Sessions.Sequences.EpochOf(probe.Sequence))
                {
                    tally.Hole(probe.Sequence - last - 1);
                }
                last = probe.Sequence;
            }
        }
        catch (RpcException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>What one response says, as far as the benchmark cares.</summary>
    internal sealed class Probe
    {
        private readonly byte[] _stamp = new byte[SendStamp.Length];

        public bool IsFrame { get; private set; }

        public bool IsGap { get; private set; }

        public ulong Sequence { get; private set; }

        public ulong LastMissing { get; private set; }

        public ulong MissedCount { get; private set; }

        public bool HasStamp { get; private set; }

        public ReadOnlySpan<byte> Stamp => _stamp;

        public static Probe Read(ReadOnlySequence<byte> payload)
        {
            var probe = new Probe();
            var bytes = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
            var r = new Reader(bytes);
            while (r.Next(out var field, out var wire))
            {
                if (wire != 2)
                {
                    r.Skip(wire);
                    continue;
                }
                var body = r.LengthDelimited();
                switch (field)
                {
                    case 1:
                        probe.IsFrame = true;
                        probe.ReadFrame(body);
                        break;
                    case 2:
                        probe.IsGap = true;
                        probe.ReadGap(body);
                        break;
                }
            }
            return probe;
        }

        private void ReadFrame(ReadOnlySpan<byte> frame)
        {
            var r = new Reader(frame);
            while (r.Next(out var field, out var wire))
            {
                if (wire != 2)
                {
                    r.Skip(wire);
                    continue;
                }
                var body = r.LengthDelimited();
                if (field == 1)
                {
                    var h = new Reader(body);
                    while (h.Next(out var headerField, out var headerWire))
                    {
                        if (headerField == 1 && headerWire == 0)
                        {
                            Sequence = h.Varint();
                        }
                        else
                        {
                            h.Skip(headerWire);
                        }
                    }
                }
                else if (field == 3 && body.Length >= SendStamp.Length)
                {
                    body[..SendStamp.Length].CopyTo(_stamp);
                    HasStamp = true;
                }
            }
        }

        private void ReadGap(ReadOnlySpan<byte> gap)
        {
            var r = new Reader(gap);
            while (r.Next(out var field, out var wire))
            {
                if (wire != 0)
                {
                    r.Skip(wire);
                    continue;
                }
                var value = r.Varint();
                if (field == 2)
                {
                    LastMissing = value;
                }
                else if (field == 3)
                {
                    MissedCount = value;
                }
            }
        }
    }

    /// <summary>The few protobuf wire-format reads the probe needs.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        public bool Next(out int field, out int wire)
        {
            if (_at >= _data.Length)
            {
                field = wire = 0;
                return false;
            }
            var tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = _data[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }
            return value;
        }

        public ReadOnlySpan<byte> LengthDelimited()
        {
            var length = (int)Varint();
            var body = _data.Slice(_at, length);
            _at += length;
            return body;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _at += 8;
                    break;
                case 2:
                    LengthDelimited();
                    break;
                case 5:
                    _at += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {wire}");
            }
        }
    }
}
