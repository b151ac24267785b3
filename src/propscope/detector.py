"""The trained detector: an encoder's block scores, the decoder, and the two heads.

Data path of ``process``: text -> blocks -> block scores (``infer.scores``: a window per line
through the encoder) -> candidates (``decode_block``: runs of inside tokens, classified by the
span classifier, some grown to their clause) -> spans with two calibrated probabilities
(``calibrate``: that the text is a persuasion span, and that it uses its technique given that
it is one; spans below the operating point's ``min_score`` left out); and per sentence its
propaganda score (``decode.sentences``) and check-worthiness score: from the claims model
(``claims/model.py``, a fine-tuned encoder of its own reading each sentence alone) where the
folder has ``claims.onnx``, else from 0.3's head on the detector's hidden states
(``claims.checkworthy``). One block is scored at a time and dropped (bounded memory).
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from propscope.claims.checkworthy import claim_scores
from propscope.claims.model import ClaimsModel
from propscope.decode.sentences import sentence_score
from propscope.decode.spans import (
    Candidate,
    DecoderConfig,
    calibrate,
    decode_block,
    technique_probs,
)
from propscope.infer.encoder import Encoder, FArr, OnnxEncoder
from propscope.infer.features import span_features
from propscope.infer.heads import MlpHead
from propscope.infer.scores import BlockScorer, BlockScores, RuntimeSettings
from propscope.infer.tokenize import TextTokenizer
from propscope.model import DocScores
from propscope.models.folder import CLAIMS_MODEL, ModelFolder
from propscope.segment.windows import StartIndex, starting_in
from propscope.types import ModelInfo, Span

__all__ = ["DetectorModel", "starting_in"]

CLAIMS_CHUNK = 1024  # sentences the claims model is given at once


class DetectorModel:
    """Implements ``propscope.model.Model`` for any ``Encoder`` (ONNX at run time; PyTorch
    during training; an average of several for the ensemble benchmark)."""

    is_baseline = False

    def __init__(
        self,
        info: ModelInfo,
        encoder: Encoder,
        tokenizer: TextTokenizer,
        runtime: RuntimeSettings,
        decoder: DecoderConfig,
        tc_head: MlpHead,
        labels: Sequence[str],
        claims_head: MlpHead | None = None,
        claim_threshold: float | None = None,
        operating_points: Mapping[str, float] | None = None,
        claims_model: ClaimsModel | None = None,
    ) -> None:
        self.info = info
        self.scorer = BlockScorer(encoder, tokenizer, runtime)
        self.cfg = decoder
        self.tc_head = tc_head
        self.labels = list(labels)
        self.claims_model = claims_model  # preferred over claims_head when both are given
        self.claims_head = claims_head if claims_model is None else None
        has_claims = claims_head is not None or claims_model is not None
        self.claim_threshold = claim_threshold if has_claims else None
        self.operating_points: Mapping[str, float] = dict(operating_points or {})

    @classmethod
    def from_folder(cls, folder: ModelFolder, encoder: Encoder | None = None) -> DetectorModel:
        """The folder's model, run by ``encoder`` (default: its ONNX file)."""
        meta = folder.meta
        tokenizer = TextTokenizer(folder.file("tokenizer.json"))
        claims_model = None
        if folder.has_claims_model and meta.claims is not None:
            claims_model = ClaimsModel(
                folder.file(CLAIMS_MODEL),
                tokenizer,
                max_tokens=meta.claims.max_tokens,
                platt=meta.claims.platt,
            )
        claims_head = None if claims_model is not None else folder.claims_head()
        return cls(
            ModelInfo(meta.name, meta.version),
            encoder or OnnxEncoder(folder.file("model.onnx")),
            tokenizer,
            meta.runtime,
            meta.decoder,
            folder.tc_head(),
            meta.labels,
            claims_head,
            meta.claims.threshold if meta.claims is not None else None,
            meta.operating_points,
            claims_model,
        )

    @classmethod
    def load(cls, path: Path, *, verify: bool = True) -> DetectorModel:
        return cls.from_folder(ModelFolder.read(path, verify=verify))

    # -- scores -> candidates -> spans ------------------------------------------------------
    def technique_logits(
        self, scores: BlockScores, text: str, spans: Sequence[tuple[int, int]]
    ) -> FArr:
        """Span classifier logits (before the decoder's temperature)."""
        return self.tc_head(span_features(scores, text, spans))

    def candidates(
        self, scores: BlockScores, text: str, cfg: DecoderConfig | None = None
    ) -> list[Candidate]:
        """The decoder on one block (``cfg``: another decoder configuration, for tuning)."""
        return decode_block(scores, text, cfg or self.cfg, self.labels, self.technique_logits)

    def process(
        self,
        text: str,
        sentences: Sequence[tuple[int, int]],
        *,
        min_score: float | None = None,
    ) -> DocScores:
        cfg = self.cfg if min_score is None else replace(self.cfg, min_score=min_score)
        spans: list[Span] = []
        # one float a sentence, held as doubles (8 bytes, not 32: a long text has many)
        sent_scores = array("d", bytes(8 * len(sentences)))
        claims = array("d", bytes(8 * len(sentences)))
        starting = StartIndex(sentences)
        for scores in self.scorer.score_text(text):
            spans.extend(calibrate(self.candidates(scores, text), cfg))
            mine = starting(scores.start, scores.end)
            for i in mine:
                sent_scores[i] = sentence_score(scores, *sentences[i])
            if self.claims_head is not None:
                got = claim_scores(self.claims_head, scores, [sentences[i] for i in mine])
                for i, c in zip(mine, got, strict=True):
                    claims[i] = c
        if self.claims_model is not None:
            # a chunk of sentences at a time (each is scored alone): their texts, token ids and
            # pending calls never pile up for a long text
            claims = array("d")
            for k in range(0, len(sentences), CLAIMS_CHUNK):
                chunk = sentences[k : k + CLAIMS_CHUNK]
                claims.extend(self.claims_model.probabilities([text[b:e] for b, e in chunk]))
        has_claims = self.claims_head is not None or self.claims_model is not None
        return DocScores(spans, sent_scores, claims if has_claims else None)

    def claim_scores(self, sentences: Sequence[str]) -> list[float] | None:
        """The claims model on each text (in parallel), else 0.3's head on each text's own
        encoder pass; None without either."""
        if self.claims_model is not None:
            return self.claims_model.probabilities(sentences)
        if self.claims_head is None:
            return None
        return [(self.process(t, [(0, len(t))]).claim_scores or [0.0])[0] for t in sentences]

    def detect(self, text: str) -> list[Span]:
        return self.process(text, []).spans

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        """The most likely technique of each span (with the decoder's temperature), from the
        scores of the block that holds its start."""
        result: list[tuple[str, float]] = [(self.labels[0], 0.0)] * len(spans)
        starting = StartIndex(spans)
        for bs, be in self.scorer.blocks(text):
            mine = starting(bs, be)
            if not mine:
                continue
            scores = self.scorer.score_block(text, bs, be)
            if scores is None:
                continue
            logits = self.technique_logits(scores, text, [spans[i] for i in mine])
            for i, row in zip(mine, technique_probs(logits, self.cfg), strict=True):
                j = int(np.argmax(row))
                result[i] = (self.labels[j], float(row[j]))
        return result
