"""Block network access from Python, except to this machine (loopback).

Imported by tests/conftest.py for the test process and, through an IPython
startup file, by every notebook kernel that nbval or the benchmarks start, so
a hidden download anywhere in the book fails the tests instead of passing
on a machine that happens to be online.
"""

from __future__ import annotations

import ipaddress
import socket

_MESSAGE = "network access is disabled while testing synthbio (tried to reach {!r})"
_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and the like
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_local(address):
        raise OSError(_MESSAGE.format(address))
    return _original_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_local(address):
        raise OSError(_MESSAGE.format(address))
    return _original_connect_ex(self, address)


def install() -> None:
    """Replace socket connections with the loopback-only versions."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


def installed() -> bool:
    return socket.socket.connect is _guarded_connect
