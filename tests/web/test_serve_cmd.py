"""``propscope serve`` as a real subprocess: refuses unsafe settings, starts, answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from typing import Any

import httpx


def test_refuses_a_public_bind_without_a_token(run_cli: Any) -> None:
    r = run_cli("serve", "--host", "0.0.0.0", "--model", "builtin:lexicon")
    assert r.returncode == 1
    assert "E048" in r.stderr and "PROPSCOPE_API_TOKEN" in r.stderr


def test_bad_setting_is_a_coded_error(run_cli: Any) -> None:
    r = run_cli("serve", "--port", "70000", "--model", "builtin:lexicon")
    assert r.returncode == 1
    assert "E030" in r.stderr and "port" in r.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serves_the_page_and_the_api_with_a_token_from_the_environment() -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROPSCOPE_")}
    env["PROPSCOPE_API_TOKEN"] = "tok"
    cmd = [sys.executable, "-m", "propscope.cli.main", "serve", "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--model", "builtin:lexicon"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert health.json()["auth_required"] is True
        assert "<textarea" in httpx.get(base + "/").text
        body = {"text": "They are evil thugs."}
        assert httpx.post(f"{base}/api/v1/analyze", json=body).status_code == 401
        r = httpx.post(f"{base}/api/v1/analyze", json=body, headers={"Authorization": "Bearer tok"})
        assert r.status_code == 200 and len(r.json()["spans"]) == 2
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0].decode()
    assert "Traceback" not in out, out


def test_token_from_a_file_and_a_warning_for_the_command_line(run_cli: Any, tmp_path: Any) -> None:
    from propscope.cli.serve_cmd import read_token
    from propscope.errors import PropscopeError

    path = tmp_path / "token"
    path.write_text("s3cret \nsecond line\n", encoding="utf-8")
    assert read_token(path) == "s3cret"
    for content, code in ((b"\n", "E030"), (b"\xff\xfe", "E004")):
        path.write_bytes(content)
        try:
            read_token(path)
        except PropscopeError as exc:
            assert exc.code.value == code and str(path) in exc.render()
        else:
            raise AssertionError(f"{content!r} was accepted")
    r = run_cli("serve", "--token-file", tmp_path / "missing", "--model", "builtin:lexicon")
    assert r.returncode == 1 and "E001" in r.stderr and "missing" in r.stderr
    # --token on the command line: warned about (then refused here for the bad port)
    r = run_cli("serve", "--token", "abc", "--port", "70000", "--model", "builtin:lexicon")
    assert "process list" in r.stderr and "E030" in r.stderr
