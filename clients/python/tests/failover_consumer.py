#!/usr/bin/env python3
"""Run by PythonClientTests against a real cluster, using only the library.

failover: subscribes to a stream's audio across every address, prints "READY 25" after 25 messages and keeps
consuming with no code of its own for failures (the test kills the owner then); checks that every sequence is
delivered or inside exactly one gap, stops 50 sequences after the first frame of a later epoch and prints a JSON
summary. not-found: subscribes to a stream that does not exist and prints the error's code and reason as JSON.
"""
import argparse
import json
import os
import sys

import grpc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from rtms_gateway_client import GatewayClient, Gap, details_of  # noqa: E402

EPOCH_STRIDE = 1_000_000_000_000


def failover(client, stream_id):
    last, delivered, gaps, first_epoch, first_of_new_epoch, problems = 0, 0, [], None, None, []
    for item in client.subscribe_audio(rtms_stream_id=stream_id):
        if item.is_gap:
            gap = item.gap
            if last and gap.first_missing_sequence != last + 1:
                problems.append("gap %d..%d after %d" % (gap.first_missing_sequence, gap.last_missing_sequence, last))
            gaps.append({"first": gap.first_missing_sequence, "last": gap.last_missing_sequence,
                         "reason": Gap.Reason.Name(gap.reason)})
            last = gap.last_missing_sequence
        elif item.is_message:
            if last and item.sequence != last + 1:
                problems.append("%d after %d with no gap between" % (item.sequence, last))
            last = item.sequence
            delivered += 1
            if first_epoch is None:
                first_epoch = last // EPOCH_STRIDE
            if delivered == 25:
                print("READY 25", flush=True)
            if first_of_new_epoch is None and last // EPOCH_STRIDE > first_epoch:
                first_of_new_epoch = last
        else:
            problems.append("the session ended: %s" % item.ended.description)
            break
        if first_of_new_epoch is not None and last >= first_of_new_epoch + 50:
            break
    ok = not problems and first_of_new_epoch is not None
    print(json.dumps({"delivered": delivered, "gaps": gaps, "last": last, "first_of_new_epoch": first_of_new_epoch,
                      "problems": problems, "ok": ok}), flush=True)
    return 0 if ok else 1


def not_found(client):
    try:
        for _ in client.subscribe_transcripts(rtms_stream_id="no-such-stream"):
            pass
    except grpc.RpcError as error:
        print(json.dumps({"code": error.code().name, "reason": details_of(error).reason}), flush=True)
        return 0
    print(json.dumps({"code": "OK"}), flush=True)
    return 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["failover", "not-found"])
    parser.add_argument("--address", action="append", required=True)
    parser.add_argument("--stream", default="")
    args = parser.parse_args()
    with GatewayClient(args.address, initial_backoff=0.05, max_backoff=0.5, give_up_after=60) as client:
        return failover(client, args.stream) if args.mode == "failover" else not_found(client)


if __name__ == "__main__":
    sys.exit(main())
