package rtmsgateway

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/golang/protobuf/ptypes/duration"
	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

func gatewayError(code codes.Code, reason string, retry time.Duration) error {
	st := status.New(code, reason)
	var details []interface{ ProtoMessage() }
	if reason != "" {
		details = append(details, &errdetails.ErrorInfo{Reason: reason, Domain: "rtms.gateway.v1"})
	}
	if retry > 0 {
		details = append(details, &errdetails.RetryInfo{RetryDelay: &duration.Duration{Seconds: int64(retry / time.Second), Nanos: int32(retry % time.Second)}})
	}
	for _, d := range details {
		var err error
		if st, err = st.WithDetails(d.(interface {
			ProtoMessage()
			Reset()
			String() string
		})); err != nil {
			panic(err)
		}
	}
	return st.Err()
}

func TestOnlyWhatARetryCanFixIsRetried(t *testing.T) {
	cases := []struct {
		code    codes.Code
		reason  string
		retried bool
	}{
		{codes.NotFound, "SESSION_NOT_FOUND", false},
		{codes.InvalidArgument, "INVALID_TARGET", false},
		{codes.OutOfRange, "FUTURE_RESUME_POINT", false},
		{codes.PermissionDenied, "NOT_ALLOWED", false},
		{codes.Unauthenticated, "CREDENTIALS_REQUIRED", false},
		{codes.FailedPrecondition, "INDIVIDUAL_VIDEO_UNAVAILABLE", false},
		{codes.Unavailable, "DRAINING", true},
		{codes.Unavailable, "OWNER_LOST", true},
		{codes.Unavailable, "", true},
		{codes.ResourceExhausted, "SUBSCRIBER_TOO_SLOW", true},
		{codes.ResourceExhausted, "WATCHER_TOO_SLOW", true},
		{codes.ResourceExhausted, "SOMETHING_ELSE", false},
		{codes.Canceled, "", true},
		{codes.Unknown, "", true},
		{codes.Internal, "", true},
		{codes.DeadlineExceeded, "", true},
	}
	for _, c := range cases {
		err := gatewayError(c.code, c.reason, 0)
		if got := decide(err, false, 10*time.Millisecond).retry; got != c.retried {
			t.Errorf("%v %s: retry = %v, want %v", c.code, c.reason, got, c.retried)
		}
		if decide(err, true, 10*time.Millisecond).retry {
			t.Errorf("%v %s: retried although the caller cancelled", c.code, c.reason)
		}
		if Reason(err) != c.reason {
			t.Errorf("Reason = %q, want %q", Reason(err), c.reason)
		}
	}
}

func TestAFullSessionWaitsAsToldAndAnOverflowResumesOnTheSameReplica(t *testing.T) {
	full := decide(gatewayError(codes.ResourceExhausted, "SUBSCRIBER_LIMIT", 5*time.Second), false, 10*time.Millisecond)
	if !full.retry || full.delay < 5*time.Second || !full.otherReplica {
		t.Fatalf("SUBSCRIBER_LIMIT with RetryInfo: %+v", full)
	}
	overflow := decide(gatewayError(codes.ResourceExhausted, "SUBSCRIBER_TOO_SLOW", 0), false, 10*time.Millisecond)
	if !overflow.retry || overflow.otherReplica || overflow.delay != 0 {
		t.Fatalf("SUBSCRIBER_TOO_SLOW: %+v", overflow)
	}
	told := decide(gatewayError(codes.ResourceExhausted, "SUBSCRIBER_TOO_SLOW", 300*time.Millisecond), false, time.Second)
	if told.delay != 300*time.Millisecond || told.otherReplica {
		t.Fatalf("SUBSCRIBER_TOO_SLOW with RetryInfo: %+v", told)
	}
	unavailable := decide(gatewayError(codes.Unavailable, "DRAINING", 2*time.Second), false, 10*time.Millisecond)
	if unavailable.delay != 2*time.Second || !unavailable.otherReplica {
		t.Fatalf("DRAINING: %+v", unavailable)
	}
}

func TestBackoffGrowsToItsCapAndIsJittered(t *testing.T) {
	initial, max := 100*time.Millisecond, 2*time.Second
	seen := map[time.Duration]bool{}
	for i := 0; i < 200; i++ {
		w := backoff(10, initial, max)
		if w < max/2 || w > max {
			t.Fatalf("backoff(10) = %v, want within [%v, %v]", w, max/2, max)
		}
		seen[w] = true
	}
	if len(seen) < 100 {
		t.Fatalf("only %d distinct waits: not jittered", len(seen))
	}
	for attempt, nominal := range []time.Duration{100, 200, 400, 800} {
		nominal *= time.Millisecond
		if w := backoff(attempt, initial, max); w < nominal/2 || w > nominal {
			t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, w, nominal/2, nominal)
		}
	}
}

func TestResumePointIsDecodedFromTheStatus(t *testing.T) {
	if ResumePoint(gatewayError(codes.Unavailable, "OWNER_LOST", 0)) != nil {
		t.Fatal("a ResumePoint where the status has none")
	}
	if d, ok := RetryDelay(gatewayError(codes.Unavailable, "OWNER_LOST", 1500*time.Millisecond)); !ok || d != 1500*time.Millisecond {
		t.Fatalf("RetryDelay = %v %v", d, ok)
	}
}

// fakeGateway is one replica: each SubscribeAudio call runs the next script; ListSessions serves pages.
type fakeGateway struct {
	gatewayv1.UnimplementedRtmsGatewayServiceServer
	mu      sync.Mutex
	scripts []func(*gatewayv1.SubscribeAudioRequest, gatewayv1.RtmsGatewayService_SubscribeAudioServer) error
	calls   []*gatewayv1.SubscribeAudioRequest
	tokens  []string
	pages   int
}

func (f *fakeGateway) SubscribeAudio(req *gatewayv1.SubscribeAudioRequest, stream gatewayv1.RtmsGatewayService_SubscribeAudioServer) error {
	f.mu.Lock()
	n := len(f.calls)
	f.calls = append(f.calls, req)
	md, _ := metadata.FromIncomingContext(stream.Context())
	f.tokens = append(f.tokens, firstOf(md.Get("authorization")))
	var script func(*gatewayv1.SubscribeAudioRequest, gatewayv1.RtmsGatewayService_SubscribeAudioServer) error
	if n < len(f.scripts) {
		script = f.scripts[n]
	}
	f.mu.Unlock()
	if script == nil {
		return gatewayError(codes.Unavailable, "DRAINING", 0)
	}
	return script(req, stream)
}

func (f *fakeGateway) ListSessions(_ context.Context, req *gatewayv1.ListSessionsRequest) (*gatewayv1.ListSessionsResponse, error) {
	f.mu.Lock()
	f.pages++
	f.mu.Unlock()
	switch req.GetPageToken() {
	case "":
		return &gatewayv1.ListSessionsResponse{Sessions: []*gatewayv1.SessionInfo{{RtmsStreamId: "a"}, {RtmsStreamId: "b"}}, NextPageToken: "b"}, nil
	case "b":
		return &gatewayv1.ListSessionsResponse{Sessions: []*gatewayv1.SessionInfo{{RtmsStreamId: "c"}}}, nil
	}
	return nil, gatewayError(codes.InvalidArgument, "INVALID_PAGE_REQUEST", 0)
}

func (f *fakeGateway) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func firstOf(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

func serve(t *testing.T, f *fakeGateway) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := grpc.NewServer(grpc.CustomCodec(codec{}))
	gatewayv1.RegisterRtmsGatewayServiceServer(server, f)
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(server.Stop)
	return "http://" + listener.Addr().String()
}

func frame(sequence uint64) *gatewayv1.SubscribeAudioResponse {
	return &gatewayv1.SubscribeAudioResponse{Message: &gatewayv1.SubscribeAudioResponse_Frame{Frame: &gatewayv1.AudioFrame{Header: &gatewayv1.MessageHeader{Sequence: sequence}}}}
}

func send(stream gatewayv1.RtmsGatewayService_SubscribeAudioServer, responses ...*gatewayv1.SubscribeAudioResponse) error {
	for _, r := range responses {
		if err := stream.Send(r); err != nil {
			return err
		}
	}
	return nil
}

func client(t *testing.T, opts Options) *Client {
	t.Helper()
	if opts.InitialBackoff == 0 {
		opts.InitialBackoff, opts.MaxBackoff = 5*time.Millisecond, 20*time.Millisecond
	}
	c, err := Dial(opts)
	if err != nil {
		t.Fatal(err)
	}
	c.next = 0 // start at the first address
	t.Cleanup(func() { c.Close() })
	return c
}

func TestASubscriptionResumesOnTheNextReplicaSkipsReplaysAndEndsWithEOF(t *testing.T) {
	const e = 1_000_000_000_000
	first := &fakeGateway{scripts: []func(*gatewayv1.SubscribeAudioRequest, gatewayv1.RtmsGatewayService_SubscribeAudioServer) error{
		func(req *gatewayv1.SubscribeAudioRequest, s gatewayv1.RtmsGatewayService_SubscribeAudioServer) error {
			if err := send(s, frame(e+1), frame(e+2), frame(e+3)); err != nil {
				return err
			}
			return gatewayError(codes.Unavailable, "OWNER_LOST", 0)
		},
	}}
	second := &fakeGateway{scripts: []func(*gatewayv1.SubscribeAudioRequest, gatewayv1.RtmsGatewayService_SubscribeAudioServer) error{
		func(req *gatewayv1.SubscribeAudioRequest, s gatewayv1.RtmsGatewayService_SubscribeAudioServer) error {
			gap := &gatewayv1.SubscribeAudioResponse{Message: &gatewayv1.SubscribeAudioResponse_Gap{Gap: &gatewayv1.Gap{
				FirstMissingSequence: e + 4, LastMissingSequence: 2 * e, Reason: gatewayv1.Gap_REASON_OWNER_CHANGED}}}
			ended := &gatewayv1.SubscribeAudioResponse{Message: &gatewayv1.SubscribeAudioResponse_Ended{Ended: &gatewayv1.SessionEnded{
				StopReason: gatewayv1.ZoomStopReason_ZOOM_STOP_REASON_MEETING_ENDED}}}
			return send(s, frame(e+2), frame(e+3), gap, frame(2*e+1), ended)
		},
	}}
	tokens := 0
	c := client(t, Options{
		Addresses: []string{serve(t, first), serve(t, second)},
		BearerToken: func(context.Context) (string, error) {
			tokens++
			return "t" + string(rune('0'+tokens)), nil
		},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub := c.SubscribeAudio(ctx, &gatewayv1.SubscriptionTarget{RtmsStreamId: "s"})
	defer sub.Close()
	var got []string
	for {
		item, err := sub.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		got = append(got, item.Kind.String()+":"+itoa(item.Sequence))
	}
	want := []string{"message:1000000000001", "message:1000000000002", "message:1000000000003", "gap:2000000000000", "message:2000000000001", "ended:0"}
	if len(got) != len(want) {
		t.Fatalf("items %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("items %v, want %v", got, want)
		}
	}
	if _, err := sub.Next(ctx); err != io.EOF {
		t.Fatalf("after the end: %v, want io.EOF", err)
	}
	if first.calls[0].GetTarget().ResumeAfterSequence != nil {
		t.Fatalf("the first call resumed: %v", first.calls[0])
	}
	if r := second.calls[0].GetTarget().GetResumeAfterSequence(); r != e+3 {
		t.Fatalf("resumed after %d, want %d", r, e+3)
	}
	if first.tokens[0] != "Bearer t1" || second.tokens[0] != "Bearer t2" {
		t.Fatalf("tokens %v %v: want a fresh one per attempt", first.tokens, second.tokens)
	}
	if last, ok := sub.LastSequence(); !ok || last != 2*e+1 {
		t.Fatalf("LastSequence = %d %v", last, ok)
	}
}

func itoa(v uint64) string {
	if v == 0 {
		return "0"
	}
	var b []byte
	for ; v > 0; v /= 10 {
		b = append([]byte{byte('0' + v%10)}, b...)
	}
	return string(b)
}

func TestAnUnknownSessionEndsTheSubscriptionAtOnceWithItsReason(t *testing.T) {
	f := &fakeGateway{scripts: []func(*gatewayv1.SubscribeAudioRequest, gatewayv1.RtmsGatewayService_SubscribeAudioServer) error{
		func(*gatewayv1.SubscribeAudioRequest, gatewayv1.RtmsGatewayService_SubscribeAudioServer) error {
			return gatewayError(codes.NotFound, "SESSION_NOT_FOUND", 0)
		},
	}}
	other := &fakeGateway{}
	c := client(t, Options{Addresses: []string{serve(t, f), serve(t, other)}})
	sub := c.SubscribeAudio(context.Background(), &gatewayv1.SubscriptionTarget{RtmsStreamId: "none"})
	_, err := sub.Next(context.Background())
	if Code(err) != codes.NotFound || Reason(err) != "SESSION_NOT_FOUND" {
		t.Fatalf("err = %v (reason %q)", err, Reason(err))
	}
	if f.callCount()+other.callCount() != 1 {
		t.Fatalf("%d calls: NOT_FOUND was retried", f.callCount()+other.callCount())
	}
	if _, again := sub.Next(context.Background()); Code(again) != codes.NotFound {
		t.Fatalf("the next Next: %v", again)
	}
}

func TestAnOverflowResumesAtOnceOnTheSameReplica(t *testing.T) {
	f := &fakeGateway{}
	f.scripts = append(f.scripts,
		func(_ *gatewayv1.SubscribeAudioRequest, s gatewayv1.RtmsGatewayService_SubscribeAudioServer) error {
			if err := send(s, frame(1_000_000_000_001)); err != nil {
				return err
			}
			return gatewayError(codes.ResourceExhausted, "SUBSCRIBER_TOO_SLOW", 0)
		},
		func(_ *gatewayv1.SubscribeAudioRequest, s gatewayv1.RtmsGatewayService_SubscribeAudioServer) error {
			return send(s, frame(1_000_000_000_002))
		})
	other := &fakeGateway{}
	c := client(t, Options{Addresses: []string{serve(t, f), serve(t, other)}})
	sub := c.SubscribeAudio(context.Background(), &gatewayv1.SubscriptionTarget{RtmsStreamId: "s"})
	for _, want := range []uint64{1_000_000_000_001, 1_000_000_000_002} {
		item, err := sub.Next(context.Background())
		if err != nil || item.Sequence != want {
			t.Fatalf("item %v %v, want %d", item, err, want)
		}
	}
	if other.callCount() != 0 || f.callCount() != 2 {
		t.Fatalf("calls: %d on the replica, %d on the other", f.callCount(), other.callCount())
	}
	if r := f.calls[1].GetTarget().GetResumeAfterSequence(); r != 1_000_000_000_001 {
		t.Fatalf("resumed after %d", r)
	}
}

func TestASubscriptionGivesUpAfterATimeWithoutProgressWithTheLastError(t *testing.T) {
	a, b := &fakeGateway{}, &fakeGateway{} // both always UNAVAILABLE (DRAINING)
	c := client(t, Options{Addresses: []string{serve(t, a), serve(t, b)}, GiveUpAfter: 300 * time.Millisecond})
	started := time.Now()
	_, err := c.SubscribeAudio(context.Background(), &gatewayv1.SubscriptionTarget{RtmsStreamId: "s"}).Next(context.Background())
	if Code(err) != codes.Unavailable || Reason(err) != "DRAINING" {
		t.Fatalf("err = %v", err)
	}
	if time.Since(started) > 5*time.Second || a.callCount() < 2 || b.callCount() < 2 {
		t.Fatalf("gave up after %v with %d+%d calls", time.Since(started), a.callCount(), b.callCount())
	}
}

func TestACancelledNextLeavesTheSubscriptionUsableWithoutLoss(t *testing.T) {
	release := make(chan struct{})
	f := &fakeGateway{}
	f.scripts = append(f.scripts,
		func(_ *gatewayv1.SubscribeAudioRequest, s gatewayv1.RtmsGatewayService_SubscribeAudioServer) error {
			if err := send(s, frame(1_000_000_000_001)); err != nil {
				return err
			}
			<-s.Context().Done()
			return s.Context().Err()
		},
		func(req *gatewayv1.SubscribeAudioRequest, s gatewayv1.RtmsGatewayService_SubscribeAudioServer) error {
			<-release
			return send(s, frame(1_000_000_000_001), frame(1_000_000_000_002))
		})
	c := client(t, Options{Addresses: []string{serve(t, f)}})
	sub := c.SubscribeAudio(context.Background(), &gatewayv1.SubscriptionTarget{RtmsStreamId: "s"})
	if item, err := sub.Next(context.Background()); err != nil || item.Sequence != 1_000_000_000_001 {
		t.Fatalf("first: %v %v", item, err)
	}
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := sub.Next(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a Next past its deadline: %v", err)
	}
	close(release)
	item, err := sub.Next(context.Background())
	if err != nil || item.Sequence != 1_000_000_000_002 {
		t.Fatalf("after the cancelled Next: %v %v", item, err)
	}
	sub.Close()
	if _, err := sub.Next(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

func TestListSessionsFollowsEveryPage(t *testing.T) {
	f := &fakeGateway{}
	c := client(t, Options{Addresses: []string{serve(t, f)}})
	sessions, err := c.ListSessions(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sessions) != 3 || sessions[2].GetRtmsStreamId() != "c" || f.pages != 2 {
		t.Fatalf("%d sessions over %d pages", len(sessions), f.pages)
	}
}

func TestOptionsAreValidated(t *testing.T) {
	if _, err := Dial(Options{}); err == nil {
		t.Fatal("no address accepted")
	}
	if _, err := Dial(Options{Addresses: []string{"a:1"}, InitialBackoff: time.Second, MaxBackoff: time.Millisecond}); err == nil {
		t.Fatal("MaxBackoff < InitialBackoff accepted")
	}
	c, err := Dial(Options{Addresses: []string{"dns:///gateway-headless:50051", "https://gateway:443/", "10.0.0.1:50051"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if o := c.Options(); o.GiveUpAfter != 5*time.Minute || o.KeepAliveInterval != 20*time.Second || o.UnaryDeadline != 10*time.Second {
		t.Fatalf("defaults %+v", o)
	}
}
