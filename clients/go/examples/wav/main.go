// Command wav records a meeting's mixed audio as a WAV file (L16, 16 kHz, mono, as asked of the gateway). Every gap
// becomes silence of the missed duration, so the file's timing stays true; the file is finalized at the meeting's end,
// on Ctrl+C and on SIGTERM.
//
//	wav -meeting "$MEETING_UUID" -out meeting.wav [-addresses ...] [-token-file ...]   (flags: examples/internal/cli)
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/rtms-gateway/rtms-gateway/clients/go/examples/internal/cli"
	"github.com/rtms-gateway/rtms-gateway/clients/go/rtmsgateway"
)

func main() { os.Exit(run()) } // run's deferred calls finish the file first

func run() int {
	out := flag.String("out", "meeting.wav", "the WAV file to write")
	gw, target, ctx, stop, err := cli.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer stop()
	defer gw.Close()
	wav, err := rtmsgateway.CreateWav(*out, 16000, 1)
	if err != nil {
		log.Fatal(err)
	}
	defer func() {
		if err := wav.Close(); err != nil { // the header gets its final sizes
			log.Fatal(err)
		}
		fmt.Printf("wrote %s: %.2f s\n", *out, wav.Seconds())
	}()
	sub := gw.SubscribeAudio(ctx, target, rtmsgateway.WithAudioFormat(wav.Format()))
	defer sub.Close()
	for {
		item, err := sub.Next(ctx)
		if errors.Is(err, io.EOF) || ctx.Err() != nil {
			return 0 // the meeting ended, or Ctrl+C / SIGTERM: the deferred Close finalizes the file
		}
		if err != nil {
			log.Printf("stopped: %v (reason %s)", err, rtmsgateway.Reason(err))
			return 1
		}
		first := item.Kind == rtmsgateway.KindMessage && wav.DataBytes() == 0
		if err := wav.Write(item); err != nil {
			log.Printf("stopped: %v", err)
			return 1
		}
		switch {
		case first:
			fmt.Printf("recording %s\n", *out)
		case item.Kind == rtmsgateway.KindGap:
			fmt.Printf("[gap] %d frames missed (%s): written as silence\n", item.Gap.GetMissedCount(), item.Gap.GetReason())
		case item.Kind == rtmsgateway.KindEnded:
			fmt.Printf("[ended] %s %s\n", item.Ended.GetStopReason(), item.Ended.GetDescription())
		}
	}
}
