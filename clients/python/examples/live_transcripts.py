#!/usr/bin/env python3
"""Prints a meeting's live transcripts with their speakers, using rtms_gateway_client.

The bearer token is read per attempt (so a rotated token file is picked up on reconnect). The subscription
survives replica restarts by itself; when this program stops (Ctrl-C), it prints the last sequence it processed,
and --resume-after continues from there without losing a segment (what the gateway no longer keeps is announced
as a gap).

    python3 examples/live_transcripts.py --address gateway-0:5000 --address gateway-1:5000 \
        --instance-id "$MEETING_UUID" --token-file /run/secrets/gateway-token [--resume-after 1000000000042]
"""
import argparse
import os
import sys

import grpc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # a source checkout
from rtms_gateway_client import GatewayClient, Gap, SubscriptionTarget, details_of  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--address", action="append", required=True, help="a replica (repeat), or dns:///name:port")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--instance-id", help="meeting UUID: its newest live stream")
    group.add_argument("--stream-id", help="an rtms_stream_id")
    parser.add_argument("--token-file", help="file holding the bearer token (read per attempt)")
    parser.add_argument("--resume-after", type=int, help="the last sequence processed by a previous run")
    parser.add_argument("--count", type=int, default=0, help="stop after this many segments (0: until the meeting ends)")
    args = parser.parse_args()

    def token():
        if not args.token_file:
            return os.environ.get("RTMS_GATEWAY_TOKEN")
        with open(args.token_file) as f:
            return f.read().strip()

    target = SubscriptionTarget(instance_id=args.instance_id or "", rtms_stream_id=args.stream_id or "")
    if args.resume_after is not None:
        target.resume_after_sequence = args.resume_after
    with GatewayClient(args.address, bearer_token=token) as gateway:
        transcripts = gateway.subscribe_transcripts(target)
        printed = 0
        try:
            for item in transcripts:
                if item.is_message:
                    segment = item.message
                    print("%s: %s" % (segment.header.user_name or segment.header.user_id, segment.text), flush=True)
                    printed += 1
                    if printed == args.count:
                        break
                elif item.is_gap:
                    print("[%d segments missed: %s]" % (item.gap.last_missing_sequence - item.gap.first_missing_sequence + 1,
                                                       Gap.Reason.Name(item.gap.reason)), flush=True)
                else:
                    print("[meeting ended: %s]" % (item.ended.description or "stopped"), flush=True)
        except KeyboardInterrupt:
            pass
        except grpc.RpcError as error:
            print("stopped: %s %s (%s)" % (error.code().name, details_of(error).reason, error.details()), file=sys.stderr)
            return 1
        finally:
            if transcripts.last_sequence is not None:
                print("resume with --resume-after %d" % transcripts.last_sequence, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
