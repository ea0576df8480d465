"""The screen: free text checked for terms the five principles forbid.

A deal spec's free text is written by a lawyer; the library's fallback positions and
model schedules by the Centre. Either could, by accident or design, grant exclusivity
over NHS data, confine the benefits to one trust or region, tie the NHS to one
supplier's platform, switch off a mandatory clause or hide the agreement. This package
finds such wording.

How it reads (one module each): the text is normalised (``normalise``: case, accents,
look-alike letters, entities, hyphens, split and spaced-out words), cut into sentences
and list limbs (``sentences``), and each sentence is matched (``reading``, with a
``prefilter`` that skips rules a sentence cannot match) against the rules (``rules``, by
family: ``exclusivity``, ``lockout``, ``benefits``, ``overrides``,
``secrecy``), read with their grammar (``grammar``: negation, who holds a right) and
their checks (``predicates``). Each rule carries the sentences it must refuse and
accept, and a test runs them all.

It is a screen, not a lawyer: it errs on the side of refusing, and every finding
quotes the words that caused it so that a person can judge and redraft.

Pure functions of the text; the only I/O is the toolkit's private cache (the rules'
prefilter and the results for texts screened before). No click.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit import cache
from toolkit.exceptions import Problem
from toolkit.lazy import lazy_names

# Imported here, not on first use: the submodule's import would otherwise rebind the
# package's name `normalise` to the module.
from toolkit.scan.normalise import normalise

__all__ = [
    "Finding",
    "normalise",
    "plain_text",
    "scan_field",
    "scan_library_text",
    "scan_term",
    "scan_terms",
    "scan_text",
]


@dataclass(frozen=True)
class Finding:
    """One passage of a text that breaks a principle."""

    rule: str
    principle: int
    quote: str
    message: str
    hint: str
    start: int
    end: int


def scan_text(text: str, *, library: bool = False) -> list[Finding]:
    """Return every passage of ``text`` that a principle forbids, in order.

    ``library`` reads ``text`` as library clause wording (so that "this clause prevails"
    refers to the library's own clause).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    # The screen is a pure function of the text, and a batch of deal specs repeats most
    # of its strings (parties, addresses, roles, purposes): each is read once.
    return list(_scan(str(text), library))


@functools.lru_cache(maxsize=4096)
def _scan(text: str, library: bool) -> tuple[Finding, ...]:
    # Kept between runs too: validating a deal spec, assembling it and checking the
    # returned contract against it screen the same texts, and a process that screens
    # only known texts neither imports the rules nor compiles a pattern.
    key = hashlib.sha256(f"{int(library)}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    found = _RESULTS.get(key)
    if found is None:
        from toolkit.scan.reading import screen

        found = screen(text, library)
        _RESULTS.set(key, found)
    return found


# About 60 bytes an entry: the file stays under a megabyte or two.
_RESULTS = cache.Memo("screen-results", limit=20_000)


def _problems(findings: Iterable[Finding], path: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for finding in findings:
        message = f'{finding.message}: "{finding.quote}"'
        if message in seen:
            continue
        seen.add(message)
        problems.append(Problem(path, message, finding.principle, finding.hint))
    return problems


def scan_term(text: str, path: str = "") -> list[Problem]:
    """Return the problems with one free-text term, each at ``path``."""
    return _problems(scan_text(text), path)


def scan_field(text: str, path: str = "") -> list[Problem]:
    """Return the problems with a descriptive field of a deal spec (a purpose, a reason).

    Such fields state facts, so "the national data opt-out does not apply" is read as
    one unless it names a clause; grants, lock-outs and secrecy are found as anywhere.
    """
    return _problems(scan_text(text, library=True), path)


def scan_terms(terms: Iterable[str], prefix: str = "clauses.additional_terms") -> list[Problem]:
    """Return the problems with a list of additional terms, at ``prefix[i]``."""
    problems: list[Problem] = []
    for index, term in enumerate(terms):
        problems += scan_term(term, f"{prefix}[{index}]")
    return problems


def scan_library_text(source: str, path: str) -> list[Problem]:
    """Return the problems with a library text (Jinja clause wording), at ``path``."""
    from toolkit.scan.sentences import plain_text

    return _problems(scan_text(plain_text(source), library=True), path)


# ``plain_text`` loads on first use (the screen may never need it).
__getattr__ = lazy_names(__name__, {"plain_text": "toolkit.scan.sentences"})
