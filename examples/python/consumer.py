#!/usr/bin/env python3
"""RtmsGateway consumer in Python.

Lists live sessions and prints one stream of a session (transcripts, audio or events), one line per message.
Reconnects and resumes (resume_after_sequence) when the gateway answers UNAVAILABLE (a replica draining) or
RESOURCE_EXHAUSTED (this consumer fell behind).

Needs grpcio and protobuf (Debian: python3-grpcio python3-protobuf) and protoc (Debian: protobuf-compiler), which
generates the message classes from protos/ at start-up. No gRPC code generator is needed: the stub is three
method handles on the channel.

    /usr/bin/python3 examples/python/consumer.py --target 127.0.0.1:50051 --list
    /usr/bin/python3 examples/python/consumer.py --target 127.0.0.1:50051 --stream transcripts --count 5
"""
import argparse
import os
import subprocess
import sys
import tempfile

import grpc

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICE = "/rtms.gateway.v1.RtmsGatewayService/"
RESUME_TRAILER = "resume-after-sequence"


def load_messages():
    """Compiles gateway.proto with protoc into a temporary folder and imports the generated module."""
    out = os.path.join(tempfile.gettempdir(), "rtms-gateway-python-%d" % os.getuid())
    os.makedirs(out, exist_ok=True)
    args = ["protoc", "-I" + os.path.join(ROOT, "protos"), "--python_out=" + out, "rtms/gateway/v1/gateway.proto"]
    if os.path.isdir("/usr/include/google/protobuf"):
        args.insert(1, "-I/usr/include")
    subprocess.run(args, check=True)
    sys.path.insert(0, out)
    from rtms.gateway.v1 import gateway_pb2  # noqa: E402 (generated above)
    return gateway_pb2


def describe(pb, stream, response):
    """One printable line per response message."""
    kind = response.WhichOneof("message")
    if kind == "gap":
        g = response.gap
        return "gap %d-%d missed=%d reason=%s" % (g.first_missing_sequence, g.last_missing_sequence, g.missed_count,
                                                  pb.Gap.Reason.Name(g.reason))
    if kind == "ended":
        return "ended stop_reason=%d %s" % (response.ended.stop_reason, response.ended.description)
    if stream == "transcripts":
        s = response.segment
        return "%d transcript %s: %s" % (s.header.sequence, s.header.user_name or s.header.user_id, s.text)
    if stream == "audio":
        f = response.frame
        return "%d audio user=%s bytes=%d %dHz %dch" % (f.header.sequence, f.header.user_id, len(f.data),
                                                     f.format.sample_rate_hz, f.format.channels)
    e = response.event
    return "%d event %s user=%s" % (e.header.sequence, e.WhichOneof("event"), e.header.user_id)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default="127.0.0.1:50051", help="gateway gRPC address (host:port, plaintext h2c)")
    parser.add_argument("--list", action="store_true", help="list sessions and exit")
    parser.add_argument("--stream", choices=["transcripts", "audio", "events"], default="transcripts")
    parser.add_argument("--meeting", help="rtms_stream_id or instance id (meeting UUID); default: the first live session")
    parser.add_argument("--count", type=int, default=0, help="exit after this many media messages (0 = forever)")
    parser.add_argument("--wait", action="store_true", help="wait for the meeting to start instead of NOT_FOUND")
    args = parser.parse_args()

    pb = load_messages()
    channel = grpc.insecure_channel(args.target)
    list_sessions = channel.unary_unary(SERVICE + "ListSessions",
                                        request_serializer=pb.ListSessionsRequest.SerializeToString,
                                        response_deserializer=pb.ListSessionsResponse.FromString)
    sessions = list_sessions(pb.ListSessionsRequest(), timeout=10).sessions
    if args.list:
        for s in sessions:
            print("%s %s %s owner=%s" % (s.rtms_stream_id, s.instance_id, pb.SessionState.Name(s.state), s.owner.replica_id))
        return 0

    target = pb.SubscriptionTarget(wait_for_start=args.wait)
    if args.meeting:
        if any(s.rtms_stream_id == args.meeting for s in sessions):
            target.rtms_stream_id = args.meeting
        else:
            target.instance_id = args.meeting
    else:
        live = [s for s in sessions if s.state != pb.SESSION_STATE_STOPPED]
        if not live:
            print("no live session", file=sys.stderr)
            return 1
        target.rtms_stream_id = live[0].rtms_stream_id

    method, request_type, response_type = {
        "transcripts": ("SubscribeTranscripts", pb.SubscribeTranscriptsRequest, pb.SubscribeTranscriptsResponse),
        "audio": ("SubscribeAudio", pb.SubscribeAudioRequest, pb.SubscribeAudioResponse),
        "events": ("SubscribeEvents", pb.SubscribeEventsRequest, pb.SubscribeEventsResponse),
    }[args.stream]
    subscribe = channel.unary_stream(SERVICE + method, request_serializer=request_type.SerializeToString,
                                     response_deserializer=response_type.FromString)

    received = 0
    for attempt in range(10):
        try:
            for response in subscribe(request_type(target=target)):
                print(describe(pb, args.stream, response), flush=True)
                if response.WhichOneof("message") == "ended":
                    return 0
                if response.WhichOneof("message") != "gap":
                    received += 1
                if args.count and received >= args.count:
                    return 0
            return 0
        except grpc.RpcError as error:
            if error.code() not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED):
                print("error: %s %s" % (error.code().name, error.details()), file=sys.stderr)
                return 2
            trailers = dict(error.trailing_metadata() or ())
            if RESUME_TRAILER in trailers:
                target.resume_after_sequence = int(trailers[RESUME_TRAILER])
            print("reconnecting after %s (resume after %s)" % (error.code().name, trailers.get(RESUME_TRAILER)), file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main())
