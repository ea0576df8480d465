"""The screen against a corpus of realistic wordings (tests/corpus/wordings.yaml), and
against phrasings hypothesis generates: synonyms, word order, negation, parties'
names, and disguises (look-alike letters, entities, invisible characters, soft
hyphens, line breaks inside words, spaced-out letters)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.scan import scan_text

_CORPUS = yaml.safe_load((Path(__file__).parent / "corpus" / "wordings.yaml").read_text("utf-8"))
_REFUSE = [
    (name, entry["principle"], text)
    for name, entry in _CORPUS["refuse"].items()
    for text in entry["wordings"]
]
_ACCEPT = _CORPUS["accept"]
_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_corpus_has_many_wordings_per_class():
    assert all(len(entry["wordings"]) >= 4 for entry in _CORPUS["refuse"].values())
    assert len(_ACCEPT) >= 10


@pytest.mark.parametrize(("kind", "principle", "text"), _REFUSE, ids=lambda v: str(v)[:50])
def test_the_corpus_of_prohibited_wording_is_refused(kind, principle, text):
    findings = scan_text(text)
    assert findings, f"{kind}: {text}"
    if principle is not None:
        assert principle in {finding.principle for finding in findings}


@pytest.mark.parametrize("text", _ACCEPT, ids=lambda v: v[:50])
def test_the_corpus_of_harmless_wording_is_accepted(text):
    assert scan_text(text) == []


# -- generated phrasings --------------------------------------------------------------

_PARTNERS = st.sampled_from(["the Partner", "the Company", "the Licensee", "the Supplier"])
_GRANTS = st.sampled_from(
    [
        "an exclusive licence",
        "exclusive rights",
        "a sole licence",
        "exclusive access",
        "a right of first refusal",
        "preferential access",
        "priority access",
        "a monopoly",
    ]
)
_OBJECTS = st.sampled_from(
    [
        "to the Data",
        "over the imaging archive",
        "to the linked records",
        "in respect of the pathology cohort",
        "to any future data release",
    ]
)
_VERBS = st.sampled_from(
    ["shall have", "will receive", "is granted", "shall be given", "shall enjoy"]
)


@_SETTINGS
@given(_PARTNERS, _VERBS, _GRANTS, _OBJECTS)
def test_a_generated_grant_is_refused(partner, verb, grant, obj):
    text = f"{partner.capitalize()} {verb} {grant} {obj}."
    assert 3 in {finding.principle for finding in scan_text(text)}, text


@_SETTINGS
@given(_PARTNERS, _OBJECTS, st.sampled_from(["a non-exclusive licence", "non-exclusive access"]))
def test_a_generated_non_exclusive_grant_is_accepted(partner, obj, grant):
    assert scan_text(f"{partner.capitalize()} shall have {grant} {obj}.") == []


@_SETTINGS
@given(
    _PARTNERS,
    _OBJECTS,
    st.sampled_from(["shall have no exclusive rights", "is not granted any exclusive right"]),
)
def test_a_generated_negated_grant_is_accepted(partner, obj, phrase):
    assert scan_text(f"{partner.capitalize()} {phrase} {obj}.") == []


@_SETTINGS
@given(
    _PARTNERS,
    st.sampled_from(["alone may access", "alone shall receive", "alone can use"]),
    _OBJECTS.map(lambda o: o.split(" ", 1)[1]),
)
def test_a_generated_partner_alone_is_refused(partner, phrase, obj):
    assert scan_text(f"{partner.capitalize()} {phrase} {obj}.")


_LOOK_ALIKES = {
    "e": ["\u0435", "\u1d07"],
    "a": ["\u0430", "\u0251"],
    "o": ["\u043e", "\u0585"],
    "i": ["\u0131", "\u0456"],
    "c": ["\u0441", "\u1d04"],
    "u": ["\u057d"],
    "s": ["\u0455"],
    "x": ["\u0445"],
    "l": ["\u04cf"],
}


def _disguise(word: str, how: str, at: int, choice: int) -> str:
    """Disguise one word the way a sly drafter might."""
    at = 1 + at % (len(word) - 1)
    if how == "look_alike":
        letters = [i for i, char in enumerate(word) if char in _LOOK_ALIKES]
        if not letters:
            return word
        i = letters[at % len(letters)]
        options = _LOOK_ALIKES[word[i]]
        return word[:i] + options[choice % len(options)] + word[i + 1 :]
    if how == "entity":
        return word[:at] + f"&#{ord(word[at])};" + word[at + 1 :]
    if how == "hex_entity":
        return word[:at] + f"&#x{ord(word[at]):x};" + word[at + 1 :]
    if how == "named_entity":
        return html.escape(word[:at]) + "&shy;" + word[at:]
    if how == "zero_width":
        return word[:at] + "\u200b" + word[at:]
    if how == "soft_hyphen":
        return word[:at] + "\u00ad" + word[at:]
    if how == "line_break":
        return word[:at] + "-\n" + word[at:] if choice % 2 else word[:at] + "\n" + word[at:]
    if how == "spaced":
        return " ".join(word)
    if how == "upper":
        return word.upper()
    return word


_DISGUISED = [
    ("The Partner shall have an {} licence to the Data.", "exclusive"),
    ("The Partner shall enjoy {} access to the imaging data.", "preferential"),
    ("The Partner is granted a {} over the Data.", "monopoly"),
    ("The parties shall keep the existence of this Agreement {}.", "confidential"),
]


@_SETTINGS
@given(
    st.sampled_from(_DISGUISED),
    st.sampled_from(
        [
            "look_alike",
            "entity",
            "hex_entity",
            "named_entity",
            "zero_width",
            "soft_hyphen",
            "line_break",
            "spaced",
            "upper",
        ]
    ),
    st.integers(0, 50),
    st.integers(0, 5),
)
def test_a_disguised_word_is_still_refused(case, how, at, choice):
    template, word = case
    text = template.format(_disguise(word, how, at, choice))
    assert scan_text(text), repr(text)


@_SETTINGS
@given(
    st.sampled_from(["look_alike", "entity", "zero_width", "soft_hyphen", "upper"]),
    st.integers(0, 50),
    st.integers(0, 5),
)
def test_a_disguised_non_exclusive_is_still_accepted(how, at, choice):
    text = f"The Partner shall have a non-{_disguise('exclusive', how, at, choice)} licence."
    assert scan_text(text) == [], repr(text)
