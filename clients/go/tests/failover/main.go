// Command failover subscribes to a meeting's audio across every replica with the rtmsgateway library only, prints
// "delivered 25" once it has 25 messages (the test then kills the session's owner), keeps consuming with no code of
// its own for the failure, checks that every sequence is delivered or inside exactly one gap, stops 50 sequences after
// the first frame of the new owner's epoch, and prints a JSON summary as its last line (exit 0 when ok).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
	"github.com/rtms-gateway/rtms-gateway/clients/go/rtmsgateway"
)

const epochStride = 1_000_000_000_000

type gap struct {
	First  uint64 `json:"first"`
	Last   uint64 `json:"last"`
	Reason string `json:"reason"`
}

type summary struct {
	Delivered       int    `json:"delivered"`
	Gaps            []gap  `json:"gaps"`
	FirstOfNewEpoch uint64 `json:"first_of_new_epoch"`
	Last            uint64 `json:"last"`
	Ok              bool   `json:"ok"`
	Error           string `json:"error,omitempty"`
	ErrorReason     string `json:"error_reason,omitempty"`
}

func main() {
	addresses := flag.String("addresses", "", "comma-separated gateway addresses")
	stream := flag.String("stream", "", "rtms_stream_id")
	limit := flag.Duration("timeout", 90*time.Second, "give up after")
	flag.Parse()
	s := run(strings.Split(*addresses, ","), *stream, *limit)
	line, _ := json.Marshal(s)
	fmt.Println(string(line))
	if !s.Ok {
		os.Exit(1)
	}
}

func run(addresses []string, stream string, limit time.Duration) (s summary) {
	s.Gaps = []gap{}
	gw, err := rtmsgateway.Dial(rtmsgateway.Options{Addresses: addresses, InitialBackoff: 50 * time.Millisecond, MaxBackoff: 500 * time.Millisecond})
	if err != nil {
		s.Error = err.Error()
		return s
	}
	defer gw.Close()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	sub := gw.SubscribeAudio(ctx, &gatewayv1.SubscriptionTarget{RtmsStreamId: stream})
	defer sub.Close()

	var last, firstEpoch uint64
	for {
		item, err := sub.Next(ctx)
		if err != nil {
			s.Error, s.ErrorReason = err.Error(), rtmsgateway.Reason(err)
			return s
		}
		switch item.Kind {
		case rtmsgateway.KindGap:
			g := item.Gap
			if last != 0 && g.GetFirstMissingSequence() != last+1 {
				s.Error = fmt.Sprintf("gap %d..%d does not start right after %d", g.GetFirstMissingSequence(), g.GetLastMissingSequence(), last)
				return s
			}
			s.Gaps = append(s.Gaps, gap{g.GetFirstMissingSequence(), g.GetLastMissingSequence(), strings.TrimPrefix(g.GetReason().String(), "REASON_")})
			last = g.GetLastMissingSequence()
		case rtmsgateway.KindMessage:
			if last != 0 && item.Sequence != last+1 {
				s.Error = fmt.Sprintf("%d after %d with no gap between", item.Sequence, last)
				return s
			}
			last = item.Sequence
			s.Delivered++
			if firstEpoch == 0 {
				firstEpoch = last / epochStride
			}
			if s.Delivered == 25 {
				fmt.Println("delivered 25")
			}
			if s.FirstOfNewEpoch == 0 && last/epochStride > firstEpoch {
				s.FirstOfNewEpoch = last
			}
		default:
			s.Error = fmt.Sprintf("the session ended: %v", item.Ended)
			return s
		}
		s.Last = last
		if s.FirstOfNewEpoch > 0 && last >= s.FirstOfNewEpoch+50 {
			s.Ok = true
			return s
		}
	}
}
