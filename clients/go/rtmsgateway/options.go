package rtmsgateway

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// Options says where the gateway is and how a Client talks to it. The zero value of every field but Addresses is a
// sensible default.
type Options struct {
	// The gateway's replicas, any of which serves any session: "host:port", "http://host:port" (plain HTTP/2),
	// "https://host:port" (TLS with the system roots), or one "dns:///name:port" whose records are balanced round robin
	// (a Kubernetes headless Service). A subscription moves to the next address when its replica drains, dies or
	// cannot be reached.
	Addresses []string

	// Gives the bearer token of each call (sent as "authorization: Bearer <token>"; "" sends none). Called per attempt,
	// so a refreshed token is used on reconnect. nil: no token.
	BearerToken func(ctx context.Context) (string, error)

	// TLS (or other) transport credentials for every address; nil: plain text, or TLS for https:// addresses.
	TransportCredentials credentials.TransportCredentials

	// HTTP/2 keep-alive pings so a dead connection is noticed (default 20 s; negative turns them off; at least 10 s).
	KeepAliveInterval time.Duration

	// Deadline of each unary call (ListSessions; default 10 s). Subscriptions have none: they last as long as the session.
	UnaryDeadline time.Duration

	// First reconnect delay (default 100 ms); it doubles per failed attempt up to MaxBackoff (default 5 s), each wait
	// jittered. A RetryInfo from the gateway may ask for longer.
	InitialBackoff time.Duration
	MaxBackoff     time.Duration

	// A subscription that delivers nothing for this long while retrying gives up and returns the last error (default 5 min).
	GiveUpAfter time.Duration

	// Extra dial options for every connection (interceptors, a custom dialer, ...).
	DialOptions []grpc.DialOption
}

func (o Options) withDefaults() (Options, error) {
	if len(o.Addresses) == 0 {
		return o, errors.New("rtmsgateway: Options.Addresses needs at least one gateway address")
	}
	if o.KeepAliveInterval == 0 {
		o.KeepAliveInterval = 20 * time.Second
	}
	if o.KeepAliveInterval > 0 && o.KeepAliveInterval < 10*time.Second {
		o.KeepAliveInterval = 10 * time.Second
	}
	if o.UnaryDeadline <= 0 {
		o.UnaryDeadline = 10 * time.Second
	}
	if o.InitialBackoff <= 0 {
		o.InitialBackoff = 100 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Second
	}
	if o.MaxBackoff < o.InitialBackoff {
		return o, errors.New("rtmsgateway: Options.MaxBackoff must be at least InitialBackoff")
	}
	if o.GiveUpAfter <= 0 {
		o.GiveUpAfter = 5 * time.Minute
	}
	return o, nil
}
