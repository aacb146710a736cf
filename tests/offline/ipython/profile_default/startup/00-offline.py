# Started by every test kernel (IPYTHONDIR points here): no network but loopback.
import importlib.util as _u
import os as _os

_spec = _u.spec_from_file_location(
    "_synthbio_offline_guard",
    _os.path.join(_os.path.dirname(__file__), "..", "..", "..", "guard.py"),
)
_guard = _u.module_from_spec(_spec)
_spec.loader.exec_module(_guard)
_guard.install()
del _u, _os, _spec, _guard
