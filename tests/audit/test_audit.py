"""The swap audit with stub models: one that leans on names, one that is blind to them.

Texts (the offsets are checked below):

    t1 "Democrats are evil."    Democrats 0..9, evil 14..18   (swapped: "Republicans are evil.")
    t2 "Nothing here is evil."  no name: skipped
    t3 "Republicans lie."       Republicans 0..11              (swapped: "Democrats lie.")
    t4 "Israel is evil."        evil 10..14                    (swapped: "Palestine is evil.")

The biased stub labels "Democrats" as name calling, and "evil" as loaded language when the text
names Democrats, else as name calling. So:

    t1 original: D 0..9 NC, evil 14..18 LL   copy (mapped back): evil 14..18 NC
    t3 original: nothing                      copy: 0..11 NC ("Democrats" -> "Republicans")
    t4 original: evil 10..14 NC               copy: evil 10..14 NC

Span agreement (SI of the copy against the original): copy spans 3, p_sum = 1 + 0 + 1;
original spans 3, r_sum = 0 + 1 + 1; P = R = F1 = 2/3. Matched: t1 evil (LL vs NC), t4 evil
(same): technique agreement 1/2. Group "us" (t1, t3): P = R = 1/2, technique 0/1; group "me"
(t4): 1.0 and 1/1.
"""

from __future__ import annotations

import re

import pytest

from propscope.audit.swap import Pair, audit, match_spans
from propscope.types import ModelInfo, Span

PAIRS = [Pair("us", "Democrats", "Republicans"), Pair("me", "Israel", "Palestine")]
TEXTS = [
    ("t1", "Democrats are evil."),
    ("t2", "Nothing here is evil."),
    ("t3", "Republicans lie."),
    ("t4", "Israel is evil."),
]
NC, LL = "Name_Calling,Labeling", "Loaded_Language"


class BiasedStub:
    info = ModelInfo("biased-stub", "0")

    def detect(self, text: str) -> list[Span]:
        spans = [Span(m.start(), m.end(), NC) for m in re.finditer("Democrats", text)]
        tech = LL if "Democrats" in text else NC
        spans += [Span(m.start(), m.end(), tech, 0.9) for m in re.finditer("evil", text)]
        return spans


class BlindStub:
    """Name-blind: charged words only, and a span over each whole line."""

    def detect(self, text: str) -> list[Span]:
        spans = [Span(m.start(), m.end(), LL) for m in re.finditer("evil|lie", text)]
        spans += [Span(m.start(), m.end(), NC) for m in re.finditer(r"[^\n]+", text)]
        return spans


def test_offsets_in_the_docstring() -> None:
    t = dict(TEXTS)
    assert t["t1"][0:9] == "Democrats" and t["t1"][14:18] == "evil"
    assert t["t3"][0:11] == "Republicans"
    assert t["t4"][10:14] == "evil"


def test_a_model_that_leans_on_names_disagrees() -> None:
    r = audit(BiasedStub(), TEXTS, PAIRS)
    assert r["schema"] == "propscope.audit.swap/1"
    assert r["model"] == {"name": "biased-stub", "version": "0"}
    assert (r["texts"], r["swapped_texts"], r["skipped_texts"]) == (4, 3, 1)
    o = r["overall"]
    assert (o["texts"], o["names_swapped"], o["spans_original"], o["spans_swapped"]) == (3, 3, 3, 3)
    assert o["span_precision"] == pytest.approx(2 / 3)
    assert o["span_recall"] == pytest.approx(2 / 3)
    assert o["span_agreement"] == pytest.approx(2 / 3)
    assert (o["matched"], o["same_technique"], o["technique_agreement"]) == (2, 1, 0.5)
    us, me = r["groups"]["us"], r["groups"]["me"]
    assert set(r["groups"]) == {"us", "me"}
    assert us["texts"] == 2 and us["span_agreement"] == pytest.approx(0.5)
    assert us["technique_agreement"] == 0.0
    assert me["texts"] == 1 and me["span_agreement"] == 1.0 and me["technique_agreement"] == 1.0
    assert r["changes"] == {"technique": 1, "missing": 1, "new": 1, "boundary": 0}
    changed = {(c["id"], c["change"]): c for c in r["changed_spans"]}
    assert set(changed) == {("t1", "technique"), ("t1", "missing"), ("t3", "new")}
    tech = changed[("t1", "technique")]
    assert (tech["start"], tech["end"], tech["text"]) == (14, 18, "evil")
    assert (tech["before"], tech["after"]) == (LL, NC)
    assert tech["names"] == ["Democrats -> Republicans"]
    missing = changed[("t1", "missing")]
    assert (missing["text"], missing["before"], missing["after"]) == ("Democrats", NC, None)
    new = changed[("t3", "new")]
    assert (new["text"], new["before"], new["after"]) == ("Republicans", None, NC)
    assert new["names"] == ["Republicans -> Democrats"]
    # the most confident change first (the stub scores "evil" 0.9, the names 1.0)
    order = [(c["id"], c["change"]) for c in r["changed_spans"]]
    assert order == [("t1", "missing"), ("t3", "new"), ("t1", "technique")]


def test_a_name_blind_model_agrees_fully() -> None:
    r = audit(BlindStub(), TEXTS, PAIRS)
    assert r["model"] is None
    o = r["overall"]
    assert o["span_agreement"] == 1.0 and o["technique_agreement"] == 1.0
    assert o["matched"] == o["spans_original"] == o["spans_swapped"] == 6
    for g in r["groups"].values():
        assert g["span_agreement"] == 1.0 and g["technique_agreement"] == 1.0
    assert r["changed_spans"] == []
    assert r["changes"] == {"technique": 0, "missing": 0, "new": 0, "boundary": 0}


def test_top_limits_the_changed_spans() -> None:
    assert len(audit(BiasedStub(), TEXTS, PAIRS, top=1)["changed_spans"]) == 1
    assert audit(BiasedStub(), TEXTS, PAIRS, top=0)["changed_spans"] == []


def test_no_text_names_anyone() -> None:
    r = audit(BiasedStub(), [("a", "Plain words."), ("b", "")], PAIRS)
    assert (r["texts"], r["swapped_texts"], r["skipped_texts"]) == (2, 0, 2)
    assert r["overall"]["technique_agreement"] is None
    assert r["groups"] == {} and r["changed_spans"] == []


def test_a_text_counts_toward_every_group_swapped_in_it() -> None:
    r = audit(BlindStub(), [("x", "Democrats and Israel are evil.")], PAIRS)
    assert set(r["groups"]) == {"us", "me"}
    assert r["groups"]["us"]["names_swapped"] == 1 and r["groups"]["me"]["texts"] == 1
    assert r["overall"]["names_swapped"] == 2


def test_matching_prefers_the_largest_overlap_then_the_same_technique() -> None:
    a = [Span(0, 10, LL), Span(0, 10, NC), Span(20, 30, LL)]
    b = [Span(0, 10, NC), Span(0, 10, LL), Span(18, 22, LL), Span(22, 31, NC)]
    assert match_spans(a, b) == [(0, 1), (1, 0), (2, 3)]
