"""GatewayClient: subscriptions that outlive their gRPC calls."""
import enum
import random
import threading
import time

import grpc

from . import retry
from ._messages import gateway as pb

_SERVICE = "/rtms.gateway.v1.RtmsGatewayService/"


class ItemKind(enum.Enum):
    MESSAGE = "message"
    GAP = "gap"
    ENDED = "ended"


class StreamItem:
    """One item of a subscription: a message (with its sequence), a Gap (exactly one per hole: the messages
    first_missing_sequence..last_missing_sequence were lost) or the SessionEnded after which iteration completes."""

    __slots__ = ("kind", "message", "gap", "ended", "sequence")

    def __init__(self, kind, message=None, gap=None, ended=None, sequence=0):
        self.kind, self.message, self.gap, self.ended, self.sequence = kind, message, gap, ended, sequence

    @property
    def is_message(self):
        return self.kind is ItemKind.MESSAGE

    @property
    def is_gap(self):
        return self.kind is ItemKind.GAP

    @property
    def is_ended(self):
        return self.kind is ItemKind.ENDED

    def __repr__(self):
        if self.is_gap:
            return "StreamItem(gap %d..%d %s)" % (self.gap.first_missing_sequence, self.gap.last_missing_sequence,
                                                  pb.Gap.Reason.Name(self.gap.reason))
        if self.is_ended:
            return "StreamItem(ended %s)" % self.ended.description
        return "StreamItem(message %d)" % self.sequence


def _item_of(response, field):
    kind = response.WhichOneof("message")
    if kind == field:
        message = getattr(response, field)
        return StreamItem(ItemKind.MESSAGE, message=message, sequence=message.header.sequence)
    if kind == "gap":
        return StreamItem(ItemKind.GAP, gap=response.gap, sequence=response.gap.last_missing_sequence)
    if kind == "ended":
        return StreamItem(ItemKind.ENDED, ended=response.ended)
    return None  # a message kind this version does not know


def _target_of(target, fields):
    if target is None:
        return pb.SubscriptionTarget(**fields)
    if isinstance(target, dict):
        return pb.SubscriptionTarget(**dict(target, **fields))
    copy = pb.SubscriptionTarget()
    copy.CopyFrom(target)
    for name, value in fields.items():
        setattr(copy, name, value)
    return copy


class _Stub:
    """Callables for every method of RtmsGatewayService, read from the generated service descriptor."""

    def __init__(self, channel):
        service = pb.DESCRIPTOR.services_by_name["RtmsGatewayService"]
        for method in service.methods:
            request = getattr(pb, method.input_type.name)
            response = getattr(pb, method.output_type.name)
            factory = channel.unary_stream if method.server_streaming else channel.unary_unary
            setattr(self, method.name, factory(_SERVICE + method.name, request_serializer=request.SerializeToString,
                                               response_deserializer=response.FromString))


def _channel(address, options):
    channel_options = [
        ("grpc.keepalive_time_ms", int(options["keepalive_interval"] * 1000)),
        ("grpc.keepalive_timeout_ms", 10000),
        ("grpc.keepalive_permit_without_calls", 1),
        ("grpc.http2.max_pings_without_data", 0),
        ("grpc.max_receive_message_length", 16 * 1024 * 1024),
    ] if options["keepalive_interval"] > 0 else [("grpc.max_receive_message_length", 16 * 1024 * 1024)]
    secure = address.startswith("https://")
    if address.startswith("dns:"):
        # Every address the name resolves to, balanced per call (a headless Service's pods).
        channel_options.append(("grpc.lb_policy_name", "round_robin"))
        target = address
    else:
        target = address.split("://", 1)[-1].rstrip("/")
    if secure:
        return grpc.secure_channel(target, options["credentials"] or grpc.ssl_channel_credentials(), channel_options)
    return grpc.insecure_channel(target, channel_options)


class Subscription:
    """An iterator of StreamItem that survives its calls: it remembers the last sequence delivered and, when a call
    ends while the session lives on, calls again (another replica when this one drains or died) with
    resume_after_sequence, skipping what it already delivered. Errors a retry cannot fix are raised (grpc.RpcError;
    rtms_gateway_client.details_of(error).reason names why). cancel() ends it from any thread."""

    def __init__(self, client, method, request_type, field, target, extra):
        self._client, self._method, self._request_type, self._field = client, method, request_type, field
        self._target, self._extra = target, extra
        self._cancelled = threading.Event()
        self._call = None
        self.last_sequence = target.resume_after_sequence if target.HasField("resume_after_sequence") else None
        self._items = self._run()

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._items)

    def cancel(self):
        self._cancelled.set()
        call = self._call
        if call is not None:
            call.cancel()

    def close(self):
        self.cancel()
        self._items.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _run(self):
        client, options = self._client, self._client.options
        replica = client._first_replica()
        attempt = 0
        last_progress = time.monotonic()
        while not self._cancelled.is_set():
            target = pb.SubscriptionTarget()
            target.CopyFrom(self._target)
            if self.last_sequence is not None:
                target.resume_after_sequence = self.last_sequence
            call = getattr(client._stubs[replica], self._method)(self._request_type(target=target, **self._extra),
                                                                 metadata=client._metadata())
            self._call = call
            failure = None
            try:
                for response in call:
                    item = _item_of(response, self._field)
                    if item is None:
                        continue
                    if item.is_ended:
                        yield item
                        return
                    if self.last_sequence is not None and item.sequence <= self.last_sequence:
                        continue  # replayed again after a resume: already delivered
                    self.last_sequence = item.sequence
                    attempt = 0
                    last_progress = time.monotonic()
                    yield item
                return  # completed OK without SessionEnded: the session is over for the gateway
            except grpc.RpcError as error:
                failure = error
            finally:
                self._call = None
                call.cancel()  # no-op when done; ends the call when the caller stopped iterating
            cancelled = self._cancelled.is_set() or client._closed
            decision = retry.decide(failure, cancelled, retry.backoff(attempt, options["initial_backoff"], options["max_backoff"]))
            if cancelled:
                return
            if not decision.retry or time.monotonic() - last_progress > options["give_up_after"]:
                raise failure
            if decision.other_replica:
                replica = client._next_replica(replica)
            attempt += 1
            if self._cancelled.wait(decision.delay):
                return


class GatewayClient:
    """A client of RtmsGateway.

    addresses: the replicas ("host:port", "http://host:port", "https://host:port"), any of which serves any session,
    or one "dns:///name:port" whose records are balanced round robin. bearer_token: a callable returning the token
    (or None), called per attempt so a refreshed token is used on reconnect. Times are in seconds.

        with GatewayClient(["gateway-0:5000", "gateway-1:5000"]) as gateway:
            for item in gateway.subscribe_transcripts(instance_id=meeting_uuid):
                if item.is_message:
                    print(item.message.header.user_name, item.message.text)
    """

    def __init__(self, addresses, bearer_token=None, keepalive_interval=20.0, unary_deadline=10.0,
                 initial_backoff=0.1, max_backoff=5.0, give_up_after=300.0, credentials=None):
        if isinstance(addresses, str):
            addresses = [addresses]
        addresses = list(addresses)
        if not addresses:
            raise ValueError("at least one gateway address is needed")
        if initial_backoff <= 0 or max_backoff < initial_backoff or give_up_after < 0:
            raise ValueError("backoff times must be positive and initial_backoff <= max_backoff")
        self.options = dict(bearer_token=bearer_token, keepalive_interval=keepalive_interval, unary_deadline=unary_deadline,
                            initial_backoff=initial_backoff, max_backoff=max_backoff, give_up_after=give_up_after,
                            credentials=credentials)
        self.addresses = addresses
        self._channels = [_channel(a, self.options) for a in addresses]
        self._stubs = [_Stub(c) for c in self._channels]
        self._lock = threading.Lock()
        self._next = random.randrange(len(self._stubs))
        self._closed = False

    # Subscriptions -------------------------------------------------------------------------------------------

    def subscribe_audio(self, target=None, format=None, **fields):  # noqa: A002 (the request's field name)
        """Audio frames of one session (and gaps, and its end). target: a SubscriptionTarget, a dict, or its fields.
        format: a pb.AudioFormatRequest (or a dict of its fields) to receive, asked for again on every reconnect;
        None: as Zoom sends it. Each frame's format says what it is."""
        extra = {}
        if format is not None:
            extra["format"] = pb.AudioFormatRequest(**format) if isinstance(format, dict) else format
        return Subscription(self, "SubscribeAudio", pb.SubscribeAudioRequest, "frame", _target_of(target, fields), extra)

    def subscribe_video(self, target=None, source=0, **fields):
        """Video frames; source: pb.VIDEO_SOURCE_* (0 = camera and screen share)."""
        return Subscription(self, "SubscribeVideo", pb.SubscribeVideoRequest, "frame", _target_of(target, fields),
                            {"source": source} if source else {})

    def subscribe_transcripts(self, target=None, **fields):
        """Transcript segments of one session."""
        return Subscription(self, "SubscribeTranscripts", pb.SubscribeTranscriptsRequest, "segment", _target_of(target, fields), {})

    def subscribe_events(self, target=None, **fields):
        """Participant, sharing, state, chat and upstream events of one session."""
        return Subscription(self, "SubscribeEvents", pb.SubscribeEventsRequest, "event", _target_of(target, fields), {})

    # Unary ---------------------------------------------------------------------------------------------------

    def list_sessions(self, include_stopped=False, instance_id="", page_size=0):
        """Every session the gateway lists (all pages, following next_page_token), retried on another replica
        while one is unavailable."""
        request = pb.ListSessionsRequest(include_stopped=include_stopped, instance_id=instance_id, page_size=page_size)
        while True:
            page = self._unary("ListSessions", request)
            for session in page.sessions:
                yield session
            if not page.next_page_token:
                return
            request.page_token = page.next_page_token

    def stub(self):
        """Method callables of the replica used next (e.g. stub().WatchSessions(request)), for calls not wrapped here."""
        return self._stubs[self._first_replica()]

    def close(self):
        self._closed = True
        for channel in self._channels:
            channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # Internals -----------------------------------------------------------------------------------------------

    def _unary(self, method, request):
        replica = self._first_replica()
        attempt = 0
        while True:
            try:
                return getattr(self._stubs[replica], method)(request, timeout=self.options["unary_deadline"],
                                                             metadata=self._metadata())
            except grpc.RpcError as error:
                decision = retry.decide(error, self._closed, retry.backoff(attempt, self.options["initial_backoff"],
                                                                           self.options["max_backoff"]))
                if not decision.retry or attempt >= 2 * len(self._stubs):
                    raise
                replica = self._next_replica(replica)
                attempt += 1
                time.sleep(decision.delay)

    def _metadata(self):
        provider = self.options["bearer_token"]
        token = provider() if provider else None
        return (("authorization", "Bearer " + token),) if token else ()

    def _first_replica(self):
        with self._lock:
            self._next = (self._next + 1) % len(self._stubs)
            return self._next

    def _next_replica(self, replica):
        return (replica + 1) % len(self._stubs)
