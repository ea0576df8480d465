"""Whether a benefit's target is a real target (principle 1: quantifiable, explicit).

A real target states a change from a baseline ("reduce by 25%", "from 95 to 60
minutes") or a level to reach ("95% of patients within 4 hours", "fewer than 200 bed
days", "save £2m a year"), with a unit. These are not targets, though they hold a digit:
a date ("by Q3 2028"), a reference ("as agreed at the phase 2 review", "(see note 1)",
"KPI 4"), a change of nothing ("reduce by 0%", "from 95 to 95 minutes") or a trivial
count ("at least 1 patient").
"""

from __future__ import annotations

import re

__all__ = ["target_problem"]

# Dates and periods say when, not how much ("improved by Q3 2028").
_DATES = re.compile(
    r"\b(?:q[1-4]|h[12]|fy ?\d{2,4}(?:/\d{2})?|(?:19|20|21)\d\d(?:/\d\d)?|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+\s+(?:19|20|21)\d\d|\d{1,2}/\d{1,2}/\d{2,4}|"
    r"\d{4}-\d{2}-\d{2})\b"
)
# Numbers that name something rather than count it: "phase 2", "note 1", "clause 4.2",
# "type 2 diabetes", "KPI 4", "year 3", and anything in "(see ...)".
_REFERENCES = re.compile(
    r"\((?:see|cf|ref|per|as in|refer to)\b[^)]*\)|\b(?:see|cf|refer to|as set out in|as "
    r"agreed (?:at|in)|as defined in|in line with|per(?! ?cent))\b[^.;,]*|"
    r"\b(?:phase|stage|note|notes|clause|clauses|section|sections|schedule|appendix|annex|"
    r"table|figure|fig|item|version|v|tier|wave|cohort|year|years|month|week|day|page|para|"
    r"paragraph|article|step|part|round|type|grade|band|ward|kpi|objective|milestone|"
    r"target|measure|indicator|outcome|priority|release|sprint|covid|nhs|icd|snomed|"
    r"no|number|ref|reference|option|scenario|workstream|lot|site)[ -]?#?\d+[a-z]?(?:\.\d+)*\b"
)
# Words that state a quantity by themselves.
_QUANTITY_WORDS = re.compile(
    r"\b(?:halve[sd]?|halving|double[sd]?|doubling|triple[sd]?|treble[sd]?)\b"
)
_ELIMINATE = re.compile(r"\b(?:eliminat\w*|eradicat\w*) (?:all |every )?\w+")
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# A number standing alone ("HbA1c" and "NEWS2" are names, not numbers).
_QUANTITY = re.compile(
    rf"(?P<currency>[£$€])?\s?(?<![a-z\d.])(?P<value>{_NUMBER})(?![\d])\s?"
    r"(?P<scale>k|m|bn|million|billion|thousand)?\b\s?(?P<unit>%|per ?cent|percent|"
    r"percentage points?|in \d+|[a-z]+)?"
)
_FROM_TO = re.compile(
    rf"\bfrom (?:a |the )?(?:baseline |current |median |mean |average |rate )*(?:of )?"
    rf"[£$€]?(?P<before>{_NUMBER})\s?(?:%|per ?cent|[a-z]+)?(?: [a-z]+){{0,3}}? to "
    rf"(?:a |the )?(?:target |level )?(?:of )?[£$€]?(?P<after>{_NUMBER})"
)
# Words after a number that make it no quantity: "2 review", "1 above".
_NOT_UNITS = frozenset(
    "and or the to by of in on at for review reviews meeting meetings above below note "
    "notes report reports plan plans agreement clause schedule is are was be".split()
)
# A floor of one person is no commitment: "at least 1 patient", "one or more sites".
_TRIVIAL = re.compile(
    r"\b(?:at least|a minimum of|minimum of|min|no fewer than|not less than|more than|"
    r"over|one or more|>=?|≥)\s?(?:0|1|one|a single|zero)\b\s?(?:[a-z]+)?"
)


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def target_problem(target: str) -> str | None:
    """Return why ``target`` is not a real target, or None when it is one."""
    text = " ".join(target.lower().split())
    text = _DATES.sub(" ", text)
    text = _REFERENCES.sub(" ", text)
    if _QUANTITY_WORDS.search(text) or _ELIMINATE.search(text):
        return None
    changes = list(_FROM_TO.finditer(text))
    if changes and all(_value(m.group("before")) == _value(m.group("after")) for m in changes):
        return "states no change (the same number before and after)"
    if any(_value(m.group("before")) != _value(m.group("after")) for m in changes):
        return None
    quantities = [
        match
        for match in _QUANTITY.finditer(text)
        if match.group("currency")
        or match.group("scale")
        or (match.group("unit") and match.group("unit") not in _NOT_UNITS)
    ]
    if not quantities:
        if _QUANTITY.search(text):
            return "states a number but no unit (per cent, minutes, patients, £ ...)"
        return "states no number"
    if all(_value(match.group("value")) == 0 for match in quantities):
        return "is a change of zero"
    stripped = _TRIVIAL.sub(" ", text)
    if _TRIVIAL.search(text) and not any(
        match.group("currency") or match.group("scale") or match.group("unit")
        for match in _QUANTITY.finditer(stripped)
        if _value(match.group("value")) != 0
    ):
        return "sets a trivial floor (one is no commitment)"
    return None
