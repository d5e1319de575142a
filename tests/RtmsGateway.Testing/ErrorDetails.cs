using Google.Rpc;
using Grpc.Core;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Testing;

/// <summary>
/// What a client reads from a gateway error's <c>google.rpc.Status</c> (AIP-193, <c>errors.proto</c>): the reason and
/// domain of its <see cref="ErrorInfo"/>, its metadata, the <see cref="RetryInfo"/> delay, the <see cref="ResumePoint"/>
/// and the <see cref="BadRequest"/> fields. Null fields were not sent.
/// </summary>
public sealed record ErrorDetails(string Reason, string Domain, IReadOnlyDictionary<string, string> Metadata, TimeSpan? RetryDelay, ResumePoint? Resume, IReadOnlyList<string> BadFields)
{
    /// <summary>Reads the details of <paramref name="error"/>; throws when the status carries none.</summary>
    public static ErrorDetails Of(RpcException error)
    {
        var status = error.GetRpcStatus() ?? throw new InvalidOperationException($"{error.StatusCode} carries no google.rpc.Status: {error.Status.Detail}");
        if (status.Code != (int)error.StatusCode)
        {
            throw new InvalidOperationException($"google.rpc.Status code {status.Code} differs from the call's {error.StatusCode}");
        }
        var info = status.GetDetail<ErrorInfo>() ?? throw new InvalidOperationException($"{error.StatusCode} carries no ErrorInfo: {error.Status.Detail}");
        return new ErrorDetails(info.Reason, info.Domain, info.Metadata.ToDictionary(), status.GetDetail<RetryInfo>()?.RetryDelay.ToTimeSpan(), status.GetDetail<ResumePoint>(),
            status.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? []);
    }

    /// <summary>The first response of <paramref name="call"/> must be an error: its exception.</summary>
    public static async Task<RpcException> FirstErrorAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            try
            {
                await call.ResponseStream.MoveNext(CancellationToken.None);
            }
            catch (RpcException ex)
            {
                return ex;
            }
            throw new InvalidOperationException("The call succeeded.");
        }
    }
}
