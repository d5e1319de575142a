#!/usr/bin/env python3
"""Prints a meeting's live transcripts as "speaker: text", and every gap and the end as they come.

    python3 examples/transcripts.py --meeting "$MEETING_UUID" [--addresses http://gw-0:50051,http://gw-1:50051]
        [--token-file /run/secrets/gateway-token] [--count N]

Addresses: --addresses or $RTMS_GATEWAY_ADDRESSES (default http://127.0.0.1:50051). Bearer token: --token-file (read on
every attempt, so a rotated token is used on reconnect) or $RTMS_GATEWAY_TOKEN. The subscription reconnects and
resumes by itself; what the gateway could not replay arrives as a gap.
"""
import sys

import grpc

import options  # examples/options.py: the common flags (it also finds the library in a source checkout)
from rtms_gateway_client import Gap, pb


def main():
    def arguments(parser):
        parser.add_argument("--count", type=int, default=0, help="stop after this many segments (0: at the meeting's end)")

    args, client, target = options.parse(__doc__, arguments)

    printed = 0
    with client as gateway:
        try:
            for item in gateway.subscribe_transcripts(**target):
                if item.is_message:
                    print("%s: %s" % (item.message.header.user_name, item.message.text), flush=True)
                    printed += 1
                    if printed == args.count:
                        break
                elif item.is_gap:
                    print("[gap] %d segments missed (%s)" % (item.gap.missed_count, Gap.Reason.Name(item.gap.reason)), flush=True)
                else:
                    print("[ended] %s %s" % (pb.ZoomStopReason.Name(item.ended.stop_reason), item.ended.description), flush=True)
        except KeyboardInterrupt:
            pass
        except grpc.RpcError as error:
            options.print_stopped(error)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
