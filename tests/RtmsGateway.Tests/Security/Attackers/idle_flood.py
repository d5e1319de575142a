#!/usr/bin/env python3
"""An attacker that opens TCP connections and never sends a byte (finding F1 of issue 13).

usage: idle_flood.py PORT COUNT FIRST_SOURCE_ADDRESS PER_ADDRESS

Opens COUNT connections to 127.0.0.1:PORT, PER_ADDRESS from each source address counting up from
FIRST_SOURCE_ADDRESS (e.g. 127.0.1.1, 127.0.1.2, ...), prints "opened N", then answers each line "check" on
stdin with "open N" (the connections the server has not closed yet) and exits at end of input. It raises its own
descriptor limit to the hard limit, so one process can hold as many connections as the machine lets it.
"""
import ipaddress
import resource
import socket
import sys


def main() -> None:
    port, count, first, per_address = int(sys.argv[1]), int(sys.argv[2]), ipaddress.ip_address(sys.argv[3]), int(sys.argv[4])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    count = min(count, hard - 64)
    sockets = []
    for i in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((str(first + i // per_address), 0))
        try:
            s.connect(("127.0.0.1", port))
            sockets.append(s)
        except OSError:
            s.close()
    print(f"opened {len(sockets)}", flush=True)
    for line in sys.stdin:
        if line.strip() != "check":
            continue
        still = []
        for s in sockets:
            if still_open(s):
                still.append(s)
            else:
                s.close()
        sockets = still
        print(f"open {len(sockets)}", flush=True)


def still_open(s: socket.socket) -> bool:
    """False once the server closed the connection (end of stream or reset); whatever it sent first is dropped."""
    try:
        while True:
            if not s.recv(4096, socket.MSG_DONTWAIT):
                return False
    except BlockingIOError:
        return True
    except OSError:
        return False


if __name__ == "__main__":
    main()
