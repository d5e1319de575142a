#!/usr/bin/env python3
"""Saves a meeting's video key frames as files named by sequence: JPEG/PNG images as they are, H.264 access units
(Annex B, with SPS and PPS, so each file decodes alone) as .h264.

    python3 examples/keyframes.py --meeting "$MEETING_UUID" [--dir keyframes] [--limit 10]
        [--addresses http://gw-0:50051,...] [--token-file /run/secrets/gateway-token]

Addresses: --addresses or $RTMS_GATEWAY_ADDRESSES (default http://127.0.0.1:50051). Bearer token: --token-file (read on
every attempt) or $RTMS_GATEWAY_TOKEN.
"""
import os
import sys

import grpc

import options  # examples/options.py: the common flags (it also finds the library in a source checkout)
from rtms_gateway_client import Gap, pb

EXTENSIONS = {pb.VIDEO_CODEC_JPG: "jpg", pb.VIDEO_CODEC_PNG: "png", pb.VIDEO_CODEC_H264: "h264"}


def main():
    def arguments(parser):
        parser.add_argument("--dir", default="keyframes")
        parser.add_argument("--limit", type=int, default=10, help="stop after this many key frames")

    args, client, target = options.parse(__doc__, arguments)

    os.makedirs(args.dir, exist_ok=True)
    saved = 0
    with client as gateway:
        try:
            for item in gateway.subscribe_video(**target):
                if item.is_gap:
                    print("[gap] %d frames missed (%s)" % (item.gap.missed_count, Gap.Reason.Name(item.gap.reason)), flush=True)
                elif item.is_ended:
                    print("[ended] %s %s" % (pb.ZoomStopReason.Name(item.ended.stop_reason), item.ended.description), flush=True)
                elif item.message.key_frame:
                    f = item.message.format
                    path = os.path.join(args.dir, "%d.%s" % (item.sequence, EXTENSIONS.get(f.codec, "bin")))
                    with open(path, "wb") as out:
                        out.write(item.message.data)
                    print("saved %s (%s %dx%d)" % (path, pb.VideoCodec.Name(f.codec), f.width, f.height), flush=True)
                    saved += 1
                    if saved == args.limit:
                        break
        except KeyboardInterrupt:
            pass
        except grpc.RpcError as error:
            options.print_stopped(error)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
