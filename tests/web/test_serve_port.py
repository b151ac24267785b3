"""``propscope serve`` on a port already in use: a coded error (E059), no "serving on" line."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from propscope.errors import Code, PropscopeError
from propscope.web.server import bind_socket


def _held() -> tuple[socket.socket, int]:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s, int(s.getsockname()[1])


def test_serve_on_a_port_in_use_is_e059(run_cli: Any) -> None:
    held, port = _held()
    with held:
        r = run_cli("serve", "--port", str(port), "--model", "builtin:lexicon")
    assert r.returncode != 0
    assert "E059" in r.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in r.stderr
    assert "serving on" not in r.stderr + r.stdout


def test_bind_socket_names_host_and_port() -> None:
    held, port = _held()
    with held, pytest.raises(PropscopeError) as err:
        bind_socket("127.0.0.1", port)
    assert err.value.code is Code.PORT_IN_USE
    assert str(port) in err.value.message and "127.0.0.1" in err.value.message
    # once the port is free it binds (and is not listening until uvicorn listens)
    sock = bind_socket("127.0.0.1", port)
    with sock:
        assert sock.getsockname() == ("127.0.0.1", port)


def test_an_address_not_of_this_machine_is_e030() -> None:
    with pytest.raises(PropscopeError) as err:
        bind_socket("192.0.2.1", 0)  # TEST-NET-1: never a local address
    assert err.value.code is Code.BAD_OPTION and "192.0.2.1" in err.value.message
