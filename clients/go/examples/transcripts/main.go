// Command transcripts prints a meeting's live transcripts with their speakers, using the rtmsgateway library: a bearer
// token read per attempt (so a refreshed token file is picked up on reconnect) and a resume point kept in a file, so a
// restarted consumer continues where it stopped without losing or repeating a segment.
//
//	go run ./examples/transcripts -addresses gateway-0:50051,gateway-1:50051 -meeting "$MEETING_UUID" \
//	    -token-file /var/run/secrets/rtms/token -state /tmp/transcripts.last
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
	"github.com/rtms-gateway/rtms-gateway/clients/go/rtmsgateway"
)

func main() {
	addresses := flag.String("addresses", "127.0.0.1:50051", "comma-separated gateway addresses, or one dns:///name:port")
	meeting := flag.String("meeting", "", "meeting UUID (instance_id): its newest live stream")
	stream := flag.String("stream", "", "rtms_stream_id (instead of -meeting)")
	tokenFile := flag.String("token-file", "", "file holding the bearer token (read per attempt); empty: $RTMS_TOKEN, or none")
	state := flag.String("state", "", "file keeping the last sequence processed, to resume after a restart")
	count := flag.Int("count", 0, "stop after this many segments (0: until the meeting ends)")
	flag.Parse()

	gw, err := rtmsgateway.Dial(rtmsgateway.Options{
		Addresses: strings.Split(*addresses, ","),
		BearerToken: func(context.Context) (string, error) {
			if *tokenFile == "" {
				return os.Getenv("RTMS_TOKEN"), nil
			}
			token, err := os.ReadFile(*tokenFile)
			return strings.TrimSpace(string(token)), err
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer gw.Close()

	target := &gatewayv1.SubscriptionTarget{InstanceId: *meeting, RtmsStreamId: *stream}
	if saved, err := os.ReadFile(*state); *state != "" && err == nil {
		if last, err := strconv.ParseUint(strings.TrimSpace(string(saved)), 10, 64); err == nil {
			target.ResumeAfterSequence = &last // continue after what the previous run processed
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	sub := gw.SubscribeTranscripts(ctx, target)
	defer sub.Close()
	for printed := 0; *count == 0 || printed < *count; {
		item, err := sub.Next(ctx)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			log.Fatalf("subscription ended: %v (reason %s)", err, rtmsgateway.Reason(err))
		}
		switch item.Kind {
		case rtmsgateway.KindMessage:
			s := item.Message
			fmt.Printf("%d transcript %s: %s\n", item.Sequence, s.GetHeader().GetUserName(), s.GetText())
			printed++
		case rtmsgateway.KindGap:
			fmt.Printf("-- missed %d..%d (%s)\n", item.Gap.GetFirstMissingSequence(), item.Gap.GetLastMissingSequence(), item.Gap.GetReason())
		case rtmsgateway.KindEnded:
			fmt.Printf("-- meeting ended: %s\n", item.Ended.GetStopReason())
		}
		if last, ok := sub.LastSequence(); ok && *state != "" {
			_ = os.WriteFile(*state, []byte(strconv.FormatUint(last, 10)), 0o600)
		}
	}
}
