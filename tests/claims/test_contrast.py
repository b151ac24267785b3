"""The contrast set: pairs of hand-written sentences on the same subject that differ in whether
they state something one can check (a quantity, date, statistic, comparison or event) or only
an opinion, a judgement or an insult. The shipped claims model must rank the checkable sentence
of nearly every pair higher, and keep insults and bare opinions below its threshold.

Written for this test (not taken from any data set); the subjects are spread over parties,
countries and topics so that no side's vocabulary decides.
"""

from __future__ import annotations

import pytest

from propscope.detector import DetectorModel
from propscope.model import DEFAULT_MODEL_DIR

# (checkable, opinion or insult)
PAIRS = [
    ("Unemployment fell to 3.5 percent in September.", "Unemployment is a disgrace."),
    ("They were arrested 14 times between 2015 and 2019.", "They are evil thugs."),
    (
        "The senator voted against the farm bill three times last year.",
        "The senator is a spineless coward.",
    ),
    (
        "The city spent $4.2 million on the new bridge.",
        "The new bridge is an ugly waste of everyone's time.",
    ),
    (
        "Crime in the county rose by 12 percent from 2018 to 2020.",
        "Crime in the county is out of control and everybody knows it.",
    ),
    (
        "The governor signed the law on March 3, 2021.",
        "The governor is the worst leader this state has ever had.",
    ),
    (
        "Our company created 2,000 jobs in Ohio last year.",
        "Our company cares deeply about the people of Ohio.",
    ),
    (
        "The deficit doubled during the president's first term.",
        "The president is a clown who cannot be trusted.",
    ),
    (
        "More than 40 million Americans lack health insurance.",
        "Health care in America is a moral catastrophe.",
    ),
    (
        "The mayor cut the police budget by 15 percent in 2020.",
        "The mayor hates the police and always has.",
    ),
    (
        "Germany imports about half of its natural gas from Russia.",
        "Germany is weak and naive about Russia.",
    ),
    (
        "The company paid no federal income tax in 2019.",
        "The company is run by greedy crooks.",
    ),
    (
        "Wages for the bottom fifth of workers grew faster than inflation last year.",
        "Workers deserve so much better than this.",
    ),
    (
        "The school district has lost 3,000 students since 2015.",
        "The school district is a total mess.",
    ),
    (
        "The union endorsed her campaign in June.",
        "The union bosses are corrupt parasites.",
    ),
    (
        "China produced more steel last year than the rest of the world combined.",
        "China cannot be trusted on anything.",
    ),
    (
        "The bill would raise the minimum wage to $15 an hour by 2025.",
        "The bill is a radical socialist fantasy.",
    ),
    (
        "Emissions from coal plants fell by a third over the past decade.",
        "Coal is a filthy industry run by liars.",
    ),
    (
        "The prime minister's approval rating dropped to 28 percent in May.",
        "The prime minister is an embarrassment to the nation.",
    ),
    (
        "Half of the state's hospitals reported a loss in 2022.",
        "Hospitals in this state are a disgrace.",
    ),
    (
        "The army has 480,000 active-duty soldiers.",
        "Our soldiers are the bravest people on earth.",
    ),
    (
        "Ticket prices rose by 30 percent after the merger.",
        "The merger was a shameful betrayal of fans.",
    ),
    (
        "He served two terms in the state senate before running for Congress.",
        "He is a phony who will say anything to get elected.",
    ),
    (
        "The Supreme Court struck down the law in a 6-3 decision.",
        "The Supreme Court has lost all legitimacy.",
    ),
    (
        "Immigrants founded more than half of the country's billion-dollar startups.",
        "Immigrants make this country a better place.",
    ),
    (
        "The border wall cost $11 billion and covers 450 miles.",
        "The border wall is a monument to cruelty.",
    ),
    (
        "Life expectancy in the United States fell for the second year in a row.",
        "Americans deserve to live long and happy lives.",
    ),
    (
        "The factory closed in 2017, and 800 people lost their jobs.",
        "The people who closed the factory should be ashamed.",
    ),
    (
        "Only 12 percent of plastic waste in the country is recycled.",
        "Plastic waste is a disgusting problem.",
    ),
    (
        "The candidate raised $25 million in the first quarter.",
        "The candidate is a liar and a fraud.",
    ),
    (
        "Gas prices averaged $3.10 a gallon in April, up 40 cents from March.",
        "Gas prices are killing ordinary families.",
    ),
    (
        "The treaty was ratified by 190 countries.",
        "The treaty is a terrible deal for everyone.",
    ),
    (
        "Three people died in the fire at the warehouse on Sunday.",
        "What happened at the warehouse is heartbreaking.",
    ),
    (
        "The agency approved the vaccine for children aged 5 to 11 in October.",
        "The agency is full of incompetent bureaucrats.",
    ),
    (
        "Rents in the capital have risen faster than incomes every year since 2012.",
        "Landlords in the capital are heartless vultures.",
    ),
    (
        "The state's population grew by 1.2 million people in ten years.",
        "This state is the greatest place on earth to live.",
    ),
    (
        "The legislature passed the budget 61 to 39 on Thursday.",
        "The legislature is a circus of fools.",
    ),
    (
        "Exports to Canada fell by 8 percent after the tariffs took effect.",
        "The tariffs are stupid and everyone hates them.",
    ),
    (
        "The network fired the anchor two weeks after the broadcast.",
        "The network is nothing but a propaganda machine.",
    ),
    (
        "Violent crime in the city is lower now than it was in 1990.",
        "The city is a hellhole.",
    ),
]


@pytest.fixture(scope="module")
def model() -> DetectorModel:
    m = DetectorModel.load(DEFAULT_MODEL_DIR)
    if m.claims_model is None:
        pytest.fail("the shipped model has no claims model (claims.onnx)")
    return m


def test_pairs_are_distinct_and_many() -> None:
    texts = [t for p in PAIRS for t in p]
    assert len(PAIRS) >= 40 and len(set(texts)) == len(texts)


def test_the_checkable_sentence_ranks_higher(model: DetectorModel) -> None:
    assert model.claims_model is not None
    p = model.claims_model.probabilities([t for pair in PAIRS for t in pair])
    wrong = [
        (PAIRS[i], p[2 * i], p[2 * i + 1]) for i in range(len(PAIRS)) if p[2 * i] <= p[2 * i + 1]
    ]
    # "nearly all": at most one pair in twenty the wrong way round
    assert len(wrong) <= len(PAIRS) // 20, wrong


def test_insults_and_opinions_stay_below_the_threshold(model: DetectorModel) -> None:
    assert model.claims_model is not None and model.claim_threshold is not None
    p = model.claims_model.probabilities([o for _, o in PAIRS])
    above = [(o, s) for (_, o), s in zip(PAIRS, p, strict=True) if s >= model.claim_threshold]
    assert len(above) <= len(PAIRS) // 10, above
    assert model.claims_model.probabilities(["They are evil thugs."])[0] < 0.2


def test_checkable_sentences_mostly_reach_the_threshold(model: DetectorModel) -> None:
    assert model.claims_model is not None and model.claim_threshold is not None
    p = model.claims_model.probabilities([c for c, _ in PAIRS])
    assert sum(s >= model.claim_threshold for s in p) >= 0.8 * len(PAIRS)
