using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Grpc;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>ListSessions pages (AIP-158): every session exactly once across the pages, and tokens that cannot be misused.</summary>
public sealed class ListSessionsPagingTests
{
    private static SessionInfo Session(string streamId, bool stopped = false) =>
        new() { RtmsStreamId = streamId, InstanceId = "instance-" + streamId, State = stopped ? SessionState.Stopped : SessionState.Streaming };

    [Fact]
    public void Pages_cover_every_session_once_in_stream_id_order()
    {
        var sessions = Enumerable.Range(0, 7).Select(i => Session($"stream-{(i * 37) % 7}")).ToList();
        var seen = new List<string>();
        var request = new ListSessionsRequest { PageSize = 3 };
        var pages = 0;
        do
        {
            var page = SessionPages.Page(sessions, request);
            Assert.True(page.Sessions.Count <= 3);
            seen.AddRange(page.Sessions.Select(s => s.RtmsStreamId));
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (request.PageToken.Length > 0);
        Assert.Equal(3, pages);
        Assert.Equal(sessions.Select(s => s.RtmsStreamId).Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public void A_full_last_page_has_no_next_token_and_the_default_size_applies_to_zero()
    {
        var sessions = Enumerable.Range(0, SessionPages.DefaultPageSize).Select(i => Session($"s{i:D4}")).ToList();
        var page = SessionPages.Page(sessions, new ListSessionsRequest());
        Assert.Equal(SessionPages.DefaultPageSize, page.Sessions.Count);
        Assert.Empty(page.NextPageToken);
        var capped = SessionPages.Page(Enumerable.Range(0, 1500).Select(i => Session($"s{i:D4}")), new ListSessionsRequest { PageSize = 5000 });
        Assert.Equal(SessionPages.MaxPageSize, capped.Sessions.Count);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("djE")] // "v1": neither filters nor a stream id
    public void A_token_the_api_did_not_issue_is_invalid_argument(string token)
    {
        var error = Assert.Throws<RpcException>(() => SessionPages.Page([Session("a")], new ListSessionsRequest { PageToken = token }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var details = ErrorDetails.Of(error);
        Assert.Equal(("INVALID_PAGE_REQUEST", "page_token"), (details.Reason, details.BadFields.Single()));
    }

    [Fact]
    public void A_token_replayed_with_other_filters_or_a_negative_size_is_refused()
    {
        var sessions = new[] { Session("a"), Session("b"), Session("c", stopped: true) };
        var first = SessionPages.Page(sessions, new ListSessionsRequest { PageSize = 1 });
        var other = Assert.Throws<RpcException>(() => SessionPages.Page(sessions, new ListSessionsRequest { PageSize = 1, PageToken = first.NextPageToken, IncludeStopped = true }));
        Assert.Equal("page_token", ErrorDetails.Of(other).BadFields.Single());
        var negative = Assert.Throws<RpcException>(() => SessionPages.Page(sessions, new ListSessionsRequest { PageSize = -1 }));
        Assert.Equal("page_size", ErrorDetails.Of(negative).BadFields.Single());
    }

    [Fact]
    public async Task A_client_pages_through_a_gateways_live_sessions()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meetings = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            meetings.Add((await gateway.StartMeetingAsync()).StreamId);
        }
        var first = await gateway.Client.ListSessionsAsync(new ListSessionsRequest { PageSize = 2 });
        Assert.Equal(2, first.Sessions.Count);
        var second = await gateway.Client.ListSessionsAsync(new ListSessionsRequest { PageSize = 2, PageToken = first.NextPageToken });
        Assert.Empty(second.NextPageToken);
        Assert.Equal(meetings.Order(StringComparer.Ordinal), first.Sessions.Concat(second.Sessions).Select(s => s.RtmsStreamId));
        var bad = await Assert.ThrowsAsync<RpcException>(async () => await gateway.Client.ListSessionsAsync(new ListSessionsRequest { PageToken = "garbage" }));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
    }
}
