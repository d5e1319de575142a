#!/usr/bin/env python3
"""Records a meeting's mixed audio as a WAV file (L16, 16 kHz, mono, as asked of the gateway).

    python3 examples/wav.py --meeting "$MEETING_UUID" --out meeting.wav [--addresses http://gw-0:50051,...]
        [--token-file /run/secrets/gateway-token]

Addresses: --addresses or $RTMS_GATEWAY_ADDRESSES (default http://127.0.0.1:50051). Bearer token: --token-file (read on
every attempt) or $RTMS_GATEWAY_TOKEN. Every gap becomes silence of the missed duration, so the file's timing stays
true. The file is finalized at the meeting's end, on Ctrl+C and on SIGTERM.
"""
import argparse
import os
import signal
import sys

import grpc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # run from a source checkout too
from rtms_gateway_client import GatewayClient, Gap, WavWriter, details_of, pb  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--addresses", default=os.environ.get("RTMS_GATEWAY_ADDRESSES", "http://127.0.0.1:50051"))
    parser.add_argument("--meeting", default="", help="meeting UUID: its newest stream (waits for it to start)")
    parser.add_argument("--stream", default="", help="an rtms_stream_id")
    parser.add_argument("--token-file", help="file holding the bearer token (default: $RTMS_GATEWAY_TOKEN)")
    parser.add_argument("--out", default="meeting.wav")
    args = parser.parse_args()

    def token():
        if args.token_file:
            with open(args.token_file) as f:
                return f.read().strip()
        return os.environ.get("RTMS_GATEWAY_TOKEN")

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM ends the loop as Ctrl+C does
    with GatewayClient(args.addresses.split(","), bearer_token=token) as gateway, WavWriter(args.out, 16000, 1) as wav:
        started = False
        try:
            for item in gateway.subscribe_audio(instance_id=args.meeting, rtms_stream_id=args.stream, wait_for_start=True,
                                                format=wav.format):
                wav.write(item)
                if item.is_message and not started:
                    print("recording %s" % args.out, flush=True)
                    started = True
                elif item.is_gap:
                    print("[gap] %d frames missed (%s): written as silence" % (item.gap.missed_count, Gap.Reason.Name(item.gap.reason)), flush=True)
                elif item.is_ended:
                    print("[ended] %s %s" % (pb.ZoomStopReason.Name(item.ended.stop_reason), item.ended.description), flush=True)
        except KeyboardInterrupt:
            pass  # the with block finalizes the file
        except grpc.RpcError as error:
            print("stopped: %s %s (%s)" % (error.code().name, details_of(error).reason, error.details()), file=sys.stderr)
            return 1
        finally:
            print("wrote %s: %.2f s" % (args.out, wav.duration), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
