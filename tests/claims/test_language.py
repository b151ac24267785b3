from __future__ import annotations

import pytest

from propscope.claims.language import looks_english

ENGLISH = [
    "The government raised taxes again this year.",
    "Tax cuts boost growth, economists say.",
    "Police arrested 40 protesters in London on Monday.",
    "He said the plan would fail, and it did.",
    (
        "The minister said on Tuesday that the new taxes would help the economy, but many "
        "experts warned that they could hurt small businesses and the people who run them."
    ),
]
OTHER = {
    "de": (
        "Die Regierung hat am Dienstag neue Steuern beschlossen, die nach Ansicht vieler "
        "Experten der Wirtschaft schaden werden."
    ),
    "es": (
        "El gobierno aprobó el martes nuevos impuestos que, según muchos expertos, "
        "perjudicarán a la economía del país."
    ),
    "fr": (
        "Le gouvernement a adopté mardi de nouveaux impôts qui, selon de nombreux experts, "
        "vont nuire à l'économie du pays."
    ),
    "ru": (
        "Правительство во вторник одобрило новые налоги, которые, по мнению многих "
        "экспертов, навредят экономике страны."
    ),
    "ar": (
        "وافقت الحكومة يوم الثلاثاء على ضرائب جديدة يقول كثير من الخبراء إنها ستضر باقتصاد البلاد."
    ),
    "zh": "政府周二批准了新的税收，许多专家认为这将损害该国经济。",
}


@pytest.mark.parametrize("text", ENGLISH)
def test_english(text: str) -> None:
    assert looks_english(text)


@pytest.mark.parametrize("lang", sorted(OTHER))
def test_not_english(lang: str) -> None:
    assert not looks_english(OTHER[lang])


@pytest.mark.parametrize(
    "text", ["", "Hi.", "Bonjour mon ami", "Danke schön!", "12345 !!!", "😀😀"]
)
def test_very_short_texts_count_as_english(text: str) -> None:
    assert looks_english(text)


def test_english_with_a_foreign_name_or_quote() -> None:
    text = 'The crowd in Berlin chanted "Wir sind das Volk" as the chancellor spoke to them.'
    assert looks_english(text)
