"""``propscope analyze`` with a URL of another scheme than http(s): E046, not a missing file."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("url", ["ftp://example.org/a.txt", "file:///etc/passwd"])
def test_unsupported_scheme_is_e046(run_cli: Any, url: str) -> None:
    r = run_cli("analyze", url, "--model", "builtin:lexicon")
    assert r.returncode == 1
    assert f"E046: only http and https URLs can be fetched ({url})" in r.stderr
    assert "E001" not in r.stderr
