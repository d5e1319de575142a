using RtmsGateway.Api.V1;

namespace RtmsGateway.Grpc;

/// <summary>How one Subscribe* RPC wraps the notices every subscription can carry.</summary>
internal interface IResponseShape<T>
{
    T Gap(Gap gap);

    T Ended(SessionEnded ended);
}
