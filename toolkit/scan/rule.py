"""What a rule of the screen is: the words it looks for, the principle, the hint, and the
sentences it must refuse and must accept, side by side so that a lawyer can read them.

The rules are held in code, not in the clause library, so that no library edit can
weaken the check that polices the library.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from toolkit.scan.predicates import Context

__all__ = ["Check", "Rule"]

Check = Callable[[str, re.Match, Context], bool]


@dataclass(frozen=True)
class Rule:
    """One rule: a pattern over normalised sentences, read with its grammar and check.

    ``principle`` 0 means "the principle of the mandatory clause it overrides", worked
    out from the words (``{topic}`` in the message).
    """

    id: str
    principle: int
    pattern: str
    message: str
    hint: str
    negatable: bool = True  # "non-exclusive" and "no party has exclusive rights" are fine
    conditional: bool = False  # "not ... unless" still counts
    holder: bool = False  # "the NHS Party retains sole control" is fine
    check: Check | None = None
    refuse: tuple[str, ...] = ()  # sentences this rule must refuse
    accept: tuple[str, ...] = ()  # near misses the screen as a whole must accept

    @property
    def regex(self) -> re.Pattern:
        """Return the compiled pattern (compiled once, on first use)."""
        return _compiled(self.pattern)

    def matches(self, text: str) -> Iterator[re.Match]:
        """Yield the pattern's matches in ``text``, as ``regex.finditer`` would.

        A pattern that opens with the words before its verb (``(?P<target>[^,;]{0,100}?)``,
        "clause 8 ... shall not apply") would be tried at every position of the text; so
        the verb is found first and the pattern tried once, from the earliest place its
        opening words could start. The matches are the same, found many times faster.
        """
        lead = _LEAD.match(self.pattern)
        if lead is None:
            yield from self.regex.finditer(text)
            return
        verb, longest = _compiled(self.pattern[lead.end() :]), int(lead.group(1))
        position = 0
        while position <= len(text):
            found = verb.search(text, position)
            if found is None:
                return
            separator = max(
                text.rfind(",", position, found.start()), text.rfind(";", position, found.start())
            )
            start = max(position, separator + 1, found.start() - longest)
            match = self.regex.match(text, start)
            if match is None:  # cannot happen for such a pattern; never loop on it
                position = found.start() + 1
                continue
            yield match
            position = match.end() if match.end() > match.start() else match.end() + 1


# The opening words of an override rule, before its verb: at most N characters of one
# phrase, as few as the verb allows.
_LEAD = re.compile(r"^\(\?P<\w+>\[\^,;\]\{0,(\d+)\}\?\)")


@functools.cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


EXCLUSIVE_HINT = (
    "No right over NHS data may be exclusive, sole or preferential (principle 3); every "
    "contract already says all rights are non-exclusive. Delete this, or redraft it on "
    "non-exclusive terms."
)
LOCKOUT_HINT = (
    "The NHS Party must stay free to share its data with, and work with, anyone else "
    "(principle 3). Delete the restriction."
)
BENEFIT_HINT = (
    "Benefits must be capable of being applied across the NHS nationally (principle 3); "
    "remove the limitation. The national application clause already governs wider use."
)
LOCKIN_HINT = (
    "The NHS must not be tied to one supplier's format, platform or products (principle 3): "
    "use open standards and keep the NHS free to export and move its data."
)
OVERRIDE_HINT = (
    "Additional terms cannot disapply, override or water down the mandatory clauses. "
    "Delete this, or ask the Centre for an approved fallback position."
)
SECRECY_HINT = (
    "Confidentiality may protect the Data and genuine trade secrets, never the existence, "
    "parties, purpose or benefits of the agreement (principle 4). Delete this, or make it "
    "expressly subject to the transparency, publication and freedom of information clauses."
)
BENEFIT_SOFT_HINT = (
    "The benefits must be explicit and quantified commitments (principle 1); do not make "
    "them aspirational or unenforceable."
)
