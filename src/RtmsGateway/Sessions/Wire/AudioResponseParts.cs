using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions.Wire;

/// <summary>
/// The parts of one encoded <see cref="SubscribeAudioResponse"/> frame, as slices of its bytes (nothing parsed into
/// objects): the encoded <see cref="MessageHeader"/>, the encoded <see cref="AudioFormat"/>, the payload, and the
/// encoded fields after the payload (channel id, channel), which a converted frame copies unchanged.
/// </summary>
internal readonly ref struct AudioResponseParts
{
    private AudioResponseParts(ReadOnlySpan<byte> header, ReadOnlySpan<byte> format, ReadOnlySpan<byte> data, ReadOnlySpan<byte> trailer)
    {
        Header = header;
        Format = format;
        Data = data;
        Trailer = trailer;
    }

    /// <summary>The body of <see cref="AudioFrame.Header"/>.</summary>
    public ReadOnlySpan<byte> Header { get; }

    /// <summary>The body of <see cref="AudioFrame.Format"/>.</summary>
    public ReadOnlySpan<byte> Format { get; }

    /// <summary><see cref="AudioFrame.Data"/>.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The encoded fields that follow the payload (tags included).</summary>
    public ReadOnlySpan<byte> Trailer { get; }

    /// <summary>Slices a response the gateway encoded (<see cref="AudioResponseEncoder"/>, or Google.Protobuf: fields in
    /// number order). <see cref="InvalidDataException"/> when it is no audio frame.</summary>
    public static AudioResponseParts Read(ReadOnlySpan<byte> response)
    {
        var at = 0;
        if (ReadVarint(response, ref at) != (SubscribeAudioResponse.FrameFieldNumber << 3 | 2))
        {
            throw new InvalidDataException("The response is no audio frame.");
        }
        var frame = Slice(response, ref at);
        ReadOnlySpan<byte> header = default, format = default, data = default;
        var trailerStart = -1;
        at = 0;
        while (at < frame.Length)
        {
            var fieldStart = at;
            var tag = ReadVarint(frame, ref at);
            var field = (int)(tag >> 3);
            var body = (tag & 7) switch
            {
                0 => SkipVarint(frame, ref at),
                1 => Skip(frame, ref at, 8),
                2 => Slice(frame, ref at),
                5 => Skip(frame, ref at, 4),
                _ => throw new InvalidDataException($"Wire type {tag & 7} in an audio frame."),
            };
            if (field is AudioFrame.HeaderFieldNumber or AudioFrame.FormatFieldNumber or AudioFrame.DataFieldNumber)
            {
                if (trailerStart >= 0)
                {
                    throw new InvalidDataException("An audio frame's header, format or data follows its other fields.");
                }
                switch (field)
                {
                    case AudioFrame.HeaderFieldNumber:
                        header = body;
                        break;
                    case AudioFrame.FormatFieldNumber:
                        format = body;
                        break;
                    default:
                        data = body;
                        break;
                }
            }
            else if (trailerStart < 0)
            {
                trailerStart = fieldStart;
            }
        }
        return new AudioResponseParts(header, format, data, trailerStart < 0 ? default : frame[trailerStart..]);
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> bytes, scoped ref int at)
    {
        var length = ReadVarint(bytes, ref at);
        if (length > (ulong)(bytes.Length - at))
        {
            throw new InvalidDataException("A length runs past the end of the audio frame.");
        }
        var slice = bytes.Slice(at, (int)length);
        at += (int)length;
        return slice;
    }

    private static ReadOnlySpan<byte> Skip(ReadOnlySpan<byte> bytes, scoped ref int at, int count)
    {
        if (count > bytes.Length - at)
        {
            throw new InvalidDataException("A field runs past the end of the audio frame.");
        }
        at += count;
        return default;
    }

    private static ReadOnlySpan<byte> SkipVarint(ReadOnlySpan<byte> bytes, scoped ref int at)
    {
        ReadVarint(bytes, ref at);
        return default;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, scoped ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= bytes.Length)
            {
                throw new InvalidDataException("A varint runs past the end of the audio frame.");
            }
            var b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new InvalidDataException("A varint longer than 10 bytes.");
    }
}
