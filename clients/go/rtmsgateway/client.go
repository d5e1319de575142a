// Package rtmsgateway is the Go client of RtmsGateway, which re-exposes live Zoom RTMS meetings as server-streaming
// gRPC (protos/rtms/gateway/v1/gateway.proto).
//
// Each Subscribe* returns a Subscription that outlives its gRPC calls: a replica that drains, dies or loses the session
// is left for another, the subscription resumes after the last sequence it delivered, and what could not be replayed
// arrives as a Gap item, exactly once per hole. Errors a retry cannot fix (no such session, a bad request, credentials)
// end it with their gRPC status error, whose Reason names the cause (errors.proto).
//
//	gw, _ := rtmsgateway.Dial(rtmsgateway.Options{Addresses: []string{"gateway:50051"}})
//	sub := gw.SubscribeTranscripts(ctx, &gatewayv1.SubscriptionTarget{InstanceId: meetingUUID})
//	for item, err := sub.Next(ctx); err == nil; item, err = sub.Next(ctx) { if s := item.Message; s != nil { fmt.Printf("%s: %s\n", s.Header.UserName, s.Text) } }
package rtmsgateway

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
)

// Client talks to the gateway's replicas. It is safe for concurrent use; Close it when done.
type Client struct {
	opts  Options
	conns []*grpc.ClientConn
	stubs []gatewayv1.RtmsGatewayServiceClient
	next  uint32

	// Test hooks: the clock and the backoff wait.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// Dial opens (lazily) a connection to each address of opts. It fails only on bad options; unreachable replicas are
// found out, and left for others, per call.
func Dial(opts Options) (*Client, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Client{opts: opts, now: time.Now, sleep: sleepContext}
	for _, address := range opts.Addresses {
		conn, err := dial(address, opts)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("rtmsgateway: address %q: %w", address, err)
		}
		c.conns = append(c.conns, conn)
		c.stubs = append(c.stubs, gatewayv1.NewRtmsGatewayServiceClient(conn))
	}
	c.next = uint32(jitterInt(len(c.stubs)))
	return c, nil
}

func dial(address string, opts Options) (*grpc.ClientConn, error) {
	target, creds := address, opts.TransportCredentials
	switch {
	case strings.HasPrefix(address, "http://"):
		target = strings.TrimSuffix(strings.TrimPrefix(address, "http://"), "/")
	case strings.HasPrefix(address, "https://"):
		target = strings.TrimSuffix(strings.TrimPrefix(address, "https://"), "/")
		if creds == nil {
			creds = credentials.NewTLS(&tls.Config{MinVersion: tls.VersionTLS12})
		}
	}
	if target == "" {
		return nil, errors.New("empty address")
	}
	dialOptions := []grpc.DialOption{
		grpc.WithDefaultCallOptions(grpc.ForceCodec(codec{}), grpc.MaxCallRecvMsgSize(16*1024*1024)),
	}
	if creds != nil {
		dialOptions = append(dialOptions, grpc.WithTransportCredentials(creds))
	} else {
		dialOptions = append(dialOptions, grpc.WithInsecure())
	}
	if opts.KeepAliveInterval > 0 {
		dialOptions = append(dialOptions, grpc.WithKeepaliveParams(keepalive.ClientParameters{
			Time: opts.KeepAliveInterval, Timeout: 10 * time.Second, PermitWithoutStream: true,
		}))
	}
	if strings.HasPrefix(target, "dns:") {
		// Every address the name resolves to, balanced per call (a headless Service's pods).
		dialOptions = append(dialOptions, grpc.WithDisableServiceConfig(),
			grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`))
	}
	dialOptions = append(dialOptions, opts.DialOptions...)
	return grpc.Dial(target, dialOptions...)
}

// Close closes every connection. Subscriptions in progress end.
func (c *Client) Close() error {
	var first error
	for _, conn := range c.conns {
		if err := conn.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Options are the client's options with their defaults filled in.
func (c *Client) Options() Options { return c.opts }

// Stub is the generated stub of the replica used next, for calls this package does not wrap (WatchSessions). Calls
// through it carry no token by themselves: add CallContext(ctx).
func (c *Client) Stub() gatewayv1.RtmsGatewayServiceClient { return c.stubs[c.firstReplica()] }

// CallContext is ctx with the bearer token of Options.BearerToken, for calls made through Stub.
func (c *Client) CallContext(ctx context.Context) (context.Context, error) {
	if c.opts.BearerToken == nil {
		return ctx, nil
	}
	token, err := c.opts.BearerToken(ctx)
	if err != nil {
		return ctx, fmt.Errorf("rtmsgateway: bearer token: %w", err)
	}
	if token == "" {
		return ctx, nil
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token), nil
}

func (c *Client) firstReplica() int {
	return int((atomic.AddUint32(&c.next, 1) - 1) % uint32(len(c.stubs)))
}

func (c *Client) nextReplica(replica int) int { return (replica + 1) % len(c.stubs) }

// ListSessions returns every session the gateway lists, following next_page_token over all pages; each page is
// retried on another replica while one is unavailable. request may be nil (live sessions of every instance).
func (c *Client) ListSessions(ctx context.Context, request *gatewayv1.ListSessionsRequest) ([]*gatewayv1.SessionInfo, error) {
	req := &gatewayv1.ListSessionsRequest{}
	if request != nil {
		req = proto.Clone(request).(*gatewayv1.ListSessionsRequest)
	}
	var sessions []*gatewayv1.SessionInfo
	for {
		var page *gatewayv1.ListSessionsResponse
		err := c.unary(ctx, func(ctx context.Context, stub gatewayv1.RtmsGatewayServiceClient) (err error) {
			page, err = stub.ListSessions(ctx, req)
			return err
		})
		if err != nil {
			return sessions, err
		}
		sessions = append(sessions, page.GetSessions()...)
		if page.GetNextPageToken() == "" {
			return sessions, nil
		}
		req.PageToken = page.GetNextPageToken()
	}
}

func (c *Client) unary(ctx context.Context, call func(context.Context, gatewayv1.RtmsGatewayServiceClient) error) error {
	replica := c.firstReplica()
	for attempt := 0; ; attempt++ {
		callCtx, err := c.CallContext(ctx)
		if err != nil {
			return err
		}
		callCtx, cancel := context.WithTimeout(callCtx, c.opts.UnaryDeadline)
		err = call(callCtx, c.stubs[replica])
		cancel()
		if err == nil {
			return nil
		}
		d := decide(err, ctx.Err() != nil, backoff(attempt, c.opts.InitialBackoff, c.opts.MaxBackoff))
		if !d.retry || attempt >= 2*len(c.stubs) {
			return err
		}
		replica = c.nextReplica(replica)
		if err := c.sleep(ctx, d.delay); err != nil {
			return err
		}
	}
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func jitterInt(n int) int {
	jitter.Lock()
	defer jitter.Unlock()
	return jitter.Intn(n)
}
