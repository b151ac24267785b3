"""Speed benchmark of the detector on this machine, all ratios measured in one run.

    .venv/bin/python benchmarks/speed.py [--data DIR] [--model DIR] [--no-baseline]

* words/s of ``pipe()`` over the PTC dev articles (words = whitespace-separated tokens), with
  and without fact extraction, and without it with the encoder on 1 and on 2 threads;
* the same encoder through plain transformers + torch fp32 (what a user would write: windows of
  256 tokens, batches of 8, ``torch.no_grad``), as the baseline; needs the [train] extra;
* warm latency of ``analyze()`` on one 800-word article (median of 20);
* ``propscope analyze FILE`` from a cold start (median of 3 processes) and its peak memory.

``--claims REV`` instead compares, in one run, pipe() with claims and facts as git revision REV
had it (its code and its model, checked out in a temporary worktree: 0.3's check-worthiness
head on the detector's hidden states, which marked most sentences, and facts for each) and as
this tree has it (0.4: a claims encoder of its own, facts for the sentences it marks),
alternately in fresh processes, best of three each; and this tree's detector alone.

``--runtimes`` instead compares, in one run, pipe() without facts under 0.2.0's runtime (windows
of 128 tokens every 112, 4 per call, ONNX Runtime's default threads) and 0.3's (a window per
line, one per call, on 1 and 2 threads), best of two rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from propscope.corpus.ptc import read_articles
from propscope.infer.encoder import Encoder, OnnxEncoder
from propscope.infer.scores import RuntimeSettings
from propscope.models.folder import ModelFolder
from propscope.pipeline import Pipeline, load_model

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/ptc-semeval2020/datasets"


def words(text: str) -> int:
    return len(text.split())


def bench_pipe(nlp: Pipeline, texts: list[str]) -> float:
    nlp.analyze(texts[0])  # warm up
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return sum(map(words, texts)) / (time.perf_counter() - t0)


def bench_torch_baseline(texts: list[str], threads: int) -> float:
    import torch
    from transformers import AutoModel, AutoTokenizer

    from propscope.training.base import minilm_path

    torch.set_num_threads(threads)
    path = str(minilm_path())
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()

    def run(text: str) -> None:
        enc = tok(
            text,
            truncation=True,
            max_length=256,
            stride=64,
            return_overflowing_tokens=True,
            padding=True,
            return_tensors="pt",
        )
        with torch.no_grad():
            for i in range(0, enc["input_ids"].shape[0], 8):
                model(
                    input_ids=enc["input_ids"][i : i + 8],
                    attention_mask=enc["attention_mask"][i : i + 8],
                )

    run(texts[0])
    t0 = time.perf_counter()
    for t in texts:
        run(t)
    return sum(map(words, texts)) / (time.perf_counter() - t0)


def bench_encoder(
    folder: ModelFolder, encoder: Encoder, texts: list[str], runtime: RuntimeSettings | None = None
) -> float:
    """pipe() without facts, the folder's model run by ``encoder`` (and ``runtime``)."""
    from propscope.detector import DetectorModel

    model = DetectorModel.from_folder(folder, encoder)
    if runtime is not None:
        model.scorer.settings = runtime
    return bench_pipe(Pipeline(model, facts=False), texts)


def bench_threads(model_dir: Path, texts: list[str], threads: int) -> float:
    """pipe() without facts, the encoder running ``threads`` windows at once."""
    folder = ModelFolder.read(model_dir)
    return bench_encoder(folder, OnnxEncoder(folder.file("model.onnx"), threads), texts)


def compare_runtimes(model_dir: Path, texts: list[str]) -> dict[str, float]:
    import onnxruntime as ort

    class DefaultSession(OnnxEncoder):
        """0.2.0's session: ONNX Runtime's default thread pool (spinning), one call at a time."""

        def __init__(self, path: Path) -> None:
            opts = ort.SessionOptions()
            opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
            self.threads, self._pool = 1, None

    folder = ModelFolder.read(model_dir)
    onnx = folder.file("model.onnx")
    grid = RuntimeSettings(window=128, stride=112, batch_size=4)
    variants = {
        "0.2.0: windows of 128 every 112 tokens, 4 per call, default threads (spinning)": (
            DefaultSession(onnx),
            grid,
        ),
        "the same windows, two calls at once on one thread each, no spinning": (
            OnnxEncoder(onnx, 2),
            grid,
        ),
        "0.3: a window per line, 1 per call, 1 thread": (OnnxEncoder(onnx, 1), folder.meta.runtime),
        "0.3: a window per line, 1 per call, two calls at once": (
            OnnxEncoder(onnx, 2),
            folder.meta.runtime,
        ),
    }
    best: dict[str, float] = {}
    for _round in range(2):
        for name, (encoder, runtime) in variants.items():
            best[name] = max(best.get(name, 0.0), bench_encoder(folder, encoder, texts, runtime))
    return best


# words/s of pipe() over the PTC dev articles, and the share of sentences that are claims, for
# the propscope whose source is at SRC (its own shipped model); run in a fresh process each time
_PIPE_AT = """
import sys, time
sys.path.insert(0, SRC)
import propscope
from pathlib import Path
from propscope.corpus.ptc import read_articles
assert propscope.__file__.startswith(SRC), propscope.__file__
texts = [d.text for d in read_articles(Path(DATA) / "dev-articles").values()]
nlp = propscope.load()
nlp.analyze(texts[0])
t0 = time.perf_counter()
got = list(nlp.pipe(texts))
wps = sum(len(t.split()) for t in texts) / (time.perf_counter() - t0)
share = sum(len(a.claims) for a in got) / max(1, sum(len(a.sentences) for a in got))
print(wps, share, nlp.info.version)
"""


def pipe_at(src: Path, data: Path) -> tuple[float, float, str]:
    code = f"SRC = {str(src)!r}\nDATA = {str(data)!r}\n" + _PIPE_AT
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    wps, share, version = out.stdout.split()
    return float(wps), float(share), version


def compare_claims(rev: str, data: Path, rounds: int = 3) -> dict[str, float]:
    """pipe() with claims and facts as git revision ``rev`` had it (its code and its model, from
    a temporary worktree) and as this working tree has it, alternately in fresh processes,
    best of ``rounds``; and this tree's detector alone."""
    root = Path(
        subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(root), "worktree", "add", "--detach", str(old), rev],
            check=True,
            capture_output=True,
        )
        try:
            best: dict[str, tuple[float, float, str]] = {}
            for _round in range(rounds):
                for name, src in (("then", old / "src"), ("now", root / "src")):
                    got = pipe_at(src, data)
                    if name not in best or got[0] > best[name][0]:
                        best[name] = got
        finally:
            subprocess.run(
                ["git", "-C", str(root), "worktree", "remove", "--force", str(old)],
                check=True,
                capture_output=True,
            )
    from propscope.detector import DetectorModel
    from propscope.model import DEFAULT_MODEL_DIR

    texts = [d.text for d in read_articles(data / "dev-articles").values()]
    bare = DetectorModel.load(DEFAULT_MODEL_DIR)
    bare.claims_model, bare.claims_head, bare.claim_threshold = None, None, None
    then, now = best["then"], best["now"]
    return {
        f"{then[2]} ({rev}): claims + facts, words/s": then[0],
        f"{now[2]} (this tree): claims + facts, words/s": now[0],
        "ratio (this / then)": now[0] / then[0],
        "this tree's detector alone (no claims, no facts), words/s": bench_pipe(
            Pipeline(bare, facts=False), texts
        ),
        f"share of sentences that are claims, {then[2]}": then[1],
        f"share of sentences that are claims, {now[2]}": now[1],
    }


def text_of_words(texts: list[str], n: int) -> str:
    out: list[str] = []
    for t in texts:
        out.extend(t.split(" "))
        if len(out) >= n:
            break
    return " ".join(out[:n])


# the peak resident memory of this process alone (VmHWM is reset by exec, unlike ru_maxrss,
# which would carry the benchmark parent's memory over into the child)
PEAK = (
    "print(next(int(x.split()[1]) for x in open('/proc/self/status') "
    "if x.startswith('VmHWM')) / 1024, file=sys.stderr)"
)


def cold_start(file: Path, model: str | None, runs: int = 3) -> tuple[float, float]:
    args = ["analyze", str(file), "--format", "json"] + (["--model", model] if model else [])
    cmd = [sys.executable, "-m", "propscope.cli.main", *args]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    # the same command in a process that reports its own peak memory at the end
    code = (
        "import sys\n"
        f"sys.argv = ['propscope', *{args!r}]\n"
        "from propscope.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n" + PEAK + "\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return statistics.median(times), float(out.stderr.strip().splitlines()[-1])


def pipe_peak_memory(data: Path, model: str | None) -> float:
    code = (
        "import sys\n"
        "from propscope.corpus.ptc import read_articles\n"
        "from propscope.pipeline import Pipeline, load_model\n"
        "from pathlib import Path\n"
        f"docs = read_articles(Path({str(data / 'dev-articles')!r}))\n"
        f"nlp = Pipeline(load_model({model!r}))\n"
        "for _ in nlp.pipe(d.text for d in docs.values()): pass\n" + PEAK + "\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(out.stderr.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--model", default=None)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--runtimes", action="store_true", help="compare 0.2.0's and 0.3's runtimes")
    ap.add_argument("--claims", metavar="REV", help="compare claims + facts with git REV's model")
    args = ap.parse_args()
    texts = [d.text for d in read_articles(args.data / "dev-articles").values()]
    if args.claims:
        got = compare_claims(args.claims, args.data)
        print("| pipe() over the PTC dev articles | value |")
        print("|---|---|")
        for name, v in got.items():
            cell = f"{v:.1%}" if name.startswith("share") else f"{v:,.0f}"
            print(f"| {name} | {v:.3f} |" if name.startswith("ratio") else f"| {name} | {cell} |")
        return
    if args.runtimes:
        from propscope.model import DEFAULT_MODEL_DIR

        got = compare_runtimes(Path(args.model) if args.model else DEFAULT_MODEL_DIR, texts)
        print("| runtime | pipe() words/s without facts |")
        print("|---|---|")
        for name, wps in got.items():
            print(f"| {name} | {wps:,.0f} |")
        return
    nlp = Pipeline(load_model(args.model))
    threads = os.cpu_count() or 1
    r: dict[str, float | str] = {
        "model": nlp.info.name,
        "cpus": threads,
        "articles": len(texts),
        "words": sum(map(words, texts)),
    }
    r["pipe_words_per_s"] = bench_pipe(nlp, texts)
    r["pipe_no_facts_words_per_s"] = bench_pipe(Pipeline(nlp.model, facts=False), texts)
    if not nlp.model.is_baseline:
        from propscope.model import DEFAULT_MODEL_DIR

        model_dir = Path(args.model) if args.model else DEFAULT_MODEL_DIR
        for k in (1, 2):
            r[f"pipe_no_facts_{k}_thread_words_per_s"] = bench_threads(model_dir, texts, k)
    if not args.no_baseline:
        r["torch_fp32_words_per_s"] = bench_torch_baseline(texts, threads)
        r["speedup"] = float(r["pipe_words_per_s"]) / float(r["torch_fp32_words_per_s"])
    one = text_of_words(texts, 800)
    nlp.analyze(one)
    lat = []
    for _ in range(20):
        t0 = time.perf_counter()
        nlp.analyze(one)
        lat.append(time.perf_counter() - t0)
    r["warm_latency_800_words_ms"] = statistics.median(lat) * 1000
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "article.txt"
        f.write_text(one, encoding="utf-8")
        r["cold_start_s"], r["cold_start_peak_mb"] = cold_start(f, args.model)
    r["pipe_peak_mb"] = pipe_peak_memory(args.data, args.model)
    if args.json:
        print(json.dumps(r, indent=2))
        return
    print(
        f"# speed of {r['model']} on {threads} CPU cores ({r['articles']} PTC dev articles, "
        f"{r['words']} words)"
    )
    print()
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| pipe() words/s | {r['pipe_words_per_s']:,.0f} | >= 8,000 |")
    print(
        f"| pipe() words/s without fact extraction (spaCy) | "
        f"{r['pipe_no_facts_words_per_s']:,.0f} | |"
    )
    for k in (1, 2):
        if f"pipe_no_facts_{k}_thread_words_per_s" in r:
            print(
                f"| the same, encoder on {k} thread{'s' if k > 1 else ''} | "
                f"{r[f'pipe_no_facts_{k}_thread_words_per_s']:,.0f} | |"
            )
    if "speedup" in r:
        print(
            f"| transformers + torch fp32 words/s (baseline) | "
            f"{r['torch_fp32_words_per_s']:,.0f} | |"
        )
        print(f"| speed-up over the baseline | {r['speedup']:.2f}x | >= 2.5x |")
    print(
        f"| warm latency, one 800-word article | {r['warm_latency_800_words_ms']:.0f} ms | "
        "<= 100 ms |"
    )
    print(f"| `propscope analyze FILE`, cold start | {r['cold_start_s']:.2f} s | <= 1.5 s |")
    print(f"| peak memory, cold-start analyze | {r['cold_start_peak_mb']:.0f} MB | <= 600 MB |")
    print(f"| peak memory, pipe() over dev | {r['pipe_peak_mb']:.0f} MB | <= 600 MB |")


if __name__ == "__main__":
    main()
