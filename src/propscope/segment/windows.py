"""Split long texts into blocks and token windows; offsets always index the original string."""

from __future__ import annotations

from collections.abc import Iterator

BLOCK_CHARS = 20_000


def blocks(text: str, max_chars: int = BLOCK_CHARS) -> Iterator[tuple[int, int]]:
    """Cut ``text`` into pieces of at most ``max_chars`` characters, preferring line breaks,
    then spaces, so memory stays bounded for any input length. Yields (start, end)."""
    n = len(text)
    start = 0
    while start < n:
        end = min(n, start + max_chars)
        if end < n:
            cut = text.rfind("\n", start + max_chars // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + max_chars // 2, end)
            if cut > start:
                end = cut + 1
        yield start, end
        start = end


def windows(n_tokens: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Token windows [a, b) of at most ``size`` tokens, starting every ``stride`` tokens,
    covering all ``n_tokens`` tokens (the last window ends at ``n_tokens``)."""
    if n_tokens <= size:
        return [(0, n_tokens)]
    out = []
    a = 0
    while True:
        b = min(a + size, n_tokens)
        out.append((a, b))
        if b == n_tokens:
            break
        a += stride
    return out
