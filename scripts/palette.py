"""The technique palette, measured: how far apart the 14 colours stay for every viewer.

Usage::

    python scripts/palette.py            # figures for the shipped palette (and the old one)
    python scripts/palette.py --search   # the seeded search that chose the shipped palette
    python scripts/palette.py --check    # exit 1 when the shipped palette is below THRESHOLDS

How it measures
---------------
* Colour-vision deficiency is simulated with the matrices of Machado, Oliveira & Fernandes
  (2009, "A physiologically-based model for simulation of color vision deficiency") at severity
  1.0 for protanopia, deuteranopia and tritanopia, applied to *linear* RGB (sRGB decoded,
  multiplied, clipped to [0, 1], encoded again).
* Distances are CIEDE2000 (Sharma, Wu & Dalal 2005) between CIELAB values (D65 white,
  sRGB -> XYZ -> L*a*b*).
* Each colour is measured as the page uses it (render.js ``paint``): an underline in the full
  colour, and a light tint, the colour at alpha 0.06 + 0.2 * score over the white text box,
  measured at score 0.5 (``TINT_ALPHA`` = 0x29 / 255); browsers composite that in sRGB, so the
  tint is ``a * c + (1 - a) * white``.
* The figure of merit is the smallest pairwise distance among the 14 colours, under normal
  vision and each simulation, for underlines and for tints. Underlines must also keep a WCAG
  contrast ratio of at least 3:1 against white (WCAG 2.1, 1.4.11, non-text contrast).

Fourteen colours cannot all be told apart by a dichromat: the figures say how close the
closest pair comes, so a regression is visible and ``--check`` (run by tests/test_palette.py)
fails when a colour change makes any minimum fall below ``THRESHOLDS``.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

# --- colour science ---------------------------------------------------------------------------

# Machado, Oliveira & Fernandes (2009), severity 1.0; rows map linear (R, G, B) to the simulated
# linear R, G, B. Each row sums to 1, so white and greys are unchanged.
MACHADO: dict[str, Array] = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
VISIONS: tuple[str, ...] = ("normal", *MACHADO)

# render.js paint() tints a span with its colour at alpha 0.06 + 0.2 * score over the white text
# box; the palette is measured at a span scored 0.5 (0x29), and the table also shows score 1.
TINT_ALPHA = round(255 * (0.06 + 0.2 * 0.5)) / 255
STRONGEST_TINT_ALPHA = round(255 * (0.06 + 0.2 * 1.0)) / 255
WHITE = np.ones(3)

# sRGB (D65) -> CIE XYZ, and the D65 reference white
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_D65 = _RGB_TO_XYZ @ np.ones(3)


def hex_to_rgb(colours: Iterable[str]) -> Array:
    """``#rrggbb`` strings -> an (n, 3) array of sRGB values in [0, 1]."""
    out = [[int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)] for c in colours]
    return np.array(out, dtype=np.float64).reshape(-1, 3)


def rgb_to_hex(rgb: Array) -> list[str]:
    q = np.clip(np.round(np.asarray(rgb).reshape(-1, 3) * 255), 0, 255).astype(int)
    return ["#" + "".join(f"{v:02x}" for v in row) for row in q]


def to_linear(srgb: Array) -> Array:
    s = np.asarray(srgb, dtype=np.float64)
    return np.where(s <= 0.04045, s / 12.92, ((np.maximum(s, 0.04045) + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: Array) -> Array:
    v = np.clip(np.asarray(linear, dtype=np.float64), 0.0, 1.0)
    return np.where(
        v <= 0.0031308, v * 12.92, 1.055 * np.maximum(v, 0.0031308) ** (1 / 2.4) - 0.055
    )


def simulate(srgb: Array, vision: str) -> Array:
    """sRGB colours (n, 3) as a viewer with ``vision`` sees them (Machado 2009, severity 1)."""
    if vision == "normal":
        return np.asarray(srgb, dtype=np.float64)
    return to_srgb(to_linear(srgb) @ MACHADO[vision].T)


def srgb_to_lab(srgb: Array) -> Array:
    xyz = to_linear(srgb) @ _RGB_TO_XYZ.T / _D65
    e, k = 216 / 24389, 24389 / 27
    f = np.where(xyz > e, np.cbrt(xyz), (k * xyz + 16) / 116)
    lab = np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])],
        axis=-1,
    )
    return np.asarray(lab, dtype=np.float64)


def ciede2000(lab1: Array, lab2: Array) -> Array:
    """CIEDE2000 colour difference (kL = kC = kH = 1), broadcasting over leading axes."""
    lab1 = np.asarray(lab1, dtype=np.float64)
    lab2 = np.asarray(lab2, dtype=np.float64)
    L1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    L2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    both = (c1p * c2p) != 0

    d_l = L2 - L1
    d_c = c2p - c1p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(both, dh, 0.0)
    d_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))

    l_bar = (L1 + L2) / 2
    cp_bar = (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_bar = np.where(
        np.abs(h1p - h2p) <= 180,
        h_sum / 2,
        np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2),
    )
    h_bar = np.where(both, h_bar, h_sum)
    t = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    out = np.sqrt(
        (d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)
    )
    return np.asarray(out, dtype=np.float64)


def contrast_with_white(srgb: Array) -> Array:
    """WCAG 2.1 contrast ratio of each colour against white."""
    y = to_linear(srgb) @ np.array([0.2126, 0.7152, 0.0722])
    return np.asarray(1.05 / (y + 0.05), dtype=np.float64)


def tint(srgb: Array, alpha: float | None = None) -> Array:
    """The colour at ``alpha`` (default TINT_ALPHA) over white, composited in sRGB as browsers
    do."""
    alpha = TINT_ALPHA if alpha is None else alpha
    return np.asarray(alpha * np.asarray(srgb) + (1 - alpha) * WHITE, dtype=np.float64)


# --- the measure ----------------------------------------------------------------------------

STYLES: tuple[str, ...] = ("underline", "tint")


def distance_matrices(srgb: Array, alpha: float | None = None) -> dict[tuple[str, str], Array]:
    """Pairwise CIEDE2000 per (style, vision), tints at ``alpha`` (default TINT_ALPHA); the
    diagonal is +inf."""
    out: dict[tuple[str, str], Array] = {}
    for style in STYLES:
        shown = srgb if style == "underline" else tint(srgb, alpha)
        for vision in VISIONS:
            lab = srgb_to_lab(simulate(shown, vision))
            d = ciede2000(lab[:, None, :], lab[None, :, :])
            np.fill_diagonal(d, np.inf)
            out[(style, vision)] = d
    return out


def minima(colours: Sequence[str]) -> dict[tuple[str, str], float]:
    """The smallest pairwise distance per (style, vision)."""
    return {k: float(d.min()) for k, d in distance_matrices(hex_to_rgb(colours)).items()}


def closest_pair(colours: Sequence[str], style: str, vision: str) -> tuple[int, int]:
    d = distance_matrices(hex_to_rgb(colours))[(style, vision)]
    i, j = np.unravel_index(int(np.argmin(d)), d.shape)
    return int(min(i, j)), int(max(i, j))


# The floors --check enforces: the shipped palette's measured minima, rounded down. A colour
# change that brings any pair closer than these fails tests/test_palette.py.
THRESHOLDS: dict[tuple[str, str], float] = {
    ("underline", "normal"): 8.5,
    ("underline", "protanopia"): 7.8,
    ("underline", "deuteranopia"): 6.9,
    ("underline", "tritanopia"): 7.1,
    ("tint", "normal"): 1.8,
    ("tint", "protanopia"): 1.5,
    ("tint", "deuteranopia"): 1.6,
    ("tint", "tritanopia"): 1.5,
}
MIN_CONTRAST = 3.0  # underline against white (WCAG 1.4.11)

# The palette before issue 15 (matplotlib's tab20 picks), for the before/after table.
OLD_PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#ff7f0e",
    "#2ca02c",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#c5b0d5",
)

# --- the search -----------------------------------------------------------------------------

# Qualitative palettes designed for colour-blind readers: Paul Tol's (personal.sron.nl/~pault,
# bright, high-contrast, vibrant, muted, medium-contrast, light, dark) and Okabe & Ito's.
BASE_CANDIDATES: tuple[str, ...] = (
    # Tol bright
    *("#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb"),
    # Tol high-contrast
    *("#004488", "#ddaa33", "#bb5566"),
    # Tol vibrant
    *("#0077bb", "#33bbee", "#009988", "#ee7733", "#cc3311", "#ee3377"),
    # Tol muted
    *("#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677"),
    *("#882255", "#aa4499", "#dddddd"),
    # Tol medium-contrast
    *("#6699cc", "#eecc66", "#994455", "#997700", "#ee99aa"),
    # Tol light
    *("#77aadd", "#99ddff", "#44bb99", "#bbcc33", "#aaaa00", "#eedd88", "#ee8866", "#ffaabb"),
    # Tol dark
    *("#222255", "#225555", "#225522", "#666633", "#663333", "#555555"),
    # Okabe-Ito
    *("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"),
)
LIGHTNESS_STEPS = tuple(float(s) for s in range(-35, 16, 5))  # CIELAB L* shifts: the variants
MIN_LIGHTNESS = 25.0  # L*: darker colours read as black underlines and grey tints


def lab_to_srgb(lab: Array) -> Array:
    """CIELAB -> sRGB, unclipped (values outside [0, 1] are out of gamut)."""
    lab = np.asarray(lab, dtype=np.float64)
    fy = (lab[..., 0] + 16) / 116
    fx = fy + lab[..., 1] / 500
    fz = fy - lab[..., 2] / 200
    e, k = 216 / 24389, 24389 / 27
    f = np.stack([fx, fy, fz], axis=-1)
    xyz = np.where(f**3 > e, f**3, (116 * f - 16) / k) * _D65
    lin = xyz @ np.linalg.inv(_RGB_TO_XYZ).T
    s = np.sign(lin) * np.where(
        np.abs(lin) <= 0.0031308, np.abs(lin) * 12.92, 1.055 * np.abs(lin) ** (1 / 2.4) - 0.055
    )
    return np.asarray(s, dtype=np.float64)


def candidates(min_contrast: float = MIN_CONTRAST) -> list[str]:
    """The base palettes and their lighter/darker variants that keep ``min_contrast`` against
    white and an L* of at least MIN_LIGHTNESS."""
    base = hex_to_rgb(BASE_CANDIDATES)
    lab = srgb_to_lab(base)
    out: list[str] = []
    for step in LIGHTNESS_STEPS:
        shifted = lab.copy()
        shifted[:, 0] = shifted[:, 0] + step
        rgb = lab_to_srgb(shifted)
        ok = (shifted[:, 0] >= MIN_LIGHTNESS) & np.all((rgb >= -1e-6) & (rgb <= 1 + 1e-6), axis=1)
        for c in rgb_to_hex(rgb[ok]):
            if c not in out:
                out.append(c)
    keep = contrast_with_white(hex_to_rgb(out)) >= min_contrast
    return [c for c, k in zip(out, keep, strict=True) if k]


def score(mins: dict[tuple[str, str], float]) -> float:
    """What the search maximises: the worst minimum, tints weighted up by TINT_WEIGHT (a tint
    is a fifth as saturated as its colour, so its distances are a few times smaller)."""
    return min(v * (TINT_WEIGHT if style == "tint" else 1.0) for (style, _), v in mins.items())


TINT_WEIGHT = 4.5


def search(n: int = 14, seed: int = 15, restarts: int = 400) -> list[str]:
    """Seeded local search: random starting sets, then swaps that raise ``score``."""
    pool = candidates()
    mats = distance_matrices(hex_to_rgb(pool))
    weighted = np.stack(
        [d * (TINT_WEIGHT if style == "tint" else 1.0) for (style, _), d in mats.items()]
    )
    worst = weighted.min(axis=0)  # (m, m): the worst condition for each pair
    rng = np.random.default_rng(seed)
    m = len(pool)
    best: tuple[float, list[int]] = (-1.0, [])
    for _ in range(restarts):
        chosen = list(rng.choice(m, size=n, replace=False))
        current = float(worst[np.ix_(chosen, chosen)].min())
        improved = True
        while improved:
            improved = False
            for pos in range(n):
                others = chosen[:pos] + chosen[pos + 1 :]
                base = float(worst[np.ix_(others, others)].min())
                if base <= current:
                    continue  # the worst pair does not involve this colour
                gain = np.minimum(worst[:, others].min(axis=1), base)
                gain[chosen] = -1.0
                k = int(np.argmax(gain))
                if gain[k] > current + 1e-9:
                    chosen[pos] = k
                    current = float(gain[k])
                    improved = True
        if current > best[0]:
            best = (current, sorted(chosen))
    return [pool[i] for i in best[1]]


def assign(new: Sequence[str], old: Sequence[str]) -> list[str]:
    """Order ``new`` so each technique gets the new colour nearest its old one (optimal
    assignment by exhaustive improvement of pairwise swaps, which converges for 14)."""
    d = ciede2000(
        srgb_to_lab(hex_to_rgb(old))[:, None, :], srgb_to_lab(hex_to_rgb(new))[None, :, :]
    )
    order = list(range(len(new)))
    improved = True
    while improved:
        improved = False
        for i, j in itertools.combinations(range(len(order)), 2):
            now = d[i, order[i]] + d[j, order[j]]
            if d[i, order[j]] + d[j, order[i]] < now - 1e-9:
                order[i], order[j] = order[j], order[i]
                improved = True
    return [new[k] for k in order]


# --- the shipped palette and the report --------------------------------------------------------


def shipped() -> list[tuple[str, str]]:
    """(label, colour) of propscope.techniques, read from the source tree."""
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "src"))
    from propscope.techniques import TECHNIQUES

    return [(t.label, t.colour) for t in TECHNIQUES]


def table(rows: list[tuple[str, Sequence[str]]]) -> str:
    head = f"{'palette':<10} {'style':<10}" + "".join(f"{v:>14}" for v in VISIONS)
    lines = [head, "-" * len(head)]
    for name, colours in rows:
        mins = minima(colours)
        for style in STYLES:
            lines.append(
                f"{name:<10} {style:<10}" + "".join(f"{mins[(style, v)]:>14.2f}" for v in VISIONS)
            )
        strong = distance_matrices(hex_to_rgb(colours), STRONGEST_TINT_ALPHA)
        lines.append(
            f"{name:<10} {'tint@1.0':<10}"
            + "".join(f"{strong[('tint', v)].min():>14.2f}" for v in VISIONS)
        )
        c = contrast_with_white(hex_to_rgb(colours))
        lines.append(f"{name:<10} {'contrast':<10} min {c.min():.2f}:1 against white")
    return "\n".join(lines)


def check(colours: Sequence[str]) -> list[str]:
    """What is wrong with a palette: each minimum below its threshold, each colour below
    MIN_CONTRAST, duplicates."""
    problems = []
    mins = minima(colours)
    for key, floor in THRESHOLDS.items():
        if mins[key] < floor:
            i, j = closest_pair(colours, *key)
            problems.append(
                f"{key[0]} under {key[1]}: min CIEDE2000 {mins[key]:.2f} < {floor:.2f} "
                f"({colours[i]} vs {colours[j]})"
            )
    for c, r in zip(colours, contrast_with_white(hex_to_rgb(colours)), strict=True):
        if r < MIN_CONTRAST:
            problems.append(f"{c}: contrast {r:.2f}:1 against white < {MIN_CONTRAST}:1")
    if len(set(colours)) != len(colours):
        problems.append("duplicate colours")
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    p.add_argument("--check", action="store_true", help="exit 1 below the thresholds")
    p.add_argument("--search", action="store_true", help="run the seeded search")
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--tint-alpha", type=lambda v: int(v, 16), help="tint alpha as hex (default 2e)")
    p.add_argument("--restarts", type=int, default=400)
    args = p.parse_args(argv)
    global TINT_ALPHA
    if args.tint_alpha is not None:
        TINT_ALPHA = args.tint_alpha / 255

    current = shipped()
    colours = [c for _, c in current]
    if args.check:
        problems = check(colours)
        for line in problems:
            print(f"palette: {line}", file=sys.stderr)
        if not problems:
            print(
                "palette: ok ("
                + ", ".join(f"{k[0]}/{k[1]} >= {v}" for k, v in THRESHOLDS.items())
                + ")"
            )
        return 1 if problems else 0

    rows: list[tuple[str, Sequence[str]]] = [("before", OLD_PALETTE), ("shipped", colours)]
    if args.search:
        found = assign(search(seed=args.seed, restarts=args.restarts), OLD_PALETTE)
        rows.append(("search", found))
        print(f"candidates: {len(candidates())} (contrast >= {MIN_CONTRAST}:1 against white)")
        print("search result, in technique order:")
        for (label, _), c in zip(current, found, strict=True):
            print(f"  {label:<36} {c}")
    print(
        "minimum pairwise CIEDE2000 among the 14 colours "
        "(Machado 2009 simulation, severity 1.0, linear RGB)"
    )
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
