using Grpc.Core;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Grpc;

/// <summary>Rejects malformed subscription targets with INVALID_ARGUMENT before any lookup.</summary>
internal static class SubscriptionTargetValidator
{
    public const int MaxIdLength = 256;
    public const int MaxUserFilters = 256;

    public static void Validate(SubscriptionTarget? target)
    {
        if (target is null)
        {
            throw Invalid("target", "target is required.");
        }
        if (target.RtmsStreamId.Length == 0 && target.InstanceId.Length == 0)
        {
            throw Invalid("target.rtms_stream_id", "target.rtms_stream_id or target.instance_id is required.");
        }
        CheckId(target.RtmsStreamId, "target.rtms_stream_id");
        CheckId(target.InstanceId, "target.instance_id");
        if (target.UserIds.Count > MaxUserFilters)
        {
            throw Invalid("target.user_ids", $"target.user_ids holds at most {MaxUserFilters} ids.");
        }
        foreach (var userId in target.UserIds)
        {
            if (userId.Length == 0)
            {
                throw Invalid("target.user_ids", "target.user_ids must not contain empty ids.");
            }
            CheckId(userId, "target.user_ids");
        }
    }

    private static void CheckId(string value, string field)
    {
        if (value.Length > MaxIdLength)
        {
            throw Invalid(field, $"{field} is longer than {MaxIdLength} characters.");
        }
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                throw Invalid(field, $"{field} contains white space or control characters.");
            }
        }
    }

    private static RpcException Invalid(string field, string message) => GatewayError.Create(StatusCode.InvalidArgument, ErrorReason.InvalidTarget, message, badField: field);
}
