"""ModelFolder: the only reader and writer of a model folder."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from propscope.errors import PropscopeError
from propscope.models.folder import ModelFolder, version_in_range
from propscope.version import __version__

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-model"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TINY, tmp_path / "m"))


def _code(path: Path) -> tuple[str, str]:
    with pytest.raises(PropscopeError) as info:
        ModelFolder.read(path)
    return info.value.code.value, info.value.message


def test_reads_runtime_decoder_and_claims_from_meta() -> None:
    f = ModelFolder.read(TINY)
    assert (f.meta.runtime.window, f.meta.runtime.stride, f.meta.runtime.batch_size) == (32, 24, 1)
    assert (f.meta.runtime.anchor, f.meta.runtime.context) == ("lines", 4)
    assert f.meta.decoder.threshold == 0.3
    assert f.meta.claims is not None and f.meta.claims.threshold == 0.0
    assert f.has_claims_head


def test_labels_must_be_the_technique_list(copy: Path) -> None:
    labels = json.loads((copy / "labels.json").read_text())
    (copy / "labels.json").write_text(json.dumps(labels[::-1]))
    code, message = _code(copy)
    assert code == "E020" and "labels" in message


def test_version_range_must_admit_this_propscope(copy: Path) -> None:
    meta = json.loads((copy / "meta.json").read_text())
    meta["requires_propscope"] = ">=9.0"
    (copy / "meta.json").write_text(json.dumps(meta))
    code, message = _code(copy)
    assert code == "E020" and ">=9.0" in message and __version__ in message


def test_unreadable_meta_is_refused(copy: Path) -> None:
    (copy / "meta.json").write_text("{not json")
    assert _code(copy)[0] == "E020"


def test_write_hashes_every_file_and_regenerates_the_card(copy: Path, tmp_path: Path) -> None:
    f = ModelFolder.read(copy)
    out = tmp_path / "out"
    files = {n: copy / n for n in ("model.onnx", "tokenizer.json", "tc_head.npz")}
    g = ModelFolder.write(out, replace(f.meta, name="renamed", claims=None), files)
    assert set(g.meta.sha256) == {"model.onnx", "tokenizer.json", "tc_head.npz", "labels.json"}
    assert not g.has_claims_head
    again = ModelFolder.read(out)
    assert again.meta == g.meta
    assert "# renamed 0" in (out / "MODEL_CARD.md").read_text()
    # update: a new head and a new threshold, hashes and card redone
    h = again.update(replace(again.meta, version="1"), {"claims_head.npz": f.claims_head()})  # type: ignore[dict-item]
    assert "claims_head.npz" in h.meta.sha256 and h.meta.claims is not None
    assert ModelFolder.read(out).meta.version == "1"
    assert "# renamed 1" in (out / "MODEL_CARD.md").read_text()


def test_tampered_file_fails_its_hash(copy: Path) -> None:
    data = (copy / "claims_head.npz").read_bytes()
    (copy / "claims_head.npz").write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    code, message = _code(copy)
    assert code == "E020" and "claims_head.npz" in message


@pytest.mark.parametrize(
    ("version", "spec", "ok"),
    [
        ("0.2.0", ">=0.2,<0.3", True),
        ("0.3.0", ">=0.2,<0.3", False),
        ("0.1.9", ">=0.2,<0.3", False),
        ("0.2.5", "==0.2.5", True),
        ("0.2.5", ">0.2.5", False),
        ("0.2.5", "<=0.2.5", True),
        ("1.0.0", "", True),
    ],
)
def test_version_in_range(version: str, spec: str, ok: bool) -> None:
    assert version_in_range(version, spec) is ok


def test_bad_version_clause_is_an_error() -> None:
    with pytest.raises(ValueError):
        version_in_range("0.2.0", "~=0.2")
