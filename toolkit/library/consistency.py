"""Checks of one assembled contract's wording: undefined capitalised terms, clashing figures."""

from __future__ import annotations

import re
from collections.abc import Iterable

from toolkit.exceptions import Problem

# A run of capitalised words, perhaps joined by "of", "and" or "for" ("Centre of Expertise").
_PHRASE = re.compile(
    r"(?<![\w\-“’'])((?:[A-Z][a-z][\w'’]*(?:-[A-Za-z][\w]*)?)"
    r"(?:\s+(?:of|and|for|in|on)?\s*[A-Z][a-z][\w'’]*(?:-[A-Za-z][\w]*)?)+)"
)
# Words that mark a name of a body, a law, a standard, a place or a document, which a
# contract uses without defining: "Information Commissioner", "Companies Act".
_PROPER = re.compile(
    r"\b(?:Act|Acts|Regulations?|Order|Directive|Code|Office|Commissioner|Agency|Authority|Council"
    r"|Court|Courts|Tribunal|Institute|Institution|England|Wales|Scotland|Ireland|Kingdom|Britain"
    r"|States|Department|Secretary|Standards?|Framework|Procedure|Toolkit|Guardian|Group|Plus|Index"
    r"|Bank|Centre for|Criteria|Service|Services|London|Dictionary|Resolution|Panel|Committee|Board"
    r"|Trust|Trusts|Foundation|University|College|School|Hospital|Hospitals|Street|Road|Lane|Square"
    r"|Ltd|Limited|Inc|PLC|LLP|Community Interest Company|Network|Exchange|Market|Regulation"
    r"|General|Registrar|Companies|Comptroller|Parliament|Government|Treasury|Money|Accountants"
    r"|Agreement|Schedule|Schedules|Part|Parts|Annex|Appendix|Article|Articles|Section|Chapter"
    r"|January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Toolkit|Assessment|Recording"
    r"|Opt-out|Essentials|Core|Login|Prices|Health|Care|Medicines|Devices|Evidence|Technology"
    r"|Information|Regime|Writings|Communications|Debts|Officer|Programme|Resource|Rights)\b"
    r"|\bCentre$"
)


def undefined_terms(
    lines: Iterable[str], defined: Iterable[str], names: Iterable[str] = ()
) -> list[str]:
    """Return capitalised phrases used like defined terms that nothing defines.

    ``defined`` are the contract's defined terms; ``names`` are the deal's own values
    (parties, addresses, products), which are names, not terms.
    """
    known = sorted(set(defined), key=len, reverse=True)
    values = [name for name in names if name]
    found: set[str] = set()
    for line in lines:
        for value in values:
            line = line.replace(value, " ")
        for term in known:
            # A term followed by another capitalised word is part of a longer name.
            line = re.sub(
                r"(?<![\w-])" + re.escape(term) + r"(?:s|'s|’s)?(?![\w-])(?! [A-Z][a-z])", " ", line
            )
        for sentence in re.split(r"(?<=[.;:!?])\s+|\s\|\s|\(|\)|“|”", line):
            sentence = sentence.strip()
            for match in _PHRASE.finditer(sentence):
                phrase = re.sub(r"(?:'s|’s)$", "", match.group(1))
                if match.start() == 0 and " " not in phrase:
                    continue
                if _PROPER.search(phrase):
                    continue
                words = phrase.split()
                if match.start() == 0:
                    # A sentence's first word is capitalised anyway; judge the rest.
                    words = words[1:]
                    if len(words) < 2 or words[0] in ("of", "and", "for", "in", "on"):
                        continue
                    phrase = " ".join(words)
                found.add(phrase)
    return sorted(found)


def spec_values(value) -> list[str]:
    """Return every text value of a deal spec, longest first (they are masked as names)."""
    found: list[str] = []
    if isinstance(value, dict):
        for item in value.values():
            found += spec_values(item)
    elif isinstance(value, list):
        for item in value:
            found += spec_values(item)
    elif isinstance(value, str) and len(value) > 2:
        found.append(value)
    return sorted(set(found), key=len, reverse=True)


FIGURE = re.compile(
    r"£\s?\d[\d,.]*\s*(?:million|m|k|bn)?|\b\d[\d,.]*\s*(?:%|per ?cent|percent)"
    r"|\b\d+\s*(?:business days?|days?|weeks?|months?|years?)\b"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|twenty-four)\s+"
    r"(?:business days?|days?|weeks?|months?|years?)\b",
    re.I,
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
}


def figures(text: str) -> set[str]:
    """Return the periods, sums and percentages a text states, normalised ('60 days')."""
    found = set()
    for match in FIGURE.finditer(text):
        found.add(normalise_figure(match.group(0)))
    return found


def normalise_figure(figure: str) -> str:
    """Return one figure in a comparable form."""
    text = figure.lower().replace(",", "").replace("per cent", "%").replace("percent", "%")
    text = re.sub(r"\s+", " ", text).strip()
    for word, value in _NUMBER_WORDS.items():
        text = re.sub(rf"^{word}\b", str(value), text)
    if text.startswith("£"):
        amount = re.match(r"£ ?([\d.]+) ?(million|m|k|bn)?", text)
        if amount:
            value = (
                float(amount.group(1))
                * {None: 1, "k": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9}[amount.group(2)]
            )
            return f"£{value:.0f}"
    text = re.sub(r"\b(business day|day|week|month|year)s?\b", r"\1s", text)
    return text.replace(" %", "%")


# Subjects on which two clauses of one contract must not state different figures.
FIGURE_TOPICS = (
    (
        "delay to publication",
        re.compile(r"\bdelay\b[^.]*\bpublication|\bpublication\b[^.]*\bdelay", re.I),
    ),
    (
        "notice to terminate without cause",
        re.compile(r"\bterminat\w*\b[^.]*\bat any time\b[^.]*\bnotice", re.I),
    ),
    ("general liability cap", re.compile(r"\btotal liability\b[^.]*\blimited to\b", re.I)),
    (
        "destruction of the Data after the end",
        re.compile(r"\bdestroy\b[^.]*\bData\b[^.]*\bafter this Agreement ends", re.I),
    ),
    ("time to pay an invoice", re.compile(r"\bpay each valid\b[^.]*\binvoice\b", re.I)),
)


def clashing_figures(parts: Iterable[tuple[str, list[str]]]) -> list[Problem]:
    """Return a problem for each subject on which two clauses state only different figures."""
    stated: dict[str, dict[str, set[str]]] = {}
    for clause_id, lines in parts:
        for line in lines:
            for sentence in re.split(r"(?<=[.;])\s+", line):
                for topic, pattern in FIGURE_TOPICS:
                    if pattern.search(sentence):
                        found = figures(sentence)
                        if found:
                            stated.setdefault(topic, {}).setdefault(clause_id, set()).update(found)
    problems = []
    for topic, by_clause in stated.items():
        clauses = sorted(by_clause)
        for index, first in enumerate(clauses):
            for second in clauses[index + 1 :]:
                if by_clause[first].isdisjoint(by_clause[second]):
                    problems.append(
                        Problem(
                            "figures",
                            f"clauses '{first}' and '{second}' state different figures for the "
                            f"{topic}: {', '.join(sorted(by_clause[first]))} against "
                            f"{', '.join(sorted(by_clause[second]))}",
                            hint="Make one clause state the figure and the other refer to it.",
                        )
                    )
    return problems


def wording_problems(contract, library) -> list[Problem]:
    """Return the undefined capitalised terms and clashing figures of an assembled contract."""
    defined = {term for part in contract.parts for term in part.clause.defines} | library.terms()
    lines = [line for part in contract.parts for line in part.text_lines()]
    problems = [
        Problem(
            "definitions",
            f"the {contract.spec.model_ids[0]} contract uses '{term}' like a defined term, "
            "but nothing defines it",
            hint="Define it in a clause of that contract, write it in lower case, or name the "
            "body or document in full.",
        )
        for term in undefined_terms(lines, defined, spec_values(contract.spec.data))
    ]
    return problems + clashing_figures((part.id, part.text_lines()) for part in contract.parts)
