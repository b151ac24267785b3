"""scripts/palette.py: the colour-vision simulator and CIEDE2000 pinned on known values, and the
shipped technique palette held at the minimum distances measured when it was chosen."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from propscope.techniques import TECHNIQUES

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "palette.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("propscope_palette_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


palette = _load()
SHIPPED = [t.colour for t in TECHNIQUES]

# Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula", Table 1 (pairs 1, 2,
# 7, 11, 14, 17, 23, 26, 34): L*a*b* of both colours and the published difference.
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
    ((50.0, 2.5, 0.0), (50.0, 0.0, -2.5), 4.3065),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA)
def test_ciede2000_matches_sharma(
    lab1: tuple[float, ...], lab2: tuple[float, ...], expected: float
) -> None:
    a, b = np.array(lab1), np.array(lab2)
    assert float(palette.ciede2000(a, b)) == pytest.approx(expected, abs=1e-4)
    assert float(palette.ciede2000(b, a)) == pytest.approx(expected, abs=1e-4)  # symmetric


def test_srgb_to_lab_reference_values() -> None:
    lab = palette.srgb_to_lab(palette.hex_to_rgb(["#ffffff", "#ff0000", "#000000"]))
    np.testing.assert_allclose(lab[0], [100.0, 0.0, 0.0], atol=1e-3)
    np.testing.assert_allclose(lab[1], [53.2408, 80.0925, 67.2032], atol=1e-3)
    np.testing.assert_allclose(lab[2], [0.0, 0.0, 0.0], atol=1e-6)


def test_machado_matrices_keep_white_and_greys() -> None:
    for m in palette.MACHADO.values():
        np.testing.assert_allclose(m.sum(axis=1), 1.0, atol=1e-5)
    greys = palette.hex_to_rgb(["#ffffff", "#808080", "#000000"])
    for vision in palette.MACHADO:
        np.testing.assert_allclose(palette.simulate(greys, vision), greys, atol=1e-5)


def test_pure_colours_through_machado_in_linear_rgb() -> None:
    """Pure red is linear (1, 0, 0): the simulation is the matrix's first column, clipped at
    zero and sRGB-encoded."""
    red = palette.hex_to_rgb(["#ff0000"])
    protan = palette.simulate(red, "protanopia")[0]
    expected_linear = np.array([0.152286, 0.114503, 0.0])  # -0.003882 clipped
    np.testing.assert_allclose(palette.to_linear(protan), expected_linear, atol=1e-6)
    assert palette.rgb_to_hex(protan) == ["#6d5f00"]
    assert palette.rgb_to_hex(palette.simulate(red, "deuteranopia")) == ["#a39000"]
    blue = palette.hex_to_rgb(["#0000ff"])
    tritan = palette.simulate(blue, "tritanopia")[0]
    np.testing.assert_allclose(palette.to_linear(tritan), [0.0, 0.147602, 0.3039], atol=1e-6)


def test_srgb_round_trip_and_contrast() -> None:
    rgb = palette.hex_to_rgb(["#123456", "#abcdef"])
    np.testing.assert_allclose(palette.to_srgb(palette.to_linear(rgb)), rgb, atol=1e-12)
    assert palette.contrast_with_white(palette.hex_to_rgb(["#000000"]))[0] == pytest.approx(21.0)
    assert palette.contrast_with_white(palette.hex_to_rgb(["#767676"]))[0] == pytest.approx(
        4.54, abs=0.01
    )


def test_tint_is_the_colour_over_white_at_the_pages_alpha() -> None:
    # render.js paint(): alpha 0.06 + 0.2 * score, measured at score 0.5
    assert pytest.approx(0x29 / 255) == palette.TINT_ALPHA
    assert palette.rgb_to_hex(palette.tint(palette.hex_to_rgb(["#000000"]))) == ["#d6d6d6"]


def test_shipped_palette_meets_its_measured_floors() -> None:
    assert len(SHIPPED) == 14 and len(set(SHIPPED)) == 14
    mins = palette.minima(SHIPPED)
    for key, floor in palette.THRESHOLDS.items():
        assert mins[key] >= floor, (key, mins[key], floor)
    # the floors are the measured ones, not loose bounds
    assert palette.THRESHOLDS[("underline", "deuteranopia")] >= 6.9
    assert palette.THRESHOLDS[("tint", "deuteranopia")] >= 1.6
    assert min(palette.contrast_with_white(palette.hex_to_rgb(SHIPPED))) >= palette.MIN_CONTRAST
    assert palette.check(SHIPPED) == []


def test_old_palette_fails_the_check() -> None:
    problems = palette.check(list(palette.OLD_PALETTE))
    assert any("protanopia" in p for p in problems)
    assert any("contrast" in p for p in problems)
    assert min(palette.minima(palette.OLD_PALETTE).values()) < 0.5  # tints under protanopia


def test_one_wrong_colour_fails_the_check() -> None:
    # a second dark blue next to Whataboutism's #004488
    wrong = [*SHIPPED[:-2], "#0a4a8a", SHIPPED[-1]]
    assert palette.check(wrong)


def test_search_is_seeded_and_reproduces_the_shipped_palette() -> None:
    found = palette.assign(palette.search(), palette.OLD_PALETTE)
    assert found == SHIPPED


def test_check_command() -> None:
    r = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert "palette: ok" in r.stdout
    r = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "before" in r.stdout and "shipped" in r.stdout and "tritanopia" in r.stdout
