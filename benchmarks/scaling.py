"""Scaling benchmark: time per character and peak memory of one analysis as the text grows.

    .venv/bin/python benchmarks/scaling.py [--data DIR] [--model DIR] [--max-chars N]
        [--sizes 10k,100k,1M,5M,50M] [--cli] [--no-facts] [--timeout S] [--json]

Texts of each size (default 10k, 100k, 1M and 5M characters; ``--max-chars 50M`` adds the
50M one, which takes most of an hour on two cores) are made by joining real news articles
(``unlabeled-news`` in ``--data``, paragraphs as they are, articles separated by a blank line)
and cutting the result at the size. Each size is analysed in a fresh process, so peak memory
(``ru_maxrss``) is that size's alone:

* default: ``Pipeline.analyze`` of the text, model (and spaCy) loaded and warmed up on the
  text's first 5,000 characters first; the seconds are the analysis alone, the peak memory
  that of the whole process (model, text, result);
* ``--cli``: ``propscope analyze FILE --format json > /dev/null`` as a user runs it; the
  seconds are the whole command (start-up, model load, analysis and writing the JSON).

It prints a Markdown table: seconds, microseconds per character of wall-clock time and of
CPU time (all threads; steadier than the wall clock on a shared machine) and the CPU time's
ratio to the first size's (flat when cost is linear), peak RSS in MB and how much of it is
the text itself (a str of 1, 2 or 4 bytes a character: news with one emoji takes 4), and the
spans and claims found.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[2] / "shared/data"
NEWS = [f"unlabeled-news/allsides_abp_2015-2020.part-0{k}-of-03.jsonl" for k in range(3)]
DEFAULT_SIZES = "10k,100k,1M,5M,50M"
SUFFIX = {"k": 1_000, "M": 1_000_000}

# run in a fresh process: analyse one file, print a JSON line with the figures
CHILD = """
import json, resource, sys, time
from propscope.corpus.text import read_text
from propscope.pipeline import Pipeline, load_model
path, model, facts = sys.argv[1], sys.argv[2] or None, sys.argv[3] == "1"
# the text first: decoding UTF-8 with a character beyond the BMP holds the bytes and two
# wider copies at once for a moment (50 MB of news: about 350 MB), not to be taken for the
# analysis' own peak
text = read_text(__import__("pathlib").Path(path))
nlp = Pipeline(load_model(model), facts=facts)
if facts:
    from propscope.claims.facts import load_nlp
    load_nlp()  # spaCy loads on the first claim: not part of the analysis timed
nlp.analyze(text[:5000])  # warm up (pysbd, caches, thread pools)
t0, c0 = time.perf_counter(), time.process_time()
a = nlp.analyze(text)
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, "spans": len(a.spans),
                  "text_mb": sys.getsizeof(text) / 2**20,
                  "claims": len(a.claims), "sentences": len(a.sentences)}))
"""

# run in a fresh process: the CLI as a child of its own, so RUSAGE_CHILDREN is that one run's
CLI_CHILD = """
import json, resource, subprocess, sys, time
path, model = sys.argv[1], sys.argv[2]
cmd = [sys.executable, "-m", "propscope.cli.main", "analyze", path, "--format", "json"]
cmd += ["--model", model] if model else []
t0 = time.perf_counter()
subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
seconds = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu, peak = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
text_mb = sys.getsizeof(open(path, encoding="utf-8").read()) / 2**20
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, "text_mb": text_mb}))
"""


def parse_size(s: str) -> int:
    s = s.strip().replace("_", "")
    if s and s[-1] in SUFFIX:
        return int(float(s[:-1]) * SUFFIX[s[-1]])
    return int(s)


def label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return f"{n:,}"


def build_text(data: Path, n: int) -> str:
    """At least ``n`` characters of news articles joined by blank lines, cut at ``n``."""
    parts: list[str] = []
    total = 0
    for name in NEWS:
        with (data / name).open(encoding="utf-8") as f:
            for line in f:
                text = (json.loads(line).get("text") or "").strip()
                if not text:
                    continue
                parts.append(text)
                total += len(text) + 2
                if total >= n:
                    return "\n\n".join(parts)[:n]
    raise SystemExit(f"only {total:,} characters of news in {data}: fewer than {n:,}")


def run_size(
    text: str, model: str | None, *, cli: bool, facts: bool, timeout: float
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "text.txt"
        path.write_text(text, encoding="utf-8")
        code = CLI_CHILD if cli else CHILD
        cmd = [sys.executable, "-c", code, str(path), model or "", "1" if facts else "0"]
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
        except subprocess.TimeoutExpired:
            return {"timeout": timeout}
    r: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return r


def text_mb(r: dict[str, Any]) -> str:
    """The text's own size in memory (a Python str: 1, 2 or 4 bytes a character, by its
    widest character), where the run measured it."""
    return f"{r['text_mb']:.0f}" if "text_mb" in r else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED, help="the shared data folder")
    ap.add_argument("--model", default=None, help="model folder (default: the shipped model)")
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help="text sizes in characters")
    ap.add_argument("--max-chars", default="5M", help="leave out the sizes above this")
    ap.add_argument("--cli", action="store_true", help="time `propscope analyze -f json`")
    ap.add_argument("--no-facts", action="store_true", help="analyse without spaCy's facts")
    ap.add_argument("--timeout", type=float, default=7200, help="seconds per size at most")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    cap = parse_size(args.max_chars)
    sizes = [n for n in map(parse_size, args.sizes.split(",")) if n <= cap]
    facts = not args.no_facts
    rows: list[dict[str, Any]] = []
    what = "propscope analyze -f json" if args.cli else "Pipeline.analyze"
    if not args.json:
        print(f"# {what}{'' if facts else ' (no facts)'}: cost by text length")
        print()
        print(
            "| characters | seconds | µs per character | CPU µs per character | vs first "
            "| peak RSS MB | of which the text | spans | claims |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        text = build_text(args.data, n)
        r = run_size(text, args.model, cli=args.cli, facts=facts, timeout=args.timeout)
        r["chars"] = n
        if "seconds" in r:
            r["us_per_char"] = r["seconds"] / n * 1e6
            r["cpu_us_per_char"] = r["cpu"] / n * 1e6
        rows.append(r)
        if args.json:
            continue
        if "timeout" in r:
            print(f"| {label(n)} | > {args.timeout:.0f} (stopped) | | | | | | | |", flush=True)
            continue
        first = next(x["cpu_us_per_char"] for x in rows if "cpu_us_per_char" in x)
        print(
            f"| {label(n)} | {r['seconds']:.1f} | {r['us_per_char']:.1f} | "
            f"{r['cpu_us_per_char']:.1f} | {r['cpu_us_per_char'] / first:.2f}x | "
            f"{r['peak_mb']:.0f} | {text_mb(r)} | "
            f"{r.get('spans', '-')} | {r.get('claims', '-')} |",
            flush=True,
        )
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
