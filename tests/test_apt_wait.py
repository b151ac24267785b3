"""scripts/apt_install.sh (used by scripts/setup.sh --dev and .ci/run) waits for another apt to
release its locks instead of failing: run against a fake apt-get and a lock held by this test
(the same fcntl lock apt takes on /var/lib/apt/lists/lock)."""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "apt_install.sh"

FAKE_APT = """#!/usr/bin/env bash
echo "$*" >> "{log}"
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    fake = tmp_path / "apt-get"
    fake.write_text(FAKE_APT.format(log=tmp_path / "calls.log"), encoding="utf-8")
    fake.chmod(0o755)
    return {
        **os.environ,
        "APT_GET": str(fake),
        "APT_LISTS_LOCK": str(tmp_path / "lock"),
        **extra,
    }


def _calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "calls.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_updates_and_installs_with_a_dpkg_lock_timeout(tmp_path: Path) -> None:
    r = subprocess.run(
        ["bash", SCRIPT, "chromium", "postgresql"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    update, install = _calls(tmp_path)
    assert update == "-qq -o DPkg::Lock::Timeout=600 update"
    assert install == (
        "install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 chromium postgresql"
    )


def test_waits_for_the_lists_lock(tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            ["bash", SCRIPT, "chromium"],
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert proc.poll() is None, "the script did not wait for the lock"
        assert _calls(tmp_path) == []
        fcntl.lockf(fd, fcntl.LOCK_UN)
        _out, err = proc.communicate(timeout=30)
    finally:
        os.close(fd)
    assert proc.returncode == 0, err
    assert "waiting for another apt" in err
    assert [c.split()[-1] for c in _calls(tmp_path)] == ["update", "chromium"]


def test_gives_up_after_the_wait(tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX)
        r = subprocess.run(
            ["bash", SCRIPT, "chromium"],
            env=_env(tmp_path, APT_WAIT_S="1"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(fd)
    assert r.returncode == 1
    assert "still locked after 1s" in r.stderr
    assert _calls(tmp_path) == []


@pytest.mark.parametrize("script", ["scripts/setup.sh", ".ci/run"])
def test_the_setup_scripts_install_through_it(script: str) -> None:
    text = (ROOT / script).read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert re.search(r"bash scripts/apt_install\.sh \"\$\{need\[@\]\}\"", code)
    assert "apt-get update" not in code and "apt-get install" not in code
