"""Build hook: the package carries modules generated from the gateway's protos (never committed).

Building (pip install / pip wheel) runs protoc on ../../protos (or $RTMS_GATEWAY_PROTO_PATH) into
rtms_gateway_client/_generated/ and bundles the .proto files, so an installed package needs no compiler.
"""
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py


class GenerateThenBuild(build_py):
    def run(self):
        import importlib.util
        here = os.path.dirname(os.path.abspath(__file__))
        spec = importlib.util.spec_from_file_location("_proto", os.path.join(here, "rtms_gateway_client", "_proto.py"))
        proto = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(proto)  # standard library only at import
        super().run()
        package = os.path.join(self.build_lib, "rtms_gateway_client")
        source = proto.protos_dir()
        proto.generate(os.path.join(package, "_generated"), source)
        for name in ("rtms/gateway/v1/gateway.proto", "rtms/gateway/v1/errors.proto"):
            target = os.path.join(package, "protos", name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(source, name), target)


setup(cmdclass={"build_py": GenerateThenBuild})
