#!/usr/bin/env python3
"""Records a meeting's mixed audio as a WAV file (L16, 16 kHz, mono, as asked of the gateway).

    python3 examples/wav.py --meeting "$MEETING_UUID" --out meeting.wav [--addresses http://gw-0:50051,...]
        [--token-file /run/secrets/gateway-token]

Addresses: --addresses or $RTMS_GATEWAY_ADDRESSES (default http://127.0.0.1:50051). Bearer token: --token-file (read on
every attempt) or $RTMS_GATEWAY_TOKEN. Every gap becomes silence of the missed duration, so the file's timing stays
true. The file is finalized at the meeting's end, on Ctrl+C and on SIGTERM.
"""
import signal
import sys

import grpc

import options  # examples/options.py: the common flags (it also finds the library in a source checkout)
from rtms_gateway_client import Gap, WavWriter, pb


def main():
    def arguments(parser):
        parser.add_argument("--out", default="meeting.wav")

    args, client, target = options.parse(__doc__, arguments)

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM ends the loop as Ctrl+C does
    with client as gateway, WavWriter(args.out, 16000, 1) as wav:
        started = False
        try:
            for item in gateway.subscribe_audio(**target, format=wav.format):
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
            options.print_stopped(error)
            return 1
        finally:
            print("wrote %s: %.2f s" % (args.out, wav.duration), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
