"""google.rpc.Status, ErrorInfo and RetryInfo, for reading the grpc-status-details-bin trailer.

Uses googleapis-common-protos when it is installed; otherwise builds the three messages (the same full names and
field numbers as google/rpc/status.proto and error_details.proto) in a private descriptor pool, so that nothing
beyond grpcio and protobuf is needed.
"""
from google.protobuf import descriptor_pb2, descriptor_pool, duration_pb2, any_pb2, message_factory

try:  # pragma: no cover - depends on what is installed
    from google.rpc import error_details_pb2 as _details, status_pb2 as _status
    Status, ErrorInfo, RetryInfo = _status.Status, _details.ErrorInfo, _details.RetryInfo
except ImportError:
    _F = descriptor_pb2.FieldDescriptorProto

    def _field(message, name, number, kind, label=_F.LABEL_OPTIONAL, type_name=None):
        f = message.field.add(name=name, number=number, type=kind, label=label)
        if type_name:
            f.type_name = type_name

    _pool = descriptor_pool.DescriptorPool()
    for _wkt in (any_pb2, duration_pb2):
        _pool.AddSerializedFile(_wkt.DESCRIPTOR.serialized_pb)

    _status_file = descriptor_pb2.FileDescriptorProto(name="google/rpc/status.proto", package="google.rpc",
                                                      syntax="proto3", dependency=["google/protobuf/any.proto"])
    _m = _status_file.message_type.add(name="Status")
    _field(_m, "code", 1, _F.TYPE_INT32)
    _field(_m, "message", 2, _F.TYPE_STRING)
    _field(_m, "details", 3, _F.TYPE_MESSAGE, _F.LABEL_REPEATED, ".google.protobuf.Any")
    _pool.Add(_status_file)

    _details_file = descriptor_pb2.FileDescriptorProto(name="google/rpc/error_details.proto", package="google.rpc",
                                                       syntax="proto3", dependency=["google/protobuf/duration.proto"])
    _m = _details_file.message_type.add(name="RetryInfo")
    _field(_m, "retry_delay", 1, _F.TYPE_MESSAGE, type_name=".google.protobuf.Duration")
    _m = _details_file.message_type.add(name="ErrorInfo")
    _field(_m, "reason", 1, _F.TYPE_STRING)
    _field(_m, "domain", 2, _F.TYPE_STRING)
    _entry = _m.nested_type.add(name="MetadataEntry")
    _entry.options.map_entry = True
    _field(_entry, "key", 1, _F.TYPE_STRING)
    _field(_entry, "value", 2, _F.TYPE_STRING)
    _field(_m, "metadata", 3, _F.TYPE_MESSAGE, _F.LABEL_REPEATED, ".google.rpc.ErrorInfo.MetadataEntry")
    _pool.Add(_details_file)

    def _class(name):
        descriptor = _pool.FindMessageTypeByName(name)
        get = getattr(message_factory, "GetMessageClass", None)
        return get(descriptor) if get else message_factory.MessageFactory(_pool).GetPrototype(descriptor)

    Status, ErrorInfo, RetryInfo = _class("google.rpc.Status"), _class("google.rpc.ErrorInfo"), _class("google.rpc.RetryInfo")

TYPE_PREFIX = "type.googleapis.com/"
