// Package cli holds what every example reads from its command line and environment:
//
//	-addresses http://gw-0:50051,http://gw-1:50051   (or $RTMS_GATEWAY_ADDRESSES; default http://127.0.0.1:50051)
//	-meeting <uuid> (its newest stream, waiting for it to start) | -stream <rtms_stream_id>
//	-token-file <path> (read on every attempt, so a rotated token is used on reconnect) or $RTMS_GATEWAY_TOKEN
package cli

import (
	"context"
	"flag"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
	"github.com/rtms-gateway/rtms-gateway/clients/go/rtmsgateway"
)

var (
	addresses = flag.String("addresses", envOr("RTMS_GATEWAY_ADDRESSES", "http://127.0.0.1:50051"), "comma-separated gateway addresses, or one dns:///name:port")
	meeting   = flag.String("meeting", "", "meeting UUID (instance_id): its newest stream")
	stream    = flag.String("stream", "", "rtms_stream_id (instead of -meeting)")
	tokenFile = flag.String("token-file", "", "file holding the bearer token (read per attempt); empty: $RTMS_GATEWAY_TOKEN")
)

// Start parses the flags (the example's own included) and returns a client, the target, and a context that ends on
// Ctrl+C or SIGTERM.
func Start() (*rtmsgateway.Client, *gatewayv1.SubscriptionTarget, context.Context, context.CancelFunc, error) {
	flag.Parse()
	gw, err := rtmsgateway.Dial(rtmsgateway.Options{
		Addresses: strings.Split(*addresses, ","),
		BearerToken: func(context.Context) (string, error) {
			if *tokenFile == "" {
				return os.Getenv("RTMS_GATEWAY_TOKEN"), nil
			}
			token, err := os.ReadFile(*tokenFile)
			return strings.TrimSpace(string(token)), err
		},
	})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	return gw, &gatewayv1.SubscriptionTarget{InstanceId: *meeting, RtmsStreamId: *stream, WaitForStart: true}, ctx, stop, nil
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}
