"""Comparing what a reader sees in the returned document with the issued document.

Both documents are read into the same model (``seen_read``): every story, the effects
that reach the reader resolved through the styles, the numbers shown, field results,
contents lines, parts, data bindings and imported chunks, document properties. The
issued document is the toolkit's own rendering of the issued contract, so any
difference is something the toolkit did not write. Nothing here whitelists an attack:
it compares two models. Each finding is tied to the clause it sits in, so hidden or
altered text inside a mandatory clause is a mandatory problem; formatting that changes
neither the words nor what a reader sees (a font, bold, underline) is cosmetic.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from toolkit.check.layout import normalise_title
from toolkit.check.lines import label_of
from toolkit.check.report import SEEN, Change, ChangeKind, CheckReport, Classification
from toolkit.check.seen_read import EXECUTION, FRONT, Seen, read_seen
from toolkit.contract.model import Contract
from toolkit.principles import MANDATORY_IDS

_MAX_LISTED = 20
_TRAILING_PAGE = re.compile(r"\s*\d+$")


def clause_maps(contract: Contract) -> tuple[dict[str, str], dict[str, str]]:
    """Return heading bookmark -> clause id, and normalised title -> clause id."""
    marks = {part.bookmark: part.id for part in contract.parts}
    titles = {normalise_title(part.clause.title): part.id for part in contract.parts}
    return marks, titles


def seen_of(source: Path | bytes, contract: Contract, *, rejected: bool = False) -> Seen:
    """Read what a reader sees of a .docx, its clauses known by the contract's headings."""
    marks, titles = clause_maps(contract)
    return read_seen(source, marks, titles, rejected=rejected)


def compare_seen(
    issued: Seen,
    path: Path | bytes,
    contract: Contract,
    report: CheckReport,
    *,
    rejected: bool = False,
) -> None:
    """Report every difference a reader would see beyond the clause text."""
    returned = seen_of(path, contract, rejected=rejected)
    _Comparison(issued, returned, contract, report, rejected).run()


class _Comparison:
    def __init__(self, issued: Seen, returned: Seen, contract, report, rejected: bool) -> None:
        self.issued, self.returned = issued, returned
        self.contract, self.report = contract, report
        self.suffix = " (with the tracked changes rejected)" if rejected else ""

    def add(self, message: str, clause: str | None, classification=None, changes=()) -> None:
        """Record a finding tied to a clause (mandatory inside a mandatory clause)."""
        part = self.contract.part(clause) if clause else None
        if classification is None:
            classification = (
                Classification.MANDATORY if clause in MANDATORY_IDS else Classification.NON_STANDARD
            )
        self.report.add(
            SEEN,
            message + self.suffix,
            clause=part.id if part else None,
            label=label_of(part) if part else (clause if clause in (FRONT, EXECUTION) else ""),
            number=part.display_number if part else None,
            title=part.clause.title if part else None,
            classification=classification,
            changes=list(changes),
        )

    def where(self, story: str, clause: str | None) -> str:
        part = self.contract.part(clause) if clause else None
        inside = f" in {label_of(part)}" if part else ""
        return f"the {story}{inside}" if story != "body" else (label_of(part) if part else story)

    def run(self) -> None:
        self.stories()
        self.effects()
        self.numbers()
        self.contents()
        self.fields()
        self.package()

    def stories(self) -> None:
        issued, returned = self.issued, self.returned
        for story, lines in returned.stories.items():
            before = issued.stories.get(story, [])
            extra = [line for line in lines if line not in before]
            if extra:
                clause = returned.anchors.get(story)
                self.add(
                    f"text in {self.where(story, clause)} that the toolkit did not write: "
                    + "; ".join(f"\u201c{line}\u201d" for line in extra[:_MAX_LISTED]),
                    clause,
                    changes=[
                        Change(ChangeKind.ADDED, story, "{+" + x + "+}", None, x) for x in extra
                    ],
                )
        for story, lines in issued.stories.items():
            if lines and not returned.stories.get(story):
                self.add(f"the {story} the toolkit wrote is missing", None)

    def effects(self) -> None:
        issued, returned = self.issued, self.returned
        for key, count in (returned.effects - issued.effects).items():
            story, clause, effect, text = key
            shown = [
                line
                for line in returned.samples.get(key, [])
                if (story, clause, line) in issued.texts
            ]
            if not shown and (story, clause, effect) in issued.kinds:
                continue  # new words in the clause's usual formatting: the clause check's
            shown = shown or returned.samples.get(key, [])
            words = text or (shown[0] if shown else "")
            times = f" ({count} times)" if count > 1 else ""
            where = self.where(story, clause)
            self.add(f"text in {where} is {plain(effect)}: \u201c{words}\u201d{times}", clause)
        changed = Counter()
        for one, other in ((returned, issued), (issued, returned)):
            for key in one.cosmetic - other.cosmetic:
                story, clause, effect, _ = key
                kept = [
                    line
                    for line in one.samples.get(key, [])
                    if (story, clause, line) in other.texts
                ]
                if kept or (story, clause, effect) not in other.kinds:
                    changed[(story, clause)] += 1
        for (story, clause), count in changed.items():
            self.add(
                f"formatting in {self.where(story, clause)} differs from what the toolkit "
                f"writes (font, underline or capitals; {count} span(s)); the words and "
                "what they mean are unchanged",
                clause,
                Classification.COSMETIC,
            )

    def numbers(self) -> None:
        issued, returned = self.issued.numbers, self.returned.numbers
        if len(issued) != len(returned):
            return  # paragraphs were added or removed: the clause check reports them
        by_clause: dict[str | None, list[str]] = {}
        for (clause, was, _), (_, now, _) in zip(issued, returned, strict=True):
            if was != now:
                by_clause.setdefault(clause, []).append(f"{was} is now shown as {now}")
        for clause, shifts in by_clause.items():
            self.add(
                "the numbers shown differ from those issued (numbering definitions were "
                f"changed): {'; '.join(shifts[:5])}"
                + (f"; and {len(shifts) - 5} more" if len(shifts) > 5 else ""),
                clause,
            )

    def contents(self) -> None:
        headings = {normalise_title(p.clause.title) for p in self.contract.parts}
        allowed = set(self.issued.contents)
        for line in dict.fromkeys(self.returned.contents):
            if line in allowed or normalise_title(_TRAILING_PAGE.sub("", line)) in headings:
                continue
            self.add(
                "text in the table of contents (or styled or marked as contents) that is "
                f"not a clause heading, which a reader of the clauses skips: \u201c{line}\u201d",
                None,
                Classification.MANDATORY,
                [Change(ChangeKind.ADDED, "contents", "{+" + line + "+}", None, line)],
            )

    def fields(self) -> None:
        issued = self.issued.fields
        expected: dict[str, str] = {}
        for _, _, instruction, result in issued:
            expected.setdefault(instruction, result)
        for story, clause, instruction, result in self.returned.fields - issued:
            name = (instruction.split() or ["?"])[0]
            literal = _quoted(instruction) if name == "QUOTE" else None
            if instruction in expected:
                message = (
                    f"a {name} field in {self.where(story, clause)} shows \u201c{result}\u201d "
                    f"where updating it shows \u201c{expected[instruction]}\u201d"
                )
            elif literal is not None and literal != result:
                message = (
                    f"a QUOTE field in {self.where(story, clause)} shows \u201c{result}\u201d "
                    f"but becomes \u201c{literal}\u201d when fields are updated"
                )
            else:
                message = (
                    f"a {name} field the toolkit never writes, in {self.where(story, clause)}, "
                    f"showing \u201c{result}\u201d"
                )
            was = expected.get(instruction, literal)
            shown = Change(ChangeKind.CHANGED, f"{name} field", f"{{+{result}+}}", was, result)
            self.add(message, clause, changes=[shown])

    def package(self) -> None:
        for relation in self.returned.relations - self.issued.relations:
            self.add(
                f"a part the toolkit did not write: {relation}", None, Classification.MANDATORY
            )
        for oddity, clause in dict.fromkeys(self.returned.oddities):
            if (oddity, clause) not in self.issued.oddities:
                self.add(
                    f"{oddity} (what it shows is not what was issued)",
                    clause,
                    Classification.MANDATORY,
                )
        for name, value in self.returned.properties.items():
            if self.issued.properties.get(name, "") != value:
                self.add(
                    f"the document property '{name}' reads \u201c{value}\u201d; issued "
                    f"\u201c{self.issued.properties.get(name, '')}\u201d",
                    None,
                )


def _quoted(instruction: str) -> str:
    """Return the literal text a QUOTE field computes."""
    rest = instruction.split(None, 1)[1] if len(instruction.split(None, 1)) > 1 else ""
    rest = re.sub(r"\\\*\s*\S+", "", rest).strip()
    if rest.startswith('"') and rest.endswith('"') and len(rest) >= 2:
        rest = rest[1:-1]
    return " ".join(rest.split())


def plain(effect: str) -> str:
    """Return an effect in plain words."""
    name, _, value = effect.partition(" ")
    return {
        "hidden": "hidden",
        "struck": "struck through",
        "coloured": f"coloured {value}",
        "size": f"set in size {int(value) / 2:g} pt" if value.isdigit() else "resized",
        "position": "raised or lowered",
        "vertAlign": f"set as {value}",
        "highlighted": f"highlighted {value}",
        "spacing": "squeezed or spread",
        "scaled": f"scaled to {value}%",
        "shaded": f"shaded {value}",
    }.get(name, effect)
