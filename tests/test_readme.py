"""The README's commands run as written.

Fast: every shell command in the README's fenced ``bash`` blocks, and every command in its
inline code (`` `propscope ...` ``, `` `.venv/bin/python benchmarks/...` ``, `` `bash scripts/...`
``), names a subcommand that exists, only options that subcommand takes (or, for a benchmark or
script, options its source defines), and files that are there.

Slow (``-m slow``): every fenced command that needs no training, GPU, PostgreSQL, network or
long run is run, in a scratch folder that sees the repository's ``.venv``, ``examples`` and
``../shared/data`` at the same relative paths; the others are in ``SKIP`` below, each with its
reason. Synopsis lines (placeholders such as ``FILE`` or ``[--db URL]``) are checked, not run.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from propscope.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"

# Fenced commands that are not run by the slow test, and why (matched against the start of
# the command, after any VAR=value assignments).
SKIP: dict[str, str] = {
    "bash scripts/setup.sh": "sets up .venv, the environment this test runs in (.ci/run and "
    "every fresh clone run it)",
    "bash scripts/test.sh": "runs this whole test suite (.ci/run runs it)",
    "propscope analyze page.html https://": "fetches a URL from the internet (no network in "
    "tests; tests/web/test_url.py covers URL input against local servers)",
    "propscope batch ../shared/data/unlabeled-news/allsides_abp_2015-2020.part-00": "analyses "
    "5,981 documents (25 minutes); tests/corpus/ runs batch on small inputs",
    "propscope corpus stats --db news.db": "needs news.db from the 25-minute batch above",
    "propscope serve": "starts a server that runs until stopped; test_readme_serve_and_curl "
    "runs the builtin:lexicon line on a free port, and the fast test checks every line's options",
    "curl ": "needs the server started above (test_readme_serve_and_curl sends it)",
    "propscope audit shift --data ../shared/data/ptc-semeval2020/datasets --split dev": "five "
    "analyses of each of the 75 dev articles (about 10 minutes here); tests/audit runs shift "
    "on small folders",
    "propscope distill": "needs a GPU machine and the base encoders ([train] extra)",
    "propscope train": "trains a model ([train] extra; an epoch takes minutes to hours here)",
    "propscope export": "needs a trained checkpoint ([train] extra)",
    "propscope ship-claims": "needs trained claims checkpoints ([train] extra)",
    "propscope tune-decoder": "needs fold runs of training ([train] extra)",
}

PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_]*(\.\.\.)?$|\[|\]|\|")
# paths the README names that must exist (outputs, after --out, are not checked)
PATH_PREFIXES = ("../shared/data/", "examples/", "scripts/", "benchmarks/", "src/", "docs/")
OUTPUT_OPTIONS = {"--out", "--db", "-o"}


@dataclass(frozen=True)
class Command:
    line: int  # README line where it starts
    text: str  # the command (continuations joined, comment removed)
    fenced: bool  # from a fenced bash block (else inline code)


def _strip_comment(line: str) -> str:
    """``line`` without a trailing ``# comment`` (a # outside quotes after whitespace)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def fenced_commands(text: str) -> list[Command]:
    out = []
    for m in re.finditer(r"^```(bash|sh|shell)\n(.*?)^```", text, flags=re.S | re.M):
        first = text[: m.start(2)].count("\n") + 1
        pending = ""
        start = first
        for n, raw in enumerate(m.group(2).splitlines()):
            line = _strip_comment(raw) if not raw.rstrip().endswith("\\") else raw.rstrip()
            if not pending:
                start = first + n
            if line.endswith("\\"):
                pending += line[:-1].strip() + " "
                continue
            cmd = (pending + line.strip()).strip()
            pending = ""
            if cmd:
                out.append(Command(start, cmd, True))
    return out


INLINE = re.compile(
    r"`((?:[A-Z_]+=\S+ )*(?:\.venv/bin/)?(?:propscope [a-z]|bash scripts/|"
    r"\.venv/bin/python (?:benchmarks|scripts)/|\.venv/bin/python -m pytest)[^`]*)`"
)


def inline_commands(text: str) -> list[Command]:
    fences = [m.span() for m in re.finditer(r"^```.*?^```", text, flags=re.S | re.M)]
    out = []
    for m in INLINE.finditer(text):
        if any(a <= m.start() < b for a, b in fences):
            continue
        out.append(Command(text[: m.start()].count("\n") + 1, " ".join(m.group(1).split()), False))
    return out


def split_line(cmd: str) -> list[str]:
    """``cmd`` split at ``&&``, ``||``, ``;`` and `` | `` outside quotes (``a|b`` in a synopsis,
    such as ``--by source|month``, is an alternation, not a pipe)."""
    parts, cur, quote, i = [], "", "", 0
    while i < len(cmd):
        ch = cmd[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif cmd.startswith(("&&", "||"), i) or ch == ";" or cmd.startswith(" | ", i):
            parts.append(cur)
            cur = ""
            i += 1 if ch == ";" else 2
            continue
        cur += ch
        i += 1
    return [p.strip() for p in (*parts, cur) if p.strip()]


def simple_commands(cmd: str) -> list[list[str]]:
    """The simple commands of a line, as words without VAR=value assignments and without
    redirections."""
    out = []
    for part in split_line(cmd):
        try:
            words = shlex.split(part)
        except ValueError:
            words = part.split()
        while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
            words.pop(0)
        clean = []
        skip_next = False
        for w in words:
            if skip_next:
                skip_next = False
                continue
            if w in ("<", ">", ">>", "2>"):
                skip_next = True
                continue
            clean.append(w)
        if clean:
            out.append(clean)
    return out


class NoSuchCommand(LookupError):
    pass


def is_group(cmd: Any) -> bool:
    # typer builds click commands (its own vendored click): a group has ``commands``
    return isinstance(getattr(cmd, "commands", None), dict)


def resolve(words: list[str]) -> tuple[list[str], Any, list[str]]:
    """``propscope SUB [SUBSUB] args...`` -> (the command path, its click command, the rest)."""
    cmd: Any = typer.main.get_command(app)
    path: list[str] = []
    rest = words[1:]
    while is_group(cmd) and rest and not rest[0].startswith("-"):
        sub = cmd.commands.get(rest[0])
        if sub is None:
            raise NoSuchCommand(f"no subcommand {' '.join([*path, rest[0]])!r}")
        path.append(rest[0])
        cmd, rest = sub, rest[1:]
    return path, cmd, rest


def options_of(cmd: Any) -> set[str]:
    return {o for p in cmd.params for o in (*p.opts, *p.secondary_opts) if o.startswith("-")}


def flags(words: list[str]) -> list[str]:
    out = []
    for w in words:
        w = w.strip("[]")
        m = re.match(r"^(--?[a-zA-Z][\w-]*)", w)
        if m:
            out.append(m.group(1))
    return out


def paths(words: list[str]) -> list[str]:
    out = []
    for prev, w in zip(["", *words], words, strict=False):
        if prev in OUTPUT_OPTIONS:
            continue
        w = w.strip("[]")
        if w.startswith(PATH_PREFIXES) and "*" not in w:
            out.append(w)
    return out


README_TEXT = README.read_text(encoding="utf-8")
FENCED = fenced_commands(README_TEXT)
ALL = FENCED + inline_commands(README_TEXT)


def _id(c: Command) -> str:
    return f"L{c.line}:{c.text[:60]}"


def check_simple(words: list[str], fenced: bool = True) -> list[str]:
    """What is wrong with one simple command (empty: nothing). Prose may name a command
    group alone (`propscope corpus`); a fenced command may not."""
    problems = []
    prog = words[0]
    if prog in ("propscope", ".venv/bin/propscope"):
        try:
            path, cmd, rest = resolve(words)
        except NoSuchCommand as exc:
            return [str(exc)]
        if is_group(cmd) and (fenced or rest):
            return [f"'propscope {' '.join(path)}' needs a subcommand"]
        known = options_of(cmd) | {"--help"}
        problems += [
            f"'propscope {' '.join(path)}' has no option {f}" for f in flags(rest) if f not in known
        ]
    elif prog in (".venv/bin/python", "python") and len(words) > 1:
        # scripts/ and benchmarks/ files are checked for existence with the other paths below
        script = ROOT / words[1]
        if words[1].endswith(".py") and script.is_file():
            source = script.read_text(encoding="utf-8")
            problems += [
                f"{words[1]} defines no option {f}"
                for f in flags(words[2:])
                if f'"{f}"' not in source and f"'{f}'" not in source
            ]
    for p in paths(words):
        if p.startswith("../shared/") and not SHARED.is_dir():
            continue
        if not (ROOT / p).exists():
            problems.append(f"{p} not found")
    return problems


def test_the_readme_has_commands() -> None:
    assert len(FENCED) >= 30
    texts = [c.text for c in FENCED]
    assert any(t.startswith("bash scripts/setup.sh && .venv/bin/propscope analyze") for t in texts)
    # continuation lines are joined, comments dropped
    assert any(t.startswith("curl -s ") and '-d \'{"text"' in t for t in texts)
    assert ".venv/bin/propscope analyze examples/sample_article.txt" in texts[0]
    assert not any("# set up" in t or "analyse a sample" in t for t in texts)


@pytest.mark.parametrize("command", ALL, ids=_id)
def test_readme_command_names_real_subcommands_options_and_files(command: Command) -> None:
    problems = [
        p for words in simple_commands(command.text) for p in check_simple(words, command.fenced)
    ]
    assert not problems, f"README line {command.line}: {command.text}\n" + "\n".join(problems)


def test_the_checker_catches_wrong_commands() -> None:
    assert check_simple(["propscope", "evaluate"]) == ["no subcommand 'evaluate'"]
    assert check_simple(["propscope", "eval", "--splits", "dev"]) == [
        "'propscope eval' has no option --splits"
    ]
    assert check_simple(["propscope", "corpus"]) == ["'propscope corpus' needs a subcommand"]
    assert check_simple(["propscope", "corpus"], fenced=False) == []
    assert split_line("a && b | c; d 'e; f' --by x|y") == ["a", "b", "c", "d 'e; f' --by x|y"]
    assert check_simple(["propscope", "corpus", "stats", "[--by", "source|month]"]) == []
    assert check_simple(["bash", "scripts/nope.sh"]) == ["scripts/nope.sh not found"]
    assert check_simple([".venv/bin/python", "benchmarks/speed.py", "--nope"]) == [
        "benchmarks/speed.py defines no option --nope"
    ]
    assert check_simple(["propscope", "analyze", "examples/nope.txt"]) == [
        "examples/nope.txt not found"
    ]
    assert check_simple(["propscope", "batch", "x.jsonl", "--out", "docs/new-folder"]) == []


def _subcommands() -> list[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for c in ALL:
        for words in simple_commands(c.text):
            if words[0] in ("propscope", ".venv/bin/propscope"):
                with contextlib.suppress(NoSuchCommand):
                    found.add(tuple(resolve(words)[0]))
    return sorted(found)


@pytest.mark.parametrize("path", _subcommands(), ids=" ".join)
def test_help_works_for_every_subcommand_the_readme_uses(path: tuple[str, ...]) -> None:
    r = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "Usage:" in r.output


def test_the_installed_entry_point_lists_the_subcommands() -> None:
    exe = Path(sys.executable).parent / "propscope"
    if not exe.exists():
        pytest.skip(f"{exe} not installed (pip install -e .)")
    r = subprocess.run(
        [exe, "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=60,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    for path in _subcommands():
        assert path[0] in r.stdout


# --- slow: run them --------------------------------------------------------------------------


def skip_reason(words: list[str]) -> str | None:
    joined = " ".join(words)
    if joined.startswith(".venv/bin/propscope "):
        joined = joined[len(".venv/bin/") :]
    for prefix, reason in SKIP.items():
        if joined.startswith(prefix):
            return reason
    if any(PLACEHOLDER.search(w) for w in words):
        return "synopsis with placeholders (checked by the fast test, not run)"
    return None


def runnable() -> list[tuple[Command, str]]:
    """(command, its part to run) for each ``&&`` part of each fenced command not skipped."""
    out = []
    for c in FENCED:
        for part in split_line(c.text):
            words = simple_commands(part)
            if words and skip_reason(words[0]) is None:
                out.append((c, part.strip()))
    return out


RUN = runnable()


def test_the_skip_list_leaves_commands_to_run() -> None:
    texts = [part for _c, part in RUN]
    assert ".venv/bin/propscope analyze examples/sample_article.txt" in texts
    assert any(t.startswith("propscope audit swap --data ../shared/data") for t in texts)
    assert any(t.startswith("propscope ptc-predict") and "--task tc" in t for t in texts)
    # each skip entry still matches a README command (no stale entries)
    starts = [
        " ".join(w).removeprefix(".venv/bin/")
        for c in FENCED
        for part in split_line(c.text)
        for w in simple_commands(part)[:1]
    ]
    for prefix in SKIP:
        assert any(s.startswith(prefix) for s in starts), f"stale SKIP entry {prefix!r}: {starts}"


SAMPLE_HTML = (
    "<html><head><title>t</title></head><body><article><h1>Council</h1><p>{}</p>"
    "</article></body></html>"
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like the checkout: .venv, examples, ... and ../shared beside it, plus
    the README's example inputs (article.txt, a.txt, b.txt, page.html)."""
    base = tmp_path_factory.mktemp("readme")
    work = base / "checkout"
    work.mkdir()
    for name in (".venv", "examples", "scripts", "benchmarks", "src", "docs"):
        if (ROOT / name).exists():
            (work / name).symlink_to(ROOT / name)
    if SHARED.is_dir():
        (base / "shared").symlink_to(SHARED)
    sample = (ROOT / "examples" / "sample_article.txt").read_text(encoding="utf-8")
    for name in ("article.txt", "a.txt", "b.txt"):
        shutil.copy(ROOT / "examples" / "sample_article.txt", work / name)
    (work / "page.html").write_text(SAMPLE_HTML.format(sample), encoding="utf-8")
    return work


@pytest.mark.slow
@pytest.mark.parametrize(("command", "part"), RUN, ids=[f"L{c.line}:{p[:50]}" for c, p in RUN])
def test_readme_command_runs(scratch: Path, command: Command, part: str) -> None:
    if "../shared/" in part and not SHARED.is_dir():
        pytest.skip(f"the shared data is not at {SHARED}")
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PROPSCOPE_PTC_DATA", None)
    r = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {part}"],
        cwd=scratch,
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
        check=False,
    )
    assert r.returncode == 0, f"README line {command.line}: {part}\n{r.stderr[-3000:]}"
    assert "Traceback" not in r.stderr
    if "> report.html" in part:
        assert (scratch / "report.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    elif "--out " in part:
        out = shlex.split(part)[shlex.split(part).index("--out") + 1]
        assert (scratch / out).stat().st_size > 0
    else:
        assert r.stdout.strip(), f"README line {command.line}: {part} printed nothing"


def test_every_error_code_is_in_the_readme_table() -> None:
    from propscope.errors import Code

    rows = dict(re.findall(r"^\| (E\d{3}) \| (.+) \|$", README_TEXT, flags=re.M))
    missing = [c.value for c in Code if c.value not in rows]
    assert not missing, f"error codes without a row in the README's table: {missing}"
    unknown = sorted(set(rows) - {c.value for c in Code})
    assert not unknown, f"README rows for codes that do not exist: {unknown}"


def python_blocks(text: str) -> list[tuple[int, str]]:
    return [
        (text[: m.start(1)].count("\n") + 1, m.group(1))
        for m in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    ]


@pytest.mark.slow
def test_readme_library_example_runs(tmp_path: Path) -> None:
    """The Library section's code, with the names it leaves to the reader (``text``, ``texts``,
    ``other``, ``html``) bound to the sample article; the URL line is left out (network)."""
    (line, code), *_ = python_blocks(README_TEXT)
    assert "propscope.load()" in code
    kept = [ln for ln in code.splitlines() if "analyze_url(" not in ln]
    assert len(kept) == len(code.splitlines()) - 1
    sample = (ROOT / "examples" / "sample_article.txt").read_text(encoding="utf-8")
    prelude = (
        f"text = {sample!r}\ntexts = [text, 'They are evil thugs.']\nother = 'Save our town.'\n"
        f"html = '<html><body><article><p>' + text + '</p></article></body></html>'\n"
    )
    script = tmp_path / "library.py"
    script.write_text(prelude + "\n".join(kept) + "\n", encoding="utf-8")
    r = subprocess.run(
        [sys.executable, script], capture_output=True, text=True, timeout=600, check=False
    )
    assert r.returncode == 0, f"README line {line}: {r.stderr[-3000:]}"
    assert "Loaded_Language" in r.stdout or "Name_Calling" in r.stdout
    assert "id-1" in r.stdout and "id-2" in r.stdout


@pytest.mark.slow
def test_readme_serve_and_curl(scratch: Path) -> None:
    """``propscope serve --model builtin:lexicon --port 8080`` and the README's curl request,
    on a free port instead of 8080 and 8000 (other servers may hold those)."""
    import socket

    serve = next(c.text for c in FENCED if c.text.startswith("propscope serve --model builtin:"))
    curl = next(c.text for c in FENCED if c.text.startswith("curl "))
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    server = subprocess.Popen(
        ["bash", "-c", "exec " + serve.replace("--port 8080", f"--port {port}")],
        cwd=scratch,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        request = curl.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        deadline = time.monotonic() + 120
        while True:
            r = subprocess.run(
                ["bash", "-c", request], capture_output=True, text=True, timeout=60, check=False
            )
            if r.returncode == 0 or time.monotonic() > deadline or server.poll() is not None:
                break
            time.sleep(1)
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=60)
    assert r.returncode == 0, f"{request}\n{r.stderr}\nserver: {err[-2000:]}"
    analysis = json.loads(r.stdout)
    assert analysis["model"]["name"] == "propscope-lexicon-baseline"
    assert {s["technique"] for s in analysis["spans"]}
