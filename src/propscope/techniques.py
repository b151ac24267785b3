"""The 14 persuasion techniques of SemEval-2020 Task 11, spelled as in the PTC corpus.

Names, definitions and examples are written for propscope's users; the labels are the
corpus's own spellings, so predictions can be scored with the official formats.

The colours were chosen by ``scripts/palette.py --search`` (Paul Tol's and Okabe & Ito's
palettes and their lighter and darker variants) to keep the closest pair as far apart as
possible for normal vision and simulated protanopia, deuteranopia and tritanopia, both as
underlines (each at least 3:1 against white) and as the page's light tints;
``scripts/palette.py --check`` (run by tests/test_palette.py) fails when a change to a colour
brings any pair below the measured floors.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Technique:
    label: str
    name: str
    definition: str
    example: str
    colour: str


TECHNIQUES: tuple[Technique, ...] = (
    Technique(
        "Appeal_to_Authority",
        "Appeal to authority",
        "Claims that something is true because an expert, institution or celebrity says so, "
        "without further evidence.",
        "Leading scientists agree that the new policy is the only sensible choice.",
        "#2f6a98",
    ),
    Technique(
        "Appeal_to_fear-prejudice",
        "Appeal to fear or prejudice",
        "Builds support for an idea by stirring fear of an alternative or by playing on "
        "existing prejudices.",
        "If we open the border, our towns will be overrun within a year.",
        "#930531",
    ),
    Technique(
        "Bandwagon,Reductio_ad_hitlerum",
        "Bandwagon or reductio ad Hitlerum",
        "Urges acceptance because everyone else agrees, or rejection because a hated group "
        "holds the same view.",
        "Millions have already signed up; don't be the last one left behind.",
        "#730166",
    ),
    Technique(
        "Black-and-White_Fallacy",
        "Black-and-white fallacy",
        "Presents two options as the only possibilities when more exist, often with one of "
        "them plainly unacceptable.",
        "You either support this bill or you want our children to suffer.",
        "#804a4a",
    ),
    Technique(
        "Causal_Oversimplification",
        "Causal oversimplification",
        "Assigns a single cause to an outcome that has several, or blames one actor for a "
        "complex problem.",
        "Prices went up for one reason only: the new mayor.",
        "#cc79a7",
    ),
    Technique(
        "Doubt",
        "Doubt",
        "Questions the credibility of a person or organisation to undermine them rather than "
        "to weigh evidence.",
        "Can we really trust a minister who has changed his mind so often?",
        "#7f7f7f",
    ),
    Technique(
        "Exaggeration,Minimisation",
        "Exaggeration or minimisation",
        "Makes something look far larger, better or worse than it is, or plays down something "
        "that matters.",
        "This is the greatest scandal in the history of the nation.",
        "#a19317",
    ),
    Technique(
        "Flag-Waving",
        "Flag-waving",
        "Justifies an idea by appealing to patriotism or to the pride of a group.",
        "Any true patriot would stand behind our soldiers on this.",
        "#257fc0",
    ),
    Technique(
        "Loaded_Language",
        "Loaded language",
        "Uses words with strong emotional charge to sway the reader beyond what the facts carry.",
        "The council's outrageous, shameful decision stunned residents.",
        "#bf5007",
    ),
    Technique(
        "Name_Calling,Labeling",
        "Name calling or labelling",
        "Attaches a label the audience fears, hates or admires to a person or group instead of "
        "discussing what they do.",
        "The usual crowd of radical activists showed up again.",
        "#154917",
    ),
    Technique(
        "Repetition",
        "Repetition",
        "Repeats the same message or phrase many times so that the audience comes to accept it.",
        "Jobs, jobs, jobs: that is what this plan delivers. Jobs.",
        "#6699cc",
    ),
    Technique(
        "Slogans",
        "Slogans",
        "A brief, striking phrase that works as a rallying cry, often with labelling or "
        "stereotyping.",
        "Take back control!",
        "#963061",
    ),
    Technique(
        "Thought-terminating_Cliches",
        "Thought-terminating cliché",
        "A short, generic phrase that discourages critical thought and closes a discussion.",
        "It is what it is.",
        "#25843f",
    ),
    Technique(
        "Whataboutism,Straw_Men,Red_Herring",
        "Whataboutism, straw man or red herring",
        "Deflects criticism by pointing at the opponent's alleged hypocrisy, misrepresents the "
        "opponent's position, or changes the subject.",
        "They complain about our spending, but what about the money they wasted last year?",
        "#004488",
    ),
)

LABELS: tuple[str, ...] = tuple(t.label for t in TECHNIQUES)
BY_LABEL: dict[str, Technique] = {t.label: t for t in TECHNIQUES}


def is_technique(label: str) -> bool:
    return label in BY_LABEL


def techniques_json() -> list[dict[str, str]]:
    """Each technique as the API, the page and the standalone report show it."""
    return [
        {
            "label": t.label,
            "name": t.name,
            "definition": t.definition,
            "example": t.example,
            "colour": t.colour,
        }
        for t in TECHNIQUES
    ]
