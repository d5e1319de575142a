using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RtmsGateway.Api.V1;
using Status = Grpc.Core.Status;
using StatusCode = Grpc.Core.StatusCode;

namespace RtmsGateway.Grpc;

/// <summary>
/// The gateway's non-OK statuses (AIP-193, see <c>errors.proto</c>): the code and message, plus a <c>google.rpc.Status</c>
/// in <c>grpc-status-details-bin</c> with an <see cref="ErrorInfo"/> (stable reason, domain, metadata), a
/// <see cref="RetryInfo"/> where retrying makes sense, a <see cref="ResumePoint"/> once a call delivered messages, and a
/// <see cref="BadRequest"/> for a bad field. The <c>resume-after-sequence</c> text trailer stays for older clients.
/// </summary>
public static class GatewayError
{
    /// <summary><see cref="ErrorInfo.Domain"/> of every gateway error.</summary>
    public const string Domain = "rtms.gateway.v1";

    private const string ReasonPrefix = "ERROR_REASON_";

    /// <summary>The <see cref="ErrorInfo.Reason"/> string of <paramref name="reason"/>: its proto name without the prefix.</summary>
    public static string ReasonText(ErrorReason reason) =>
        ErrorsReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>(nameof(ErrorReason)).FindValueByNumber((int)reason)?.Name is { } name && name.StartsWith(ReasonPrefix, StringComparison.Ordinal)
            ? name[ReasonPrefix.Length..]
            : reason.ToString();

    /// <summary>How long a client should wait before calling again after <paramref name="reason"/>; null: retrying the same
    /// call does not help (fix the request, or wait for something else to change).</summary>
    public static TimeSpan? RetryDelay(ErrorReason reason) => reason switch
    {
        ErrorReason.SubscriberLimit => TimeSpan.FromSeconds(5),
        // A format is retired Fanout:AudioFormatIdleTimeout (30 s by default) after its last subscriber left.
        ErrorReason.ConversionLimit => TimeSpan.FromSeconds(10),
        ErrorReason.SubscriberTooSlow or ErrorReason.WatcherTooSlow => TimeSpan.FromMilliseconds(100),
        ErrorReason.Draining => TimeSpan.FromMilliseconds(200),
        ErrorReason.OwnerLost => TimeSpan.FromMilliseconds(500),
        ErrorReason.ClusterStateUnavailable => TimeSpan.FromSeconds(1),
        _ => null,
    };

    /// <param name="lastDelivered">The last sequence the call delivered: a <see cref="ResumePoint"/> and the text trailer when above 0.</param>
    /// <param name="badField">The request field at fault (a <see cref="BadRequest"/> field violation).</param>
    public static RpcException Create(StatusCode code, ErrorReason reason, string message, string? streamId = null, ulong lastDelivered = 0,
        string? badField = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var info = new ErrorInfo { Reason = ReasonText(reason), Domain = Domain };
        if (!string.IsNullOrEmpty(streamId))
        {
            info.Metadata["rtms_stream_id"] = streamId;
        }
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            info.Metadata[key] = value;
        }
        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        if (RetryDelay(reason) is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }));
        }
        if (lastDelivered > 0)
        {
            status.Details.Add(Any.Pack(new ResumePoint { ResumeAfterSequence = lastDelivered, RtmsStreamId = streamId ?? string.Empty }));
        }
        if (badField is not null)
        {
            status.Details.Add(Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = badField, Description = message } } }));
        }
        var trailers = ResumeTrailer.For(lastDelivered);
        trailers.SetRpcStatus(status);
        return new RpcException(new Status(code, message), trailers);
    }

    /// <summary>An owner's error passed on by a relaying replica: the owner's details, with the relay's own resume point.</summary>
    public static RpcException Relayed(RpcException fromOwner, string streamId, ulong lastDelivered)
    {
        if (fromOwner.GetRpcStatus() is not { } status)
        {
            return new RpcException(fromOwner.Status, ResumeTrailer.For(lastDelivered));
        }
        var details = status.Details.Where(d => !d.Is(ResumePoint.Descriptor)).ToList();
        status.Details.Clear();
        status.Details.AddRange(details);
        if (lastDelivered > 0)
        {
            status.Details.Add(Any.Pack(new ResumePoint { ResumeAfterSequence = lastDelivered, RtmsStreamId = streamId }));
        }
        var trailers = ResumeTrailer.For(lastDelivered);
        trailers.SetRpcStatus(status);
        return new RpcException(fromOwner.Status, trailers);
    }
}
