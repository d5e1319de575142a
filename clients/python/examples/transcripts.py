#!/usr/bin/env python3
"""Prints a meeting's live transcripts as "speaker: text", and every gap and the end as they come.

    python3 examples/transcripts.py --meeting "$MEETING_UUID" [--addresses http://gw-0:50051,http://gw-1:50051]
        [--token-file /run/secrets/gateway-token] [--count N]

Addresses: --addresses or $RTMS_GATEWAY_ADDRESSES (default http://127.0.0.1:50051). Bearer token: --token-file (read on
every attempt, so a rotated token is used on reconnect) or $RTMS_GATEWAY_TOKEN. The subscription reconnects and
resumes by itself; what the gateway could not replay arrives as a gap.
"""
import argparse
import os
import sys

import grpc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # run from a source checkout too
from rtms_gateway_client import GatewayClient, Gap, details_of, pb  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--addresses", default=os.environ.get("RTMS_GATEWAY_ADDRESSES", "http://127.0.0.1:50051"))
    parser.add_argument("--meeting", default="", help="meeting UUID: its newest stream (waits for it to start)")
    parser.add_argument("--stream", default="", help="an rtms_stream_id")
    parser.add_argument("--token-file", help="file holding the bearer token (default: $RTMS_GATEWAY_TOKEN)")
    parser.add_argument("--count", type=int, default=0, help="stop after this many segments (0: at the meeting's end)")
    args = parser.parse_args()

    def token():
        if args.token_file:
            with open(args.token_file) as f:
                return f.read().strip()
        return os.environ.get("RTMS_GATEWAY_TOKEN")

    printed = 0
    with GatewayClient(args.addresses.split(","), bearer_token=token) as gateway:
        try:
            for item in gateway.subscribe_transcripts(instance_id=args.meeting, rtms_stream_id=args.stream, wait_for_start=True):
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
            print("stopped: %s %s (%s)" % (error.code().name, details_of(error).reason, error.details()), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
