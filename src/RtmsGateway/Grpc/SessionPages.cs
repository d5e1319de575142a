using System.Buffers.Text;
using System.Text;
using Grpc.Core;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Grpc;

/// <summary>
/// ListSessions pages (AIP-158): sessions ordered by stream id, at most <see cref="MaxPageSize"/> per page, and an opaque
/// token that names the last stream id returned and the filters it was issued for, so a token replayed with other filters
/// is refused instead of silently paging another list.
/// </summary>
public static class SessionPages
{
    public const int DefaultPageSize = 500;

    public const int MaxPageSize = 1000;

    private const string Version = "v1";

    /// <summary>The page of <paramref name="sessions"/> (the caller's visible ones, any order) that <paramref name="request"/> asks for.</summary>
    public static ListSessionsResponse Page(IEnumerable<SessionInfo> sessions, ListSessionsRequest request)
    {
        if (request.PageSize < 0)
        {
            throw GatewayError.Create(StatusCode.InvalidArgument, ErrorReason.InvalidPageRequest, $"page_size must not be negative ({request.PageSize}).", badField: "page_size");
        }
        var size = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var after = request.PageToken.Length == 0 ? null : After(request);
        var page = sessions
            .Where(s => after is null || string.CompareOrdinal(s.RtmsStreamId, after) > 0)
            .OrderBy(s => s.RtmsStreamId, StringComparer.Ordinal)
            .Take(size + 1)
            .ToList();
        var response = new ListSessionsResponse { Sessions = { page.Take(size) } };
        if (page.Count > size)
        {
            response.NextPageToken = Token(request, page[size - 1].RtmsStreamId);
        }
        return response;
    }

    private static string Filters(ListSessionsRequest request) => $"{(request.IncludeStopped ? 1 : 0)}:{request.InstanceId}";

    private static string Token(ListSessionsRequest request, string lastStreamId)
    {
        var text = Encoding.UTF8.GetBytes($"{Version}\n{Filters(request)}\n{lastStreamId}");
        return Base64Url.EncodeToString(text);
    }

    /// <summary>The last stream id of the previous page, from a token issued for the same filters.</summary>
    private static string After(ListSessionsRequest request)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(request.PageToken)).Split('\n');
        }
        catch (FormatException)
        {
            parts = [];
        }
        if (parts.Length != 3 || parts[0] != Version)
        {
            throw GatewayError.Create(StatusCode.InvalidArgument, ErrorReason.InvalidPageRequest, "page_token is not a token this API issued; start again without one.", badField: "page_token");
        }
        if (parts[1] != Filters(request))
        {
            throw GatewayError.Create(StatusCode.InvalidArgument, ErrorReason.InvalidPageRequest,
                "page_token was issued for other include_stopped/instance_id values; send the same filters, or start again without a token.", badField: "page_token");
        }
        return parts[2];
    }
}
