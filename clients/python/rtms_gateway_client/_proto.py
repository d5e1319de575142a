"""The gateway's message classes, generated from its .proto files (never committed).

An installed package carries modules generated at build time (``_generated/``). A source checkout generates them
on first import with ``protoc`` (Debian: protobuf-compiler; or ``grpc_tools`` when installed) into a cache folder
keyed by the protos' content, then loads them from there. The gRPC stub needs no code generator: its methods are
read from the service descriptor.
"""
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

_HERE = os.path.dirname(os.path.abspath(__file__))
_FILES = ("rtms/gateway/v1/gateway.proto", "rtms/gateway/v1/errors.proto")


def protos_dir():
    """Where gateway.proto is: $RTMS_GATEWAY_PROTO_PATH, the copy bundled in the package, or the repository's protos/."""
    candidates = [os.environ.get("RTMS_GATEWAY_PROTO_PATH"), os.path.join(_HERE, "protos")]
    folder = _HERE
    for _ in range(6):
        folder = os.path.dirname(folder)
        candidates.append(os.path.join(folder, "protos"))
    for candidate in candidates:
        if candidate and os.path.isfile(os.path.join(candidate, _FILES[0])):
            return candidate
    raise ImportError("rtms_gateway_client: gateway.proto not found; set RTMS_GATEWAY_PROTO_PATH to the gateway's protos/ folder")


def _protoc():
    """The protoc command and the include folder holding google/protobuf/timestamp.proto."""
    includes = [d for d in ("/usr/include", "/usr/local/include") if os.path.isfile(os.path.join(d, "google/protobuf/timestamp.proto"))]
    explicit = os.environ.get("PROTOC") or shutil.which("protoc")
    if explicit:
        return [explicit], includes
    try:
        import grpc_tools  # noqa: F401 (optional)
        bundled = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
        return [sys.executable, "-m", "grpc_tools.protoc"], includes + [bundled]
    except ImportError:
        raise ImportError("rtms_gateway_client: protoc is needed to generate the message classes "
                          "(Debian: apt-get install protobuf-compiler libprotobuf-dev; or pip install grpcio-tools)")


def generate(out_dir, proto_dir=None):
    """Runs protoc on the gateway's protos into out_dir (rtms/gateway/v1/*_pb2.py)."""
    proto_dir = proto_dir or protos_dir()
    out_dir = os.path.abspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    command, includes = _protoc()
    args = command + ["-I" + proto_dir] + ["-I" + i for i in includes] + ["--python_out=" + out_dir] + list(_FILES)
    subprocess.run(args, check=True, cwd=proto_dir)


def _cached():
    proto_dir = protos_dir()
    digest = hashlib.sha256()
    for name in _FILES:
        with open(os.path.join(proto_dir, name), "rb") as f:
            digest.update(f.read())
    out = os.path.join(tempfile.gettempdir(), "rtms-gateway-client-%d-%s" % (os.getuid(), digest.hexdigest()[:16]))
    if not os.path.isfile(os.path.join(out, "rtms/gateway/v1/errors_pb2.py")):
        staging = tempfile.mkdtemp(prefix="rtms-gateway-client-")
        generate(staging, proto_dir)
        try:
            os.replace(staging, out)  # atomic: concurrent first imports each generate, one wins
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    return out


def _load(root, name):
    path = os.path.join(root, "rtms", "gateway", "v1", name + ".py")
    full = "rtms_gateway_client._generated." + name
    spec = importlib.util.spec_from_file_location(full, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[full] = module
    spec.loader.exec_module(module)
    return module


def load():
    """(gateway_pb2, errors_pb2)."""
    root = os.path.join(_HERE, "_generated")
    if not os.path.isfile(os.path.join(root, "rtms/gateway/v1/errors_pb2.py")):
        root = _cached()
    return _load(root, "gateway_pb2"), _load(root, "errors_pb2")
