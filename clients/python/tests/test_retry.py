"""Unit tests of the retry decisions (python3 -m unittest discover -s tests, from clients/python)."""
import os
import sys
import unittest

import grpc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from rtms_gateway_client import _rpc, errors_pb, retry  # noqa: E402


class FakeError(grpc.RpcError):
    """What a failed call raises: a status code and trailers carrying a google.rpc.Status."""

    def __init__(self, code, reason="", retry_delay=None, resume=None):
        super().__init__()
        self._code = code
        status = _rpc.Status(code=code.value[0], message=reason)
        if reason:
            d = status.details.add()
            d.type_url = _rpc.TYPE_PREFIX + "google.rpc.ErrorInfo"
            d.value = _rpc.ErrorInfo(reason=reason, domain="rtms.gateway.v1").SerializeToString()
        if retry_delay is not None:
            info = _rpc.RetryInfo()
            info.retry_delay.FromMilliseconds(int(retry_delay * 1000))
            d = status.details.add()
            d.type_url = _rpc.TYPE_PREFIX + "google.rpc.RetryInfo"
            d.value = info.SerializeToString()
        if resume is not None:
            d = status.details.add()
            d.type_url = _rpc.TYPE_PREFIX + "rtms.gateway.v1.ResumePoint"
            d.value = errors_pb.ResumePoint(resume_after_sequence=resume).SerializeToString()
        self._trailers = (("grpc-status-details-bin", status.SerializeToString()),) if (reason or retry_delay or resume) else ()

    def code(self):
        return self._code

    def trailing_metadata(self):
        return self._trailers


C = grpc.StatusCode


class RetryDecisionTests(unittest.TestCase):
    CASES = [
        (C.NOT_FOUND, "SESSION_NOT_FOUND", False),
        (C.INVALID_ARGUMENT, "INVALID_TARGET", False),
        (C.INVALID_ARGUMENT, "INVALID_RESUME_POINT", False),
        (C.OUT_OF_RANGE, "FUTURE_RESUME_POINT", False),
        (C.PERMISSION_DENIED, "NOT_ALLOWED", False),
        (C.UNAUTHENTICATED, "CREDENTIALS_REQUIRED", False),
        (C.FAILED_PRECONDITION, "INDIVIDUAL_VIDEO_UNAVAILABLE", False),
        (C.UNAVAILABLE, "DRAINING", True),
        (C.UNAVAILABLE, "OWNER_LOST", True),
        (C.UNAVAILABLE, "", True),
        (C.RESOURCE_EXHAUSTED, "SUBSCRIBER_TOO_SLOW", True),
        (C.RESOURCE_EXHAUSTED, "WATCHER_TOO_SLOW", True),
        (C.CANCELLED, "", True),
        (C.UNKNOWN, "", True),
        (C.INTERNAL, "", True),
        (C.DEADLINE_EXCEEDED, "", True),
    ]

    def test_only_what_a_retry_can_fix_is_retried(self):
        for code, reason, retried in self.CASES:
            with self.subTest(code=code, reason=reason):
                self.assertEqual(retried, retry.decide(FakeError(code, reason), False, 0.01).retry)
                self.assertFalse(retry.decide(FakeError(code, reason), True, 0.01).retry, "cancelled by the caller")

    def test_unavailable_and_transient_failures_move_to_the_next_replica(self):
        for code in (C.UNAVAILABLE, C.CANCELLED, C.UNKNOWN, C.INTERNAL, C.DEADLINE_EXCEEDED):
            decision = retry.decide(FakeError(code), False, 0.25)
            self.assertTrue(decision.other_replica)
            self.assertEqual(0.25, decision.delay)

    def test_retry_info_is_honoured_as_a_minimum(self):
        decision = retry.decide(FakeError(C.UNAVAILABLE, "DRAINING", retry_delay=2.0), False, 0.1)
        self.assertGreaterEqual(decision.delay, 2.0)
        decision = retry.decide(FakeError(C.UNAVAILABLE, "DRAINING", retry_delay=0.05), False, 0.1)
        self.assertEqual(0.1, decision.delay)

    def test_a_full_session_is_retried_no_sooner_than_the_gateway_asks_on_another_replica(self):
        full = retry.decide(FakeError(C.RESOURCE_EXHAUSTED, "SUBSCRIBER_LIMIT", retry_delay=5.0), False, 0.01)
        self.assertTrue(full.retry)
        self.assertTrue(full.other_replica)
        self.assertGreaterEqual(full.delay, 5.0)

    def test_a_limit_without_retry_info_is_not_retried_blindly(self):
        self.assertFalse(retry.decide(FakeError(C.RESOURCE_EXHAUSTED, "SOMETHING_ELSE"), False, 0.01).retry)
        self.assertFalse(retry.decide(FakeError(C.RESOURCE_EXHAUSTED), False, 0.01).retry)

    def test_an_overflow_resumes_at_once_on_the_same_replica(self):
        overflow = retry.decide(FakeError(C.RESOURCE_EXHAUSTED, "SUBSCRIBER_TOO_SLOW"), False, 3.0)
        self.assertTrue(overflow.retry)
        self.assertFalse(overflow.other_replica)
        self.assertEqual(0.0, overflow.delay)
        told = retry.decide(FakeError(C.RESOURCE_EXHAUSTED, "SUBSCRIBER_TOO_SLOW", retry_delay=0.5), False, 3.0)
        self.assertEqual(0.5, told.delay)
        self.assertFalse(told.other_replica)

    def test_details_name_the_reason_the_delay_and_the_resume_point(self):
        details = retry.details_of(FakeError(C.UNAVAILABLE, "OWNER_LOST", retry_delay=1.5, resume=1_000_000_000_042))
        self.assertEqual("OWNER_LOST", details.reason)
        self.assertAlmostEqual(1.5, details.retry_delay)
        self.assertEqual(1_000_000_000_042, details.resume_after_sequence)
        self.assertEqual("", retry.details_of(FakeError(C.UNAVAILABLE)).reason)


class BackoffTests(unittest.TestCase):
    def test_backoff_grows_to_its_cap_and_is_jittered(self):
        waits = [retry.backoff(10, 0.1, 2.0) for _ in range(200)]
        for wait in waits:
            self.assertGreaterEqual(wait, 1.0)
            self.assertLessEqual(wait, 2.0)
        self.assertGreater(len(set(waits)), 100, "waits must not be synchronised across clients")
        first = retry.backoff(0, 0.1, 2.0)
        self.assertGreaterEqual(first, 0.05)
        self.assertLessEqual(first, 0.1)
        self.assertLessEqual(retry.backoff(3, 0.1, 2.0), 0.8)
        self.assertGreaterEqual(retry.backoff(3, 0.1, 2.0), 0.4)


if __name__ == "__main__":
    unittest.main()
