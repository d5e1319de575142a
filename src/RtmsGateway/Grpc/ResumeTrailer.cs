using System.Globalization;
using Grpc.Core;

namespace RtmsGateway.Grpc;

/// <summary>The <c>resume-after-sequence</c> trailer: where a subscriber should resume after RESOURCE_EXHAUSTED or UNAVAILABLE.</summary>
public static class ResumeTrailer
{
    public const string Key = "resume-after-sequence";

    public static Metadata For(ulong lastDelivered) => lastDelivered == 0 ? [] : new Metadata { { Key, lastDelivered.ToString(CultureInfo.InvariantCulture) } };

    public static ulong? Read(Metadata trailers) =>
        trailers.GetValue(Key) is { } text && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
