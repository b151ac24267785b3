"""Pack what a training run on a lent GPU machine needs into parts small enough to travel.

    propscope distill pack --ptc DIR --news DIR --out .xfer

and on the machine, once every part has arrived: ``cat */bundle.part | tar -x -C DIR``.

The base encoders travel as float16 copies of their sha256-verified weights (float32 is twice
the size). Each copy carries ``SOURCE_SHA256``: the upstream name and digest it was made from
and the digest of the copy, which ``resolve_base`` checks. Data sets travel as a compressed
archive and are unpacked outside the repository.
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
import tarfile
from pathlib import Path

BASE_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")


def fp16_copy(name: str, out: Path) -> Path:
    from safetensors.torch import load_file, save_file

    from propscope.training.base import file_sha256, resolve_base

    src, src_name, src_digest = resolve_base(name)
    dst = out / f"{name}-fp16"
    dst.mkdir(parents=True, exist_ok=True)
    for f in BASE_FILES:
        if (src / f).is_file():
            shutil.copy(src / f, dst / f)
    weights = {
        k: (v.half() if v.is_floating_point() else v).contiguous()
        for k, v in load_file(str(src / "model.safetensors")).items()
    }
    save_file(weights, str(dst / "model.safetensors"), metadata={"format": "pt"})
    (dst / "SOURCE_SHA256").write_text(
        f"{src_name} {src_digest} {file_sha256(dst / 'model.safetensors')}\n"
    )
    return dst


def news_subset(news: Path, limit: int) -> bytes:
    """JSONL (id, text) of the first ``limit`` articles, shards in name order, that share no
    sentence with PTC."""
    from propscope.training.pseudo import read_news

    lines: list[str] = []
    for shard in sorted(news.glob("*.jsonl")):
        lines.extend(
            json.dumps({"id": aid, "text": text}) + "\n"
            for aid, text in read_news(shard, limit - len(lines))
        )
        if len(lines) >= limit:
            break
    return "".join(lines).encode()


def pack(
    ptc: Path, news: Path, out: Path, bases: list[str], news_limit: int, part_mb: float
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    work = out / "work"
    blob = out / "bundle.tar"
    with tarfile.open(blob, "w") as tar:
        for b in bases:
            tar.add(fp16_copy(b, work), arcname=f"bases/{b}")
        for split in ("train", "dev"):
            for p in sorted(ptc.rglob("*")):
                rel = p.relative_to(ptc)
                if p.is_file() and (split in rel.parts[0]):
                    tar.add(p, arcname=f"ptc/{rel}")
        data = gzip.compress(news_subset(news, news_limit))
        info = tarfile.TarInfo("news.jsonl.gz")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    shutil.rmtree(work)
    size = int(part_mb * 1024 * 1024)
    with blob.open("rb") as f:
        k = 0
        while chunk := f.read(size):
            part = out / f"p{k:02d}" / "bundle.part"
            part.parent.mkdir(exist_ok=True)
            part.write_bytes(chunk)
            k += 1
    blob.unlink()
    print(f"{k} parts of at most {part_mb} MB in {out}")
