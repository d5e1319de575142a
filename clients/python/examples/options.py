"""What every example reads from its command line and environment:

    --addresses http://gw-0:50051,http://gw-1:50051   (or $RTMS_GATEWAY_ADDRESSES; default http://127.0.0.1:50051)
    --meeting <uuid> (its newest stream, waiting for it to start) | --stream <rtms_stream_id>
    --token-file <path> (read on every attempt, so a rotated token is used on reconnect) or $RTMS_GATEWAY_TOKEN
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # run from a source checkout too
from rtms_gateway_client import GatewayClient, details_of  # noqa: E402


def parse(doc, add_arguments):
    """The common options and the example's own (add_arguments(parser)); returns (args, client, target)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--addresses", default=os.environ.get("RTMS_GATEWAY_ADDRESSES", "http://127.0.0.1:50051"))
    parser.add_argument("--meeting", default="", help="meeting UUID: its newest stream (waits for it to start)")
    parser.add_argument("--stream", default="", help="an rtms_stream_id")
    parser.add_argument("--token-file", help="file holding the bearer token (default: $RTMS_GATEWAY_TOKEN)")
    add_arguments(parser)
    args = parser.parse_args()

    def token():
        if args.token_file:
            with open(args.token_file) as f:
                return f.read().strip()
        return os.environ.get("RTMS_GATEWAY_TOKEN")

    client = GatewayClient(args.addresses.split(","), bearer_token=token)
    target = dict(instance_id=args.meeting, rtms_stream_id=args.stream, wait_for_start=True)
    return args, client, target


def print_stopped(error):
    """An error no retry fixes ended the subscription: its code, reason and message on stderr."""
    print("stopped: %s %s (%s)" % (error.code().name, details_of(error).reason, error.details()), file=sys.stderr)
