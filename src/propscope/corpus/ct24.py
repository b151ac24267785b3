"""The CLEF CheckThat! 2024 check-worthiness format: ``Sentence_id<TAB>Text<TAB>class_label``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from propscope.corpus.text import read_text, require_dir
from propscope.errors import Code, PropscopeError

SPLIT_FILES = {
    "train": "CT24_checkworthy_english_train.tsv",
    "dev": "CT24_checkworthy_english_dev.tsv",
    "dev-test": "CT24_checkworthy_english_dev-test.tsv",
}


@dataclass(frozen=True)
class LabelledSentence:
    id: str
    text: str
    label: bool


def read_tsv(path: Path) -> list[LabelledSentence]:
    text = read_text(path)
    rows: list[LabelledSentence] = []
    header_seen = False
    for lineno, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        parts = line.split("\t")
        if not header_seen:
            header_seen = True
            if [p.strip().lower() for p in parts[:3]] == ["sentence_id", "text", "class_label"]:
                continue
        if len(parts) != 3:
            raise PropscopeError(
                Code.MALFORMED_LABEL,
                "expected 3 tab-separated fields (Sentence_id, Text, class_label), "
                f"got {len(parts)}",
                path=str(path),
                line=lineno,
            )
        label = parts[2].strip().lower()
        if label not in ("yes", "no"):
            raise PropscopeError(
                Code.MALFORMED_LABEL,
                f"class_label must be Yes or No, got {parts[2]!r}",
                path=str(path),
                line=lineno,
            )
        rows.append(LabelledSentence(parts[0].strip(), parts[1], label == "yes"))
    return rows


def find_split(data: Path, split: str) -> Path:
    """The TSV of a split in a CT24 folder (the folder itself or its ``Data/``)."""
    require_dir(data)
    if split not in SPLIT_FILES:
        raise PropscopeError(
            Code.BAD_OPTION, f"unknown split {split!r} (choose {', '.join(SPLIT_FILES)})"
        )
    for folder in (data, data / "Data"):
        if (folder / SPLIT_FILES[split]).is_file():
            return folder / SPLIT_FILES[split]
    raise PropscopeError(Code.FILE_NOT_FOUND, f"no {SPLIT_FILES[split]} here", path=str(data))
