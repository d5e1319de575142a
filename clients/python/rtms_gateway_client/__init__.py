"""Python client of RtmsGateway: live Zoom RTMS meetings as iterators that survive replica failures.

    from rtms_gateway_client import GatewayClient
    for item in GatewayClient("gateway:5000").subscribe_transcripts(instance_id=meeting_uuid):
        print(item.message.header.user_name, item.message.text) if item.is_message else print(item)

The message classes are generated from the gateway's .proto files (``pb``: gateway_pb2, ``errors_pb``: errors_pb2).
"""
from ._messages import errors as errors_pb, gateway as pb
from .client import GatewayClient, ItemKind, StreamItem, Subscription
from .retry import ErrorDetails, RetryDecision, backoff, decide, details_of
from .wav import WavWriter

SubscriptionTarget = pb.SubscriptionTarget
AudioFormatRequest = pb.AudioFormatRequest
Gap = pb.Gap

__all__ = ["GatewayClient", "Subscription", "StreamItem", "ItemKind", "SubscriptionTarget", "AudioFormatRequest", "Gap", "WavWriter", "pb", "errors_pb",
           "details_of", "ErrorDetails", "decide", "backoff", "RetryDecision"]
__version__ = "1.0.0"
