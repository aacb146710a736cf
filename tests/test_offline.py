"""The test suite runs offline: a hidden download fails instead of passing."""

from __future__ import annotations

import socket

import guard
import pytest


def test_guard_is_installed_in_the_test_process():
    assert guard.installed()


def test_outbound_connection_is_refused():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(OSError, match="network access is disabled"):
            s.connect(("93.184.216.34", 80))
        with pytest.raises(OSError, match="network access is disabled"):
            s.connect(("example.org", 443))
    finally:
        s.close()


def test_loopback_is_allowed():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        client.connect(server.getsockname())
    finally:
        client.close()
        server.close()


def test_notebook_kernels_are_offline_too():
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import socket\n"
            "s = socket.socket()\n"
            "try:\n"
            "    s.connect(('93.184.216.34', 80))\n"
            "    print('CONNECTED')\n"
            "except OSError as e:\n"
            "    print('BLOCKED', e)\n"
        )
    ]
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert text.startswith("BLOCKED") and "network access is disabled" in text, text
