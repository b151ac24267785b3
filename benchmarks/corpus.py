"""Corpus benchmark: documents/s and words/s of corpus runs, database writes included, in one run.

    .venv/bin/python benchmarks/corpus.py [--docs 5000] [--news FILE ...] [--no-ray] [--json]

Documents: the first ``--docs`` articles of ../shared/data/unlabeled-news whose length lies
between the 25th and 75th percentile of the PTC train articles (2,675-6,276 characters, computed
from ../shared/data/ptc-semeval2020 when it is there), written to a temporary JSONL with their
source, date, author and title. Each configuration runs in a process of its own, one after the
other, on the shipped model:

* ``pipe()``: the pipeline alone over the texts (the ceiling), at the operating point the batch
  stores (``sensitive``);
* ``batch``: ``propscope batch`` into a new SQLite file, 1 worker, then 2 workers;
* ``batch --engine ray``: the same on a local 2-CPU Ray, into SQLite (needs the [ray] extra).

docs/s and words/s are over the run's own clock (model loading excluded for pipe(); the batch
commands' summary, which includes reading, workers starting and every database write); the
wall time of each process and the peak memory of its whole process tree (sampled from /proc
every 0.2 s) are given too. Words are those of the profile (``count_words``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
NEWS = sorted((SHARED / "unlabeled-news").glob("allsides_abp_2015-2020.part-0*-of-03.jsonl"))
PTC_TRAIN = SHARED / "ptc-semeval2020" / "datasets" / "train-articles"
LENGTHS = (2675, 6276)  # PTC train p25 / p75 in characters, where the data is not present


def ptc_band() -> tuple[int, int]:
    files = sorted(PTC_TRAIN.glob("*.txt"))
    if not files:
        return LENGTHS
    lengths = sorted(len(f.read_text(encoding="utf-8")) for f in files)
    n = len(lengths)
    return lengths[n // 4], lengths[3 * n // 4]


def select_docs(news: list[Path], n: int, band: tuple[int, int], out: Path) -> int:
    lo, hi = band
    kept = 0
    with out.open("w", encoding="utf-8") as f:
        for path in news:
            with path.open(encoding="utf-8") as src:
                for line in src:
                    r = json.loads(line)
                    if r.get("ptc_sentence_overlap") or not lo <= len(r["text"]) <= hi:
                        continue
                    keep = {k: r.get(k) for k in ("id", "text", "source", "date", "title")}
                    keep["author"] = r.get("authors") or None
                    f.write(json.dumps(keep, ensure_ascii=False) + "\n")
                    kept += 1
                    if kept == n:
                        return kept
    return kept


# -- memory of a process tree --------------------------------------------------------------


def _tree_rss_mb(root: int) -> float:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/status") as f:
                m = re.search(r"VmRSS:\s+(\d+) kB", f.read())
        except (OSError, IndexError, ValueError):
            continue
        pid = int(entry)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(m.group(1)) if m else 0
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / 1024


def run_measured(
    cmd: list[str], env: dict[str, str] | None = None
) -> tuple[str, str, float, float]:
    """Run ``cmd``; its stdout, stderr, wall seconds and the peak RSS of its process tree."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_mb(proc.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - t0
    if proc.returncode not in (0,):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return out.decode(), err.decode(), wall, peak


SUMMARY = re.compile(
    r"(?P<docs>\d+) documents read: (?P<analysed>\d+) analysed.*?; (?P<words>[\d,]+) words in "
    r"(?P<seconds>[\d.]+) s"
)


def batch_figures(err: str) -> dict[str, float]:
    m = SUMMARY.search(err)
    if m is None:
        sys.exit(f"no summary in the batch output:\n{err[-2000:]}")
    return {
        "documents": int(m["analysed"]),
        "words": int(m["words"].replace(",", "")),
        "seconds": float(m["seconds"]),
    }


def pipe_child(path: Path) -> None:
    """In a process of its own: pipe() over the texts; prints its figures as JSON."""
    from propscope.pipeline import load

    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    nlp = load(sensitivity="sensitive")
    nlp.analyze(texts[0])  # warm up (spaCy loads lazily)
    words = 0
    t0 = time.perf_counter()
    for a in nlp.pipe(texts):
        words += int(a.profile["words"])
    seconds = time.perf_counter() - t0
    print(json.dumps({"documents": len(texts), "words": words, "seconds": seconds}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--news", type=Path, nargs="*", default=NEWS)
    ap.add_argument("--no-ray", action="store_true", help="leave out the Ray configuration")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--pipe-child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.pipe_child:
        pipe_child(args.pipe_child)
        return
    if not args.news:
        sys.exit(f"no unlabeled news found under {SHARED / 'unlabeled-news'}; pass --news FILE")
    tmp = Path(tempfile.mkdtemp(prefix="propscope-corpus-bench"))
    src = tmp / "docs.jsonl"
    band = ptc_band()
    n = select_docs(args.news, args.docs, band, src)
    print(f"{n} documents of {band[0]:,}-{band[1]:,} characters in {src}", file=sys.stderr)
    exe = str(Path(sys.executable).parent / "propscope")
    rows: list[dict[str, object]] = []

    def add(name: str, figures: dict[str, float], wall: float, peak: float) -> None:
        rows.append(
            {
                "configuration": name,
                **figures,
                "docs_per_s": figures["documents"] / figures["seconds"],
                "words_per_s": figures["words"] / figures["seconds"],
                "wall_s": wall,
                "peak_mb": peak,
            }
        )
        print(f"  {json.dumps(rows[-1])}", file=sys.stderr)  # each row as soon as it is known

    out, _, wall, peak = run_measured([sys.executable, __file__, "--pipe-child", str(src)])
    add("pipe() alone", json.loads(out), wall, peak)
    configs = [("batch, SQLite, 1 worker", []), ("batch, SQLite, 2 workers", ["--workers", "2"])]
    if not args.no_ray:
        configs.append(
            ("batch --engine ray (2 CPUs), SQLite", ["--engine", "ray", "--workers", "2"])
        )
    ray_env = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
    for i, (name, extra) in enumerate(configs):
        db = f"sqlite:///{tmp / f'run{i}.db'}"
        _, err, wall, peak = run_measured([exe, "batch", str(src), "--db", db, *extra], ray_env)
        add(name, batch_figures(err), wall, peak)
    ceiling = float(rows[0]["words_per_s"])  # type: ignore[arg-type]
    for r in rows:
        r["of_pipe"] = float(r["words_per_s"]) / ceiling  # type: ignore[arg-type]
    if args.json:
        print(json.dumps({"documents": n, "band": band, "rows": rows}, indent=2))
        return
    print(f"{n} documents ({band[0]:,}-{band[1]:,} characters), shipped model, this machine")
    print("| configuration | docs/s | words/s | of pipe() | wall s | peak memory |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['configuration']} | {r['docs_per_s']:.2f} | {r['words_per_s']:,.0f} | "
            f"{r['of_pipe']:.2f}x | {r['wall_s']:.0f} | {r['peak_mb']:,.0f} MB |"
        )


if __name__ == "__main__":
    main()
