using System.Text;

namespace RtmsGateway.Fuzzing;

/// <summary>
/// Byte- and token-level mutations of JSON seeds: bit flips, random bytes, deletions, duplications, splices of two
/// seeds, and insertion of tokens that stress a JSON reader (nulls, lone surrogates, invalid UTF-8, huge numbers,
/// nesting, the field names the parsers look for).
/// </summary>
public sealed class Mutator(Random random)
{
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "null", "true", "false", "0", "-1", "1.5", "1e400", "-0", "9223372036854775808", "-9223372036854775809",
            "2147483648", "\"\"", "\"x\"", "\"\\ud800\"", "\"\\udfff\"", "\"\\u0000\"", "\"\\/\"", "[]", "{}", "[null]",
            "{\"a\":null}", "[[[[[[[[", "]]]]", "\"12\"", "\"-5\"", "\" 1\"", "\"AA==\"", "\"A\"", "\"====\"",
            "\"msg_type\"", "\"content\"", "\"data\"", "\"user_id\"", "\"user_name\"", "\"timestamp\"", "\"channel_id\"",
            "\"events\"", "\"event\"", "\"event_type\"", "\"participants\"", "\"media_server\"", "\"server_urls\"",
            "\"srtp_keys\"", "\"payload\"", "\"object\"", "\"meeting_uuid\"", "\"rtms_stream_id\"", "\"event_ts\"",
            "\"stop_reason\"", "\"status_code\"", "\"media_params\"", "\"plainToken\"", "\"meeting.rtms_started\"",
            "\"endpoint.url_validation\"", "\"webinar.rtms_stopped\"", ",", ":", "\"",
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0x00], [0xF4, 0x90, 0x80, 0x80],
    ];

    public byte[] Mutate(byte[] seed, byte[] other)
    {
        var data = new List<byte>(seed);
        var rounds = 1 + random.Next(6);
        for (var i = 0; i < rounds; i++)
        {
            MutateOnce(data, other);
        }
        return [.. data];
    }

    private void MutateOnce(List<byte> data, byte[] other)
    {
        var at = data.Count == 0 ? 0 : random.Next(data.Count);
        switch (random.Next(9))
        {
            case 0 when data.Count > 0:
                data[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[at] = (byte)random.Next(256);
                break;
            case 2 when data.Count > 0:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                break;
            case 3 when data.Count > 0:
                var length = Math.Min(data.Count - at, 1 + random.Next(64));
                data.InsertRange(random.Next(data.Count + 1), data.GetRange(at, length));
                break;
            case 4 when other.Length > 0:
                var from = random.Next(other.Length);
                data.RemoveRange(at, data.Count - at);
                data.AddRange(other.AsSpan(from).ToArray());
                break;
            case 5:
            case 6:
                data.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                break;
            default:
                ReplaceValue(data, at);
                break;
        }
    }

    // Replaces the JSON value that starts after the next ':' with a token, keeping the document's shape otherwise.
    private void ReplaceValue(List<byte> data, int at)
    {
        var colon = data.IndexOf((byte)':', at);
        if (colon < 0)
        {
            data.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
            return;
        }
        var end = colon + 1;
        var depth = 0;
        var inString = false;
        for (; end < data.Count; end++)
        {
            var b = data[end];
            if (inString)
            {
                if (b == '\\')
                {
                    end++;
                }
                else if (b == '"')
                {
                    inString = false;
                }
                continue;
            }
            if (b == '"')
            {
                inString = true;
            }
            else if (b is (byte)'{' or (byte)'[')
            {
                depth++;
            }
            else if (b is (byte)'}' or (byte)']')
            {
                if (depth-- == 0)
                {
                    break;
                }
            }
            else if (b == ',' && depth == 0)
            {
                break;
            }
        }
        end = Math.Min(end, data.Count);
        data.RemoveRange(colon + 1, end - colon - 1);
        data.InsertRange(colon + 1, Tokens[random.Next(Tokens.Length)]);
    }
}
