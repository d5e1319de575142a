// Command keyframes saves a meeting's video key frames as files named by sequence: JPEG/PNG images as they are,
// H.264 access units (Annex B, with SPS and PPS, so each file decodes alone) as .h264.
//
//	keyframes -meeting "$MEETING_UUID" [-dir keyframes] [-limit 10] [-addresses ...]   (flags: examples/internal/cli)
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/rtms-gateway/rtms-gateway/clients/go/examples/internal/cli"
	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
	"github.com/rtms-gateway/rtms-gateway/clients/go/rtmsgateway"
)

var extensions = map[gatewayv1.VideoCodec]string{
	gatewayv1.VideoCodec_VIDEO_CODEC_JPG:  "jpg",
	gatewayv1.VideoCodec_VIDEO_CODEC_PNG:  "png",
	gatewayv1.VideoCodec_VIDEO_CODEC_H264: "h264",
}

func main() {
	dir := flag.String("dir", "keyframes", "folder of the saved frames")
	limit := flag.Int("limit", 10, "stop after this many key frames")
	gw, target, ctx, stop, err := cli.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer stop()
	defer gw.Close()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	sub := gw.SubscribeVideo(ctx, target, gatewayv1.VideoSource_VIDEO_SOURCE_UNSPECIFIED)
	defer sub.Close()
	for saved := 0; saved < *limit; {
		item, err := sub.Next(ctx)
		if errors.Is(err, io.EOF) || ctx.Err() != nil {
			return // the meeting ended, or Ctrl+C / SIGTERM
		}
		if err != nil {
			log.Fatalf("stopped: %v (reason %s)", err, rtmsgateway.Reason(err))
		}
		switch {
		case item.Kind == rtmsgateway.KindGap:
			fmt.Printf("[gap] %d frames missed (%s)\n", item.Gap.GetMissedCount(), item.Gap.GetReason())
		case item.Kind == rtmsgateway.KindEnded:
			fmt.Printf("[ended] %s %s\n", item.Ended.GetStopReason(), item.Ended.GetDescription())
		case item.Message.GetKeyFrame():
			f := item.Message.GetFormat()
			ext, ok := extensions[f.GetCodec()]
			if !ok {
				ext = "bin"
			}
			path := filepath.Join(*dir, fmt.Sprintf("%d.%s", item.Sequence, ext))
			if err := os.WriteFile(path, item.Message.GetData(), 0o644); err != nil {
				log.Fatal(err)
			}
			fmt.Printf("saved %s (%s %dx%d)\n", path, f.GetCodec(), f.GetWidth(), f.GetHeight())
			saved++
		}
	}
}
