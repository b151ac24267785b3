"""``benchmarks/load.py --quick`` runs end to end against a server it starts itself.

It checks that the benchmark works (every scenario ran and counted requests, the server was
stopped, no request got a 500), not how fast the server is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "load.py"


@pytest.mark.slow
def test_quick_load_benchmark_runs_every_scenario_without_a_500(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    log = tmp_path / "server.log"
    cmd = [sys.executable, str(SCRIPT), "--quick", "--json", str(out), "--server-log", str(log)]
    cmd += ["--server-arg=--model", "--server-arg=builtin:lexicon"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    got = json.loads(out.read_text(encoding="utf-8"))
    s = got["scenarios"]
    assert list(s) == ["long", "short", "slow-client", "slow-page", "memory"]
    assert got["total_500"] == 0
    assert got["server_log"]["tracebacks"] == 0, log.read_text()
    assert "--allow-private-urls" in got["server"] and "builtin:lexicon" in got["server"]
    for name in ("long", "short", "memory"):
        assert s[name]["requests"] > 0, name
        assert s[name]["counts"]["500"] == 0, name
        answered = s[name]["counts"]["200"] + s[name]["counts"]["503"]
        assert answered > 0, name
    assert s["long"]["health"]["n"] > 0 and s["short"]["health"]["n"] > 0
    slow = s["slow-client"]
    assert sum(slow["slow_headers"]["outcomes"].values()) == slow["connections"] > 0
    assert slow["short_body"]["outcome"]
    assert slow["normal_requests"]["requests"] > 0 and slow["counts_500"] == 0
    page = s["slow-page"]
    assert len(page["url_results"]) == page["url_requests"] == 2
    assert all(u["status"] is not None and u["status"] != 500 for u in page["url_results"])
    assert page["page_connections"], "the server never fetched the dripping page"
    assert page["text_requests"]["requests"] > 0 and page["counts_500"] == 0
    mem = s["memory"]
    assert mem["before"]["rss_mb"] > 0 and mem["after"]["rss_mb"] > 0
    # the tables were printed, and the server is gone
    assert "## summary" in r.stdout and "| long |" in r.stdout
    assert "Requests answered 500 in all: 0." in r.stdout
    assert not Path(f"/proc/{got['server_pid']}").exists(), "the server was left running"
