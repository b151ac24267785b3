"""WordPiece tokenization with character offsets into the original string."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from tokenizers import Tokenizer

from propscope.segment.windows import LINE_BREAK


class TextTokenizer:
    def __init__(self, path: Path) -> None:
        self.tok = Tokenizer.from_file(str(path))
        self.tok.no_truncation()
        self.tok.no_padding()
        self.cls_id = self._special("[CLS]", "<s>")
        self.sep_id = self._special("[SEP]", "</s>")
        self.pad_id = self._special("[PAD]", "<pad>")

    def _special(self, token: str, alt: str) -> int:
        """Id of a BERT-style special token, or of its RoBERTa/MPNet-style twin."""
        for t in (token, alt):
            if (i := self.tok.token_to_id(t)) is not None:
                return int(i)
        from propscope.errors import Code, PropscopeError

        raise PropscopeError(Code.BAD_MODEL, f"tokenizer has no {token} token")

    def encode(self, text: str) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Token ids and (n, 2) character offsets of ``text`` (no special tokens).

        Every line break (``segment.windows.LINE_BREAKS``) reads as ``\n``, one character for
        one (offsets unchanged): a WordPiece normaliser deletes control characters such as NEL,
        VT and FF, which would glue the words on either side of the break into one."""
        enc = self.tok.encode(LINE_BREAK.sub("\n", text), add_special_tokens=False)
        ids = np.asarray(enc.ids, dtype=np.int64)
        offs = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
        return ids, offs
