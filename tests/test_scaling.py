"""Cost grows with the text, not faster, and memory stays bounded (issue #14, part 3).

A 5 MB text of real news (``unlabeled-news`` next to the repository; skipped where it is
absent) is analysed by the shipped model in a fresh process: its peak memory stays under
400 MB (312 MB measured; a 50 MB file's must stay under 600 MB, and what grows with the text
is held as columns), and its time per character is no worse than twice that of its first 100,000
characters, measured in the same process. ``benchmarks/scaling.py`` draws the whole curve
(10k to 50M characters).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

NEWS = (
    Path(__file__).resolve().parents[2]
    / "shared/data/unlabeled-news/allsides_abp_2015-2020.part-00-of-03.jsonl"
)

CODE = """
import json, resource, sys, time
import propscope
from propscope.claims.facts import load_nlp
parts, total = [], 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        t = json.loads(line)["text"].strip()
        parts.append(t)
        total += len(t) + 2
        if total >= 5_000_000:
            break
text = "\\n\\n".join(parts)[:5_000_000]
nlp = propscope.load()
load_nlp()
nlp.analyze(text[:5_000])  # warm up
out = {}
for n in (100_000, 5_000_000):
    t0 = time.perf_counter()
    a = nlp.analyze(text[:n])
    out[n] = (time.perf_counter() - t0) / n
    assert all(0 <= s.start < s.end <= n for s in a.spans)
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


@pytest.mark.slow
def test_five_megabytes_in_linear_time_and_bounded_memory() -> None:
    if not NEWS.is_file():
        pytest.skip(f"news articles not found at {NEWS}")
    r = subprocess.run(
        [sys.executable, "-c", CODE, str(NEWS)],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout.strip().splitlines()[-1])
    small, big = got["100000"], got["5000000"]
    assert got["peak_mb"] < 400, got
    assert big <= 2 * small, f"{big * 1e6:.1f} µs per character at 5M, {small * 1e6:.1f} at 100k"
