"""Training data augmentation: name-swapped copies of PTC articles (issue 6).

A copy names the other side of each pair of ``audit/pairs.tsv`` and carries the gold spans
mapped onto its text, so the detector learns the rhetoric rather than the names.
"""

from __future__ import annotations

from collections.abc import Sequence

from propscope.audit.swap import Pair, map_forward, swap_text
from propscope.corpus.ptc import Document, GoldSpan

SWAP_SUFFIX = "_swap"


def augment_document(
    doc: Document, pairs: Sequence[Pair], *, suffix: str = SWAP_SUFFIX
) -> Document | None:
    """A swapped copy of a PTC document with its gold spans mapped into it (``id`` + suffix),
    or ``None`` when it names no one in ``pairs``."""
    sw = swap_text(doc.text, pairs)
    if not sw.changed:
        return None
    spans = [GoldSpan(*map_forward(sw, s.start, s.end), s.technique) for s in doc.spans]
    si_spans = [map_forward(sw, s, e) for s, e in doc.si_spans]
    return Document(doc.id + suffix, sw.text, doc.path, spans, si_spans)
