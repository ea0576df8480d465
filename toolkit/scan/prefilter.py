"""A cheap test that lets most sentences skip a rule's pattern: the words it must contain.

Each rule's pattern is read (by a small parser of the regular-expression syntax the rules
use) for sets of literal strings such that every match contains one string of each set:
"exclusiv" for the exclusivity rule, say, or {"first", "prior"} and {"refusal",
"option"} for another. A sentence lacking every string of any one set cannot match the
pattern, so the pattern is not run, and in a process that screens one deal spec most
patterns are then never even compiled. The sets are derived from the pattern itself,
never written by hand, so they cannot fall out of step with it; where the parser meets
anything it does not fully understand it gives no set, and the rule always runs.
tests/test_scan_prefilter.py checks, over every rule's examples and the screen's corpus,
that no sentence any rule matches is skipped.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Prefilter", "required_sets"]

# Sets of exact strings larger than this are not multiplied out any further.
_MAX_EXACT = 64
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")
_CLASS_ESCAPES = frozenset("dDwWsS")
_PLAIN = re.compile(r"[^()\[\]\\^$.|*+?{]+")
_QUANTIFIERS = ("*", "+", "?", "{")
_WORD = re.compile(r"[a-z]+")
_LITERAL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}


class _Unsupported(Exception):
    """The pattern uses syntax this reader does not know: no prefilter for it."""


@dataclass(frozen=True)
class _Info:
    """What is known of the strings a piece of pattern matches."""

    exact: frozenset[str] | None  # every string it can match, when few and known
    all_of: tuple[frozenset[str], ...] = ()  # every match contains one string of each

    def requirements(self) -> list[frozenset[str]]:
        """Return every known set of strings one of which each match contains."""
        sets = [self.exact] if self.exact is not None else []
        return [s for s in (*sets, *self.all_of) if "" not in s]


def _score(strings: frozenset[str]) -> tuple[int, int]:
    # The shortest string decides how often the test passes by chance; fewer is cheaper.
    return (min(map(len, strings)), -len(strings))


_EMPTY = _Info(frozenset({""}))
_ANY = _Info(None)


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
                    items.append(_Info(frozenset({run})))
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
        return _Info(frozenset({char}))

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
        return _Info(frozenset(members))

    def escape(self) -> _Info:
        char = self.take()
        if char in _ZERO_WIDTH_ESCAPES:
            return _EMPTY
        if char in _CLASS_ESCAPES:
            return _ANY
        if char in _LITERAL_ESCAPES:
            return _Info(frozenset({_LITERAL_ESCAPES[char]}))
        if char.isalnum():
            raise _Unsupported(f"escape \\{char}")  # back-references, \x.., \u....
        return _Info(frozenset({char}))

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
                return _Info(atom.exact | {""})
            return _EMPTY if most == 0 else _ANY
        if least == 1 and most == 1:
            return atom
        return _Info(None, tuple(atom.requirements()))


def _union(branches: list[_Info]) -> _Info:
    if len(branches) == 1:
        return branches[0]
    exact = None
    if all(b.exact is not None for b in branches):
        merged = frozenset().union(*(b.exact for b in branches))  # type: ignore[arg-type]
        exact = merged if len(merged) <= _MAX_EXACT else None
    # Every match holds one string of each branch's sets, whichever branch matched: so
    # one set of each branch, joined, is a set for the whole, for every choice of sets
    # (as long as there are few choices). A branch requiring nothing gives no set.
    each = max(1, int(_MAX_EXACT ** (1 / len(branches)) + 1e-9))
    choices = [sorted(b.requirements(), key=_score, reverse=True)[:each] for b in branches]
    if not all(choices):
        return _Info(exact)
    joined = (frozenset().union(*chosen) for chosen in itertools.product(*choices))
    return _Info(exact, tuple(joined))


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
            candidates += item.requirements()
    if run is not None:
        candidates.append(run)
    return _Info(whole, tuple(c for c in candidates if "" not in c))


def _product(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    if len(left) * len(right) > _MAX_EXACT:
        return None
    return frozenset(a + b for a, b in itertools.product(left, right))


@functools.cache
def required_sets(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Return sets of strings such that every match of ``pattern`` holds one of each set.

    None if the pattern is not fully understood or no such set is known.
    """
    reader = _Reader(pattern)
    try:
        info = reader.alternation()
    except (_Unsupported, ValueError, IndexError):
        return None
    if reader.at != len(pattern):
        return None  # an unbalanced ")": not understood
    return _simplest(_shortened(strings) for strings in info.requirements()) or None


@functools.lru_cache(maxsize=4096)
def _shortened(strings: frozenset[str]) -> frozenset[str]:
    """Return fewer, shorter strings that every text holding one of ``strings`` holds too.

    Any part of a required string is required as well, so each is cut to its longest
    word ("sole and exclusive " to "exclusive"), and a string holding another is dropped.
    """
    kept: list[str] = []
    for string in sorted({_cut(string) for string in strings}, key=len):
        if not any(shorter in string for shorter in kept):
            kept.append(string)
    return frozenset(kept)


@functools.lru_cache(maxsize=4096)
def _cut(string: str) -> str:
    longest = max(_WORD.findall(string), key=len, default="")
    return longest if len(longest) >= 4 else string


def _simplest(sets: Iterable[frozenset[str]]) -> tuple[frozenset[str], ...]:
    """Return the sets without those another implies, the rarest-looking first.

    A text holding a string of ``B`` holds one of any ``A`` that contains ``B``, so such
    an ``A`` tests nothing more. Longer strings are rarer, so they are tried first.
    """
    unique = set(sets)
    kept = [a for a in unique if not any(b != a and b <= a for b in unique)]
    return tuple(sorted(kept, key=lambda s: (-min(map(len, s)), len(s), sorted(s))))


class Prefilter:
    """For a list of patterns, which may match a text, by the strings each requires."""

    def __init__(self, patterns: list[str]):
        self.required = [required_sets(pattern) for pattern in patterns]

    def candidates(self, text: str) -> list[bool]:
        """Return, per pattern, whether it may match ``text`` (False: it cannot)."""
        holds = text.__contains__  # map() over it keeps the many tests in C
        return [
            needed is None or all(any(map(holds, strings)) for strings in needed)
            for needed in self.required
        ]
