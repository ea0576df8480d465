"""A cheap test that lets most sentences skip a rule's pattern: the words it must contain.

Each rule's pattern is read (by a small parser of the regular-expression syntax the rules
use) for a set of literal strings at least one of which every match contains: "exclusiv"
for the exclusivity rule, say, or "first refusal" / "first option" / ... for another. A
sentence holding none of a rule's strings cannot match its pattern, so the pattern is
not run. The set is derived from the pattern itself, never written by hand, so it cannot
fall out of step with it; where the parser meets anything it does not fully understand it
gives no set, and the rule always runs. tests/test_scan_prefilter.py checks, over every
rule's examples and the screen's corpus, that no sentence any rule matches is skipped.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

__all__ = ["Prefilter", "required_strings"]

# Sets of exact strings larger than this are not multiplied out any further.
_MAX_EXACT = 64
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")
_CLASS_ESCAPES = frozenset("dDwWsS")
_PLAIN = re.compile(r"[^()\[\]\\^$.|*+?{]+")
_QUANTIFIERS = ("*", "+", "?", "{")
_LITERAL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}


class _Unsupported(Exception):
    """The pattern uses syntax this reader does not know: no prefilter for it."""


@dataclass(frozen=True)
class _Info:
    """What is known of the strings a piece of pattern matches."""

    exact: frozenset[str] | None  # every string it can match, when few and known
    factors: frozenset[str] | None  # every match contains one of these (None: unknown)

    def best(self) -> frozenset[str] | None:
        """Return the most useful strings every match contains, or None."""
        options = [s for s in (self.exact, self.factors) if s is not None and "" not in s]
        return max(options, key=_score, default=None)


def _score(strings: frozenset[str]) -> tuple[int, int]:
    # The shortest string decides how often the test passes by chance; fewer is cheaper.
    return (min(map(len, strings)), -len(strings))


_EMPTY = _Info(frozenset({""}), None)
_ANY = _Info(None, None)


class _Reader:
    """A recursive-descent reader of the pattern syntax, computing ``_Info`` as it goes."""

    def __init__(self, pattern: str):
        self.text = pattern
        self.at = 0

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def take(self) -> str:
        char = self.peek()
        if not char:
            raise _Unsupported("unexpected end")
        self.at += 1
        return char

    def alternation(self) -> _Info:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.at += 1
            branches.append(self.sequence())
        return _union(branches)

    def sequence(self) -> _Info:
        items = []
        while self.peek() not in ("", "|", ")"):
            # Plain characters in a row are one string (far fewer products), except a
            # last one that a quantifier governs.
            plain = _PLAIN.match(self.text, self.at)
            if plain:
                run = plain.group()
                if self.text[plain.end() : plain.end() + 1] in _QUANTIFIERS:
                    run = run[:-1]
                if run:
                    self.at += len(run)
                    items.append(_Info(frozenset({run}), None))
                    continue
            items.append(self.quantified(self.atom()))
        return _concatenation(items)

    def atom(self) -> _Info:
        char = self.take()
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == "\\":
            return self.escape()
        if char in "^$":
            return _EMPTY
        if char == ".":
            return _ANY
        if char in "*+?{":
            raise _Unsupported(f"quantifier without an atom at {self.at}")
        return _Info(frozenset({char}), None)

    def group(self) -> _Info:
        zero_width = False
        if self.peek() == "?":
            self.at += 1
            kind = self.take()
            if kind == ":":
                pass
            elif kind == "P" and self.peek() == "<":
                end = self.text.index(">", self.at)
                self.at = end + 1
            elif kind in "=!":
                zero_width = True
            elif kind == "<" and self.peek() in "=!":
                self.at += 1
                zero_width = True
            else:
                raise _Unsupported(f"group (?{kind}")
        inner = self.alternation()
        if self.take() != ")":
            raise _Unsupported("unclosed group")
        return _EMPTY if zero_width else inner

    def char_class(self) -> _Info:
        members: set[str] = set()
        simple = True
        if self.peek() == "^":
            simple = False
            self.at += 1
        first = True
        while True:
            char = self.take()
            if char == "]" and not first:
                break
            first = False
            if char == "\\":
                escaped = self.take()
                if escaped in _CLASS_ESCAPES or escaped.isalnum() and escaped not in "nt":
                    simple = False
                    continue
                char = _LITERAL_ESCAPES.get(escaped, escaped)
            if self.peek() == "-" and self.text[self.at + 1 : self.at + 2] not in ("]", ""):
                self.at += 1
                end = self.take()
                if end == "\\":
                    raise _Unsupported("escaped range end")
                members.update(chr(code) for code in range(ord(char), ord(end) + 1))
                continue
            members.add(char)
        if not simple or len(members) > 8:
            return _ANY
        return _Info(frozenset(members), None)

    def escape(self) -> _Info:
        char = self.take()
        if char in _ZERO_WIDTH_ESCAPES:
            return _EMPTY
        if char in _CLASS_ESCAPES:
            return _ANY
        if char in _LITERAL_ESCAPES:
            return _Info(frozenset({_LITERAL_ESCAPES[char]}), None)
        if char.isalnum():
            raise _Unsupported(f"escape \\{char}")  # back-references, \x.., \u....
        return _Info(frozenset({char}), None)

    def quantified(self, atom: _Info) -> _Info:
        char = self.peek()
        if char not in ("*", "+", "?", "{"):
            return atom
        if char == "{":
            end = self.text.find("}", self.at)
            bounds = self.text[self.at + 1 : end] if end > 0 else ""
            low, _, high = bounds.partition(",")
            if not low.isdigit() or (high and not high.isdigit()):
                raise _Unsupported(f"repeat {{{bounds}}}")
            least = int(low)
            most = int(high) if high else (least if "," not in bounds else None)
            self.at = end + 1
        else:
            self.at += 1
            least, most = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        if self.peek() in ("?", "+"):
            self.at += 1  # lazy or possessive: the same strings
        if least == 0:
            if most == 1 and atom.exact is not None:
                return _Info(atom.exact | {""}, None)
            return _EMPTY if most == 0 else _Info(None, None)
        if least == 1 and most == 1:
            return atom
        return _Info(None, atom.best())


def _union(branches: list[_Info]) -> _Info:
    exact = None
    if all(b.exact is not None for b in branches):
        merged = frozenset().union(*(b.exact for b in branches))  # type: ignore[arg-type]
        exact = merged if len(merged) <= _MAX_EXACT else None
    bests = [b.best() for b in branches]
    factors = None if any(b is None for b in bests) else frozenset().union(*bests)  # type: ignore[arg-type]
    return _Info(exact, factors)


def _concatenation(items: list[_Info]) -> _Info:
    candidates: list[frozenset[str]] = []
    run: frozenset[str] | None = frozenset({""})
    whole: frozenset[str] | None = frozenset({""})
    for item in items:
        if item.exact is not None:
            product = _product(run, item.exact) if run is not None else None
            if product is None:  # too many: what is held so far is one candidate
                if run is not None:
                    candidates.append(run)
                run = item.exact
            else:
                run = product
            whole = _product(whole, item.exact) if whole is not None else None
        else:
            if run is not None:
                candidates.append(run)
            run = frozenset({""})
            whole = None
            best = item.best()
            if best is not None:
                candidates.append(best)
    if run is not None:
        candidates.append(run)
    useful = [c for c in candidates if "" not in c]
    factors = max(useful, key=_score) if useful else None
    return _Info(whole, factors)


def _product(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    if len(left) * len(right) > _MAX_EXACT:
        return None
    return frozenset(a + b for a, b in itertools.product(left, right))


@functools.cache
def required_strings(pattern: str) -> frozenset[str] | None:
    """Return strings one of which every match of ``pattern`` contains, or None if unknown."""
    reader = _Reader(pattern)
    try:
        info = reader.alternation()
    except (_Unsupported, ValueError, IndexError):
        return None
    if reader.at != len(pattern):
        return None  # an unbalanced ")": not understood
    return info.best()


def _shortened(strings: frozenset[str]) -> frozenset[str]:
    """Return fewer, shorter strings that every text holding one of ``strings`` holds too.

    Any part of a required string is required as well, so each is cut to its longest
    word ("sole and exclusive " to "exclusive"), and a string holding another is dropped.
    """
    cut = set()
    for string in strings:
        words = re.findall(r"[a-z]+", string)
        longest = max(words, key=len, default="")
        cut.add(longest if len(longest) >= 4 else string)
    return frozenset(s for s in cut if not any(o != s and o in s for o in cut))


class Prefilter:
    """For a list of patterns, which may match a text, by the strings each requires."""

    def __init__(self, patterns: list[str]):
        self.required = [
            None if needed is None else _shortened(needed)
            for needed in map(required_strings, patterns)
        ]
        self.strings = sorted(frozenset().union(*(r for r in self.required if r is not None)))

    def candidates(self, text: str) -> list[bool]:
        """Return, per pattern, whether it may match ``text`` (False: it cannot)."""
        present = {string for string in self.strings if string in text}
        return [needed is None or not needed.isdisjoint(present) for needed in self.required]
