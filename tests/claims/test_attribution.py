"""Attribution phrases found by rules (no spaCy needed)."""

from __future__ import annotations

import pytest

from propscope.claims._speech import find_attributions


def found(text: str) -> list[tuple[str, str, str]]:
    return [
        (text[a.start : a.end], text[a.speaker_start : a.speaker_end], a.shape)
        for a in find_attributions(text)
    ]


@pytest.mark.parametrize(
    ("text", "phrase", "speaker", "shape"),
    [
        (
            "Mark Dalton said the plan would fail.",
            "Mark Dalton said",
            "Mark Dalton",
            "speaker_first",
        ),
        ("The plan will fail, said Mark Dalton.", "said Mark Dalton", "Mark Dalton", "verb_first"),
        (
            "The plan failed, according to the Associated Press.",
            "according to the Associated Press",
            "the Associated Press",
            "according",
        ),
        (
            "According to U.S. officials, the plan failed.",
            "According to U.S. officials",
            "U.S. officials",
            "according",
        ),
        (
            "Smith told reporters on Tuesday it was over.",
            "Smith told reporters",
            "Smith",
            "speaker_first",
        ),
        (
            "The minister has repeatedly claimed that crime fell.",
            "The minister has repeatedly claimed",
            "The minister",
            "speaker_first",
        ),
        (
            "A spokesman for the ministry said the talks were over.",
            "A spokesman for the ministry said",
            "A spokesman for the ministry",
            "speaker_first",
        ),
        (
            "Smith, a spokesman for the ministry, said the talks were over.",
            "Smith, a spokesman for the ministry, said",
            "Smith",
            "speaker_first",
        ),
        ("Smith, 45, said the talks were over.", "Smith, 45, said", "Smith", "speaker_first"),
        ("But Smith said no.", "Smith said", "Smith", "speaker_first"),
        (
            "Trump's lawyer Rudy Giuliani said it was fine.",
            "Trump's lawyer Rudy Giuliani said",
            "Trump's lawyer Rudy Giuliani",
            "speaker_first",
        ),
        (
            "In a statement the minister said it was fine.",
            "the minister said",
            "the minister",
            "speaker_first",
        ),
        ("Acme Corp. said profits rose.", "Acme Corp. said", "Acme Corp.", "speaker_first"),
        ("The results, he claimed, were rigged.", "he claimed", "he", "speaker_first"),
        (
            "Russian officials said nothing.",
            "Russian officials said",
            "Russian officials",
            "speaker_first",
        ),
    ],
)
def test_attribution_shapes(text: str, phrase: str, speaker: str, shape: str) -> None:
    assert found(text) == [(phrase, speaker, shape)]


@pytest.mark.parametrize(
    "text",
    [
        "It is said that he is rich.",
        "He was told to leave.",
        "She hinted at it on Twitter, telling Ellison that it was over.",
        "Prices rose by 3% in March.",
    ],
)
def test_no_attribution(text: str) -> None:
    assert found(text) == []


def test_bounds_are_respected() -> None:
    text = "Smith said yes. Jones said no."
    assert found(text) == [
        ("Smith said", "Smith", "speaker_first"),
        ("Jones said", "Jones", "speaker_first"),
    ]
    only_second = find_attributions(text, 16, len(text))
    assert [(a.start, a.end) for a in only_second] == [(16, 26)]


@pytest.mark.parametrize(
    ("text", "phrase", "speaker"),
    [
        ("officials said the bridge was unsafe.", "officials said", "officials"),
        ("After the vote she told reporters it was over.", "she told reporters", "she"),
        ("The plan, he said, would fail.", "he said", "he"),
        ("police said three people died.", "police said", "police"),
        ("a spokesperson said the company would appeal.", "a spokesperson said", "a spokesperson"),
        (
            "Crime fell, according to a report by the Pew Research Center.",
            "according to a report by the Pew Research Center",
            "a report by the Pew Research Center",
        ),
        ("Security forces said 12 people died.", "Security forces said", "Security forces"),
        (
            "Senior administration officials said the talks failed.",
            "Senior administration officials said",
            "Senior administration officials",
        ),
        (
            "The president and top Republicans say she is bluffing.",
            "The president and top Republicans say",
            "The president and top Republicans",
        ),
        (
            "Adam Hollier, who endorsed Buttigieg, said the mayor had an edge.",
            "Adam Hollier, who endorsed Buttigieg, said",
            "Adam Hollier",
        ),
    ],
)
def test_lower_case_pronoun_and_plural_speakers(text: str, phrase: str, speaker: str) -> None:
    assert [(p, s) for p, s, _ in found(text)] == [(phrase, speaker)]


@pytest.mark.parametrize(
    "text",
    [
        # a verb of NEEDS_STATEMENT that reports no statement (an act, an object)
        "The media have declared war on Trump.",
        "And rather than fight, he has maintained a rather stately mien, smiling all along.",
        "There are lessons in how the country responded the last time.",
        "He wrote a book about it.",
        "The company reported a loss of $3 million.",
        "Prosecutors charged Smith with murder.",
        # a loose verb before an object that cannot start a clause
        "The storm claimed 12 lives.",
        "The group claimed responsibility for the attack.",
        # a capitalised determiner is no name: "The" + "alleged"
        "The alleged perpetrator can be shamed.",
        # the noun before a participle is no speaker
        "Manafort issued a statement in response to Gates's guilty plea saying he is innocent.",
        # a plural speaker takes no -s verb: "media reports" is a noun
        "Foreign media reports that a deal was near proved false.",
        # the inverted speaker must be one noun phrase that ends its clause
        "Hollier, a veteran who backed Buttigieg, said the mayor’s service gave him an edge.",
        "Hollier, a state senator who endorsed Buttigieg, said Buttigieg served with honor.",
    ],
)
def test_no_attribution_without_speech(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The media have declared that the race is over.", "The media have declared"),
        ("Smith added: the plan failed.", "Smith added"),
        ("He wrote on Twitter that the vote was rigged.", "He wrote"),
        ('"We will win," he wrote in a letter to supporters.', "he wrote"),
        ("Smith admitted he lied.", "Smith admitted"),
        (
            "The bill passed, although Republicans confirmed that it would fail.",
            "Republicans confirmed",
        ),
        ("The minister claimed crime fell.", "The minister claimed"),
        ("An army spokesman denied “foreign media reports” of a deal.", "An army spokesman denied"),
        (
            '"If Bernie wins, it does weird things," said one Republican with close ties to the'
            " campaign.",
            "said one Republican with close ties to the campaign",
        ),
        ('"Iran is testing us," said Rubio on Fox News.', "said Rubio"),
    ],
)
def test_speech_where_a_statement_follows(text: str, phrase: str) -> None:
    assert [p for p, _, _ in found(text)] == [phrase]
