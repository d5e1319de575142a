// Command transcripts prints a meeting's live transcripts as "speaker: text", and every gap and the end as they come.
//
//	transcripts -meeting "$MEETING_UUID" [-count N] [-addresses ...] [-token-file ...]   (flags: examples/internal/cli)
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"

	"github.com/rtms-gateway/rtms-gateway/clients/go/examples/internal/cli"
	"github.com/rtms-gateway/rtms-gateway/clients/go/rtmsgateway"
)

func main() {
	count := flag.Int("count", 0, "stop after this many segments (0: at the meeting's end)")
	gw, target, ctx, stop, err := cli.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer stop()
	defer gw.Close()
	sub := gw.SubscribeTranscripts(ctx, target)
	defer sub.Close()
	for printed := 0; *count == 0 || printed < *count; {
		item, err := sub.Next(ctx)
		if errors.Is(err, io.EOF) || ctx.Err() != nil {
			return // the meeting ended, or Ctrl+C / SIGTERM
		}
		if err != nil {
			log.Fatalf("stopped: %v (reason %s)", err, rtmsgateway.Reason(err))
		}
		switch item.Kind {
		case rtmsgateway.KindMessage:
			fmt.Printf("%s: %s\n", item.Message.GetHeader().GetUserName(), item.Message.GetText())
			printed++
		case rtmsgateway.KindGap:
			fmt.Printf("[gap] %d segments missed (%s)\n", item.Gap.GetMissedCount(), item.Gap.GetReason())
		case rtmsgateway.KindEnded:
			fmt.Printf("[ended] %s %s\n", item.Ended.GetStopReason(), item.Ended.GetDescription())
		}
	}
}
