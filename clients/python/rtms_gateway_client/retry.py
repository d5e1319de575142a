"""The gateway's error contract (errors.proto) turned into decisions, like the C# client's RetryPolicy.

Retry what the gateway or the network says is transient, honour RetryInfo, move to another replica when this one
drains, died or lost the session, and never retry a request that is wrong (bad target or resume point, credentials,
permission) or a session that does not exist.
"""
import collections
import random

import grpc

from . import _rpc

RetryDecision = collections.namedtuple("RetryDecision", "retry delay other_replica")
"""retry: call again; delay: seconds to wait first; other_replica: move to the next address."""

GIVE_UP = RetryDecision(False, 0.0, False)

_TRANSIENT = (grpc.StatusCode.CANCELLED, grpc.StatusCode.UNKNOWN, grpc.StatusCode.INTERNAL, grpc.StatusCode.DEADLINE_EXCEEDED)


class ErrorDetails(collections.namedtuple("ErrorDetails", "status reason metadata retry_delay resume_after_sequence")):
    """What the grpc-status-details-bin trailer says: the google.rpc.Status (or None), ErrorInfo.reason ("" if none),
    its metadata, RetryInfo.retry_delay in seconds (None if none) and the ResumePoint (None if none)."""


def _trailer(error):
    try:
        trailers = error.trailing_metadata() or ()
    except Exception:  # an RpcError that is not a call
        return None
    for key, value in trailers:
        if key == "grpc-status-details-bin":
            return value
    return None


def details_of(error):
    """Reads the gateway's error details from a grpc.RpcError."""
    raw = _trailer(error)
    if not raw:
        return ErrorDetails(None, "", {}, None, None)
    status = _rpc.Status.FromString(raw)
    reason, metadata, delay, resume = "", {}, None, None
    for detail in status.details:
        name = detail.type_url.rsplit("/", 1)[-1]
        if name == "google.rpc.ErrorInfo":
            info = _rpc.ErrorInfo.FromString(detail.value)
            reason, metadata = info.reason, dict(info.metadata)
        elif name == "google.rpc.RetryInfo":
            retry = _rpc.RetryInfo.FromString(detail.value).retry_delay
            delay = retry.seconds + retry.nanos / 1e9
        elif name == "rtms.gateway.v1.ResumePoint":
            from . import _messages
            resume = _messages.errors.ResumePoint.FromString(detail.value).resume_after_sequence
    return ErrorDetails(status, reason, metadata, delay, resume)


def decide(error, cancelled_by_caller, backoff):
    """What to do after a call failed with error (a grpc.RpcError); backoff is this attempt's jittered wait (s)."""
    if cancelled_by_caller:
        return GIVE_UP
    code = error.code()
    info = details_of(error)
    advised = info.retry_delay
    delay = advised if advised is not None and advised > backoff else backoff
    if code == grpc.StatusCode.UNAVAILABLE:
        # The replica drains, lost the session, or the connection failed before any status: any replica serves it.
        return RetryDecision(True, delay, True)
    if code in _TRANSIENT:
        # Not cancelled by this caller: the connection or the server ended the call.
        return RetryDecision(True, delay, True)
    if code == grpc.StatusCode.RESOURCE_EXHAUSTED:
        if info.reason in ("SUBSCRIBER_TOO_SLOW", "WATCHER_TOO_SLOW"):
            # An overflow: resume at once (or as told) on the same replica, and read faster.
            return RetryDecision(True, advised or 0.0, False)
        if advised is not None:
            # The session is full: no sooner than the gateway asks.
            return RetryDecision(True, delay, True)
    return GIVE_UP


def backoff(attempt, initial, maximum, rng=random):
    """Jittered exponential backoff: uniform in [nominal/2, nominal], nominal = initial * 2^attempt capped at maximum."""
    nominal = min(maximum, initial * (2 ** min(attempt, 20)))
    return nominal / 2 + rng.random() * nominal / 2
