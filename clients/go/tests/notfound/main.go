// Command notfound subscribes (with the rtmsgateway library only) to a stream the gateway does not know and prints, as
// JSON, the error the subscription ended with: its code, its reason and how long it took.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
	"github.com/rtms-gateway/rtms-gateway/clients/go/rtmsgateway"
)

func main() {
	addresses := flag.String("addresses", "", "comma-separated gateway addresses")
	stream := flag.String("stream", "no-such-stream", "rtms_stream_id")
	flag.Parse()
	gw, err := rtmsgateway.Dial(rtmsgateway.Options{Addresses: strings.Split(*addresses, ",")})
	if err != nil {
		panic(err)
	}
	defer gw.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	started := time.Now()
	sub := gw.SubscribeTranscripts(ctx, &gatewayv1.SubscriptionTarget{RtmsStreamId: *stream})
	defer sub.Close()
	var items int
	for {
		_, err = sub.Next(ctx)
		if err != nil {
			break
		}
		items++
	}
	line, _ := json.Marshal(map[string]interface{}{
		"code": rtmsgateway.Code(err).String(), "reason": rtmsgateway.Reason(err), "items": items,
		"elapsed_ms": time.Since(started).Milliseconds(),
	})
	fmt.Println(string(line))
}
