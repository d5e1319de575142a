"""The generated modules, loaded once."""
from . import _proto

gateway, errors = _proto.load()
