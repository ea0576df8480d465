"""Rendering clause text: sandboxed Jinja, then the line markup into paragraphs."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from toolkit import cache
from toolkit.exceptions import RenderError

# Jinja output is replaced by these markers, so that deal-spec values are inserted
# as text after the markup is parsed and can never create paragraphs or bold.
_VALUE_OPEN, _VALUE_CLOSE = "\ue000", "\ue001"
_MARKER_RE = re.compile(f"{_VALUE_OPEN}(\\d+){_VALUE_CLOSE}")
_ITEM_RE = re.compile(r"^(?P<indent> *)- (?:\[@(?P<label>[a-z][a-z0-9_]*)\] )?(?P<text>.*)$")


@dataclass(frozen=True)
class Text:
    """A run of contract text."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class CrossRef:
    """A reference to another clause (or a labelled item in it) or to a schedule."""

    target: str
    label: str | None = None
    schedule: bool = False

    @property
    def key(self) -> str:
        """Return the key the numbering table knows the target by."""
        return f"{self.target}.{self.label}" if self.label else self.target


@dataclass(frozen=True)
class OpenItem:
    """A value a draft may leave open; shown as [●] with a comment saying what is missing."""

    description: str

    def __str__(self) -> str:
        return "[●]"


Segment = Text | CrossRef | OpenItem


@dataclass
class Paragraph:
    """One paragraph of a clause: numbered at ``level`` 1-3, or unnumbered (``numbered`` False)."""

    level: int
    numbered: bool
    segments: list[Segment]
    label: str | None = None
    number: str = ""

    def copy(self) -> Paragraph:
        """Return a copy, unnumbered, that can be numbered and resolved on its own."""
        return Paragraph(self.level, self.numbered, list(self.segments), self.label)

    @property
    def plain(self) -> str:
        """Return the paragraph's text with cross-references shown by key."""
        return "".join(_plain(segment) for segment in self.segments)


@dataclass
class Table:
    """A table: the first row is the header row."""

    rows: list[list[list[Segment]]] = field(default_factory=list)

    def copy(self) -> Table:
        """Return a copy whose cells can be resolved on their own."""
        return Table([[list(cell) for cell in row] for row in self.rows])


Block = Paragraph | Table


def _plain(segment: Segment) -> str:
    if isinstance(segment, Text):
        return segment.text
    if isinstance(segment, OpenItem):
        return str(segment)
    return "{" + segment.key + "}"


def uk_date(value: Any) -> Any:
    """Format a date as a UK long date: 1 January 2027."""
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return value


def money(value: Any) -> Any:
    """Format a sum in pounds sterling: £1,250,000 or £12.50."""
    if isinstance(value, OpenItem) or isinstance(value, bool):
        return value
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def percent(value: Any) -> Any:
    """Format a number as a percentage: 3.5%."""
    if isinstance(value, OpenItem):
        return value
    return f"{Decimal(str(value)).normalize():f}%"


def _joined(values: Any, word: str) -> str:
    items = [str(uk_date(v)) for v in values]
    if len(items) <= 2:
        return f" {word} ".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def and_list(values: Any) -> str:
    """Join items as 'a, b and c'."""
    return _joined(values, "and")


def or_list(values: Any) -> str:
    """Join items as 'a, b or c'."""
    return _joined(values, "or")


_HELD: ContextVar[list[Any]] = ContextVar("held_values")
_ENVIRONMENT = None
# Compiled clause texts, by source: the environment never changes, so neither do they.
_COMPILED: dict[str, Any] = {}


def _ref(target: str, label: str | None = None) -> CrossRef:
    return CrossRef(str(target), None if label is None else str(label))


def _schedule(target: str) -> CrossRef:
    return CrossRef(str(target), schedule=True)


def _hold(value: Any) -> str:
    """Stand a printed value aside, leaving a marker, so that it stays data."""
    if value is None:
        raise RenderError("a value printed by the text is empty (None)")
    if isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, dt.date):
        value = uk_date(value)
    elif not isinstance(value, (CrossRef, OpenItem)):
        # A value is one run of text: line breaks and tabs become spaces.
        value = " ".join(str(value).split())
    held = _HELD.get()
    held.append(value)
    return f"{_VALUE_OPEN}{len(held) - 1}{_VALUE_CLOSE}"


def environment():
    """Return the sandboxed, StrictUndefined Jinja environment clause texts render in."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        from jinja2 import FunctionLoader, StrictUndefined, __version__
        from jinja2.sandbox import SandboxedEnvironment

        env = SandboxedEnvironment(
            # Texts are compiled by hash through a loader so that Jinja's bytecode cache
            # can keep their compiled code between runs (toolkit.cache).
            loader=FunctionLoader(_source_by_name),
            bytecode_cache=_bytecode_cache_class()(cache.Memo("clause-templates", __version__)),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            autoescape=False,
            finalize=_hold,
        )
        env.filters.update(
            date=uk_date, money=money, percent=percent, and_list=and_list, or_list=or_list
        )
        env.globals.update(ref=_ref, schedule=_schedule)
        _ENVIRONMENT = env
    return _ENVIRONMENT


def compile_text(source: str):
    """Compile a clause text (once per process, its code kept between runs)."""
    template = _COMPILED.get(source)
    if template is None:
        name = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        _SOURCES[name] = source
        try:
            template = environment().get_template(name)
        finally:
            del _SOURCES[name]
        _COMPILED[source] = template
    return template


# The text being compiled, by the name compile_text gives it.
_SOURCES: dict[str, str] = {}


def _source_by_name(name: str) -> tuple[str, None, Any]:
    return _SOURCES[name], None, lambda: True


def _bytecode_cache_class():
    from jinja2 import BytecodeCache

    class MemoBytecodeCache(BytecodeCache):
        """Jinja's bytecode cache, kept in a persistent memo (checked by Jinja on load)."""

        def __init__(self, memo: cache.Memo) -> None:
            self.memo = memo

        def load_bytecode(self, bucket) -> None:
            stored = self.memo.get(bucket.key)
            if stored is not None:
                # Jinja checks the stored code's format, Python version and source hash.
                bucket.bytecode_from_string(stored)

        def dump_bytecode(self, bucket) -> None:
            self.memo.set(bucket.key, bucket.bytecode_to_string())

    return MemoBytecodeCache


class TextRenderer:
    """Renders clause texts into paragraphs and tables."""

    def render(self, source: str, context: dict, name: str) -> list[Block]:
        """Render a clause text into paragraphs and tables."""
        from jinja2 import TemplateError
        from jinja2.exceptions import SecurityError

        values: list[Any] = []
        token = _HELD.set(values)
        try:
            rendered = compile_text(source).render(context)
        except SecurityError as exc:
            raise RenderError(f"{name}: the text tried an unsafe operation ({exc})") from None
        except TemplateError as exc:
            line = getattr(exc, "lineno", None)
            where = f" (line {line} of the text)" if line else ""
            raise RenderError(f"{name}: the text does not render{where}: {exc}") from None
        except RenderError as exc:
            raise RenderError(f"{name}: {exc}") from None
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise RenderError(f"{name}: the text does not render: {exc}") from None
        finally:
            _HELD.reset(token)
        # Numbering and cross-references are filled in place: each use gets copies of
        # the blocks kept, which are never handed out.
        return [block.copy() for block in _parsed_once(rendered, tuple(values), name)]

    def render_inline(self, source: str, context: dict, name: str) -> list[Segment]:
        """Render a one-paragraph text (a definition) into segments."""
        blocks = self.render(" ".join(source.split()), context, name)
        segments: list[Segment] = []
        for block in blocks:
            if isinstance(block, Paragraph):
                segments += block.segments
        return segments


def _inline(text: str, values: Sequence[Any], name: str) -> list[Segment]:
    """Split a line into runs: bold markup from the template, values as plain text."""
    if text.count("**") % 2:
        raise RenderError(f"{name}: unbalanced ** (bold) markup in: {text[:60]}")
    if "**" not in text and _VALUE_OPEN not in text:  # most lines: one plain run
        return [Text(text)] if text else []
    segments: list[Segment] = []
    for index, chunk in enumerate(text.split("**")):
        bold = index % 2 == 1
        position = 0
        for match in _MARKER_RE.finditer(chunk):
            if match.start() > position:
                segments.append(Text(chunk[position : match.start()], bold))
            value = values[int(match.group(1))]
            segments.append(value if not isinstance(value, str) else Text(value, bold))
            position = match.end()
        if position < len(chunk):
            segments.append(Text(chunk[position:], bold))
    return _merge(segments)


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        previous = merged[-1] if merged else None
        if (
            isinstance(segment, Text)
            and isinstance(previous, Text)
            and previous.bold == segment.bold
        ):
            merged[-1] = Text(previous.text + segment.text, segment.bold)
        elif not (isinstance(segment, Text) and not segment.text):
            merged.append(segment)
    return merged


# Most clauses read the same, printing the same values, in every contract of a batch.
# A value is text, a CrossRef or an OpenItem: hashable.
@functools.lru_cache(maxsize=4096)
def _parsed_once(rendered: str, values: tuple[Any, ...], name: str) -> tuple[Block, ...]:
    return tuple(parse_markup(rendered, values, name))


def parse_markup(rendered: str, values: Sequence[Any], name: str) -> list[Block]:
    """Turn rendered clause text into blocks (see the library format in the README)."""
    blocks: list[Block] = []
    level = 0
    for number, line in enumerate(rendered.split("\n"), start=1):
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = stripped.strip("|").split("|")
            row = [_inline(cell.strip(), values, name) for cell in cells]
            if not blocks or not isinstance(blocks[-1], Table):
                blocks.append(Table())
            table = blocks[-1]
            if table.rows and len(row) != len(table.rows[0]):
                raise RenderError(f"{name}: line {number}: table row has a different cell count")
            table.rows.append(row)
            continue
        match = _ITEM_RE.match(line.rstrip())
        if match:
            indent = len(match.group("indent"))
            if indent % 2 or indent > 4:
                raise RenderError(
                    f"{name}: line {number}: list items are indented by 0, 2 or 4 spaces"
                )
            level = indent // 2 + 1
            blocks.append(
                Paragraph(
                    level, True, _inline(match.group("text"), values, name), match.group("label")
                )
            )
        else:
            blocks.append(Paragraph(level, False, _inline(stripped, values, name)))
    return blocks
