"""The formatting a reader actually sees: run properties resolved through the styles, and
the number Word shows before each numbered paragraph.

Editors restructure styles and numbering freely (LibreOffice renames styles, moves a
level's style link into the style, adds unused lists and styles; Word adds rsids and
latent styles), so `check` never compares definitions. It resolves, for every run, the
properties that reach the reader (document defaults, then the paragraph style chain,
then the character style chain, then direct formatting), and computes for every
numbered paragraph the label Word displays. Two documents then compare equal exactly
when a reader sees the same thing, whatever their XML looks like.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.docx.conventions import W_NS
from toolkit.docx.elements import first_child

_W = f"{{{W_NS}}}"
_OFF = {"0", "false", "off", "none"}
# Properties whose change alters what a reader sees or understands: never cosmetic.
_TOGGLES = {"vanish": "hidden", "specVanish": "hidden", "strike": "struck", "dstrike": "struck"}
_VALUED = ("color", "sz", "position", "vertAlign", "highlight", "spacing", "w", "shd")
# Properties that change how text looks, not what it says: cosmetic. Bold and italic
# are left out: LibreOffice writes a table style's conditional bold onto each run.
_COSMETIC_TOGGLES = {"caps": "capitals", "smallCaps": "small capitals"}
_MAX_DEPTH = 20  # style chains deeper than this are cut (a loop or an attack)


def run_properties(rpr) -> dict[str, str]:
    """Return the reader-visible properties set by one w:rPr (or w:pPr/w:rPr) element."""
    if rpr is None:
        return {}
    found: dict[str, str] = {}
    for child in rpr:
        name = child.tag[len(_W) :] if child.tag.startswith(_W) else ""
        if name in _TOGGLES or name in _COSMETIC_TOGGLES:
            found[name] = "off" if child.get(_W + "val", "1").lower() in _OFF else "on"
        elif name in _VALUED:
            value = child.get(_W + "val") or child.get(_W + "fill") or ""
            found[name] = value.upper() if name in ("color", "shd") else value
        elif name == "u":
            found["u"] = "off" if child.get(_W + "val", "single") in _OFF else "on"
        elif name == "rFonts":
            font = child.get(_W + "ascii") or child.get(_W + "hAnsi")
            if font:
                found["font"] = font
    return found


def effects(properties: dict[str, str]) -> tuple[frozenset[str], frozenset[str]]:
    """Return the effects of resolved properties: (those that matter, the cosmetic ones)."""
    serious: set[str] = set()
    cosmetic: set[str] = set()
    for name, label in _TOGGLES.items():
        if properties.get(name) == "on":
            serious.add(label)
    color = properties.get("color", "AUTO")
    if color not in ("AUTO", "000000", ""):
        serious.add(f"coloured {color}")
    shade = properties.get("shd", "AUTO")
    if shade not in ("AUTO", "", "FFFFFF", "NONE", "CLEAR"):
        serious.add(f"shaded {shade}")
    for name in ("position", "spacing"):
        if properties.get(name, "0") not in ("0", ""):
            serious.add(f"{name} {properties[name]}")
    if properties.get("w", "100") not in ("100", ""):
        serious.add(f"scaled {properties['w']}")
    if properties.get("vertAlign", "baseline") not in ("baseline", ""):
        serious.add(f"vertAlign {properties['vertAlign']}")
    if properties.get("highlight", "none") not in ("none", ""):
        serious.add(f"highlighted {properties['highlight']}")
    if properties.get("sz"):
        serious.add(f"size {properties['sz']}")
    for name, label in _COSMETIC_TOGGLES.items():
        if properties.get(name) == "on":
            cosmetic.add(label)
    if properties.get("u") == "on":
        cosmetic.add("underlined")
    if properties.get("font"):
        cosmetic.add(f"font {properties['font']}")
    return frozenset(serious), frozenset(cosmetic)


# A table style's conditional formats, from least to most specific (ECMA-376 17.7.6):
# a later one overrides an earlier one where both apply to a cell.
CONDITIONS = (
    "wholeTable",
    "band1Vert",
    "band2Vert",
    "band1Horz",
    "band2Horz",
    "firstCol",
    "lastCol",
    "firstRow",
    "lastRow",
    "neCell",
    "nwCell",
    "seCell",
    "swCell",
)
# tblLook's bits (its hex w:val) for the conditions a table switches on or off.
_LOOK_BITS = {
    "firstRow": 0x0020,
    "lastRow": 0x0040,
    "firstColumn": 0x0080,
    "lastColumn": 0x0100,
    "noHBand": 0x0200,
    "noVBand": 0x0400,
}


@dataclass
class _Style:
    kind: str
    based_on: str | None
    run: dict[str, str]
    num_id: str | None
    level: str | None
    # a table style's run properties by condition ("firstRow", ...)
    conditional: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class StyleSheet:
    """A document's styles, resolved on demand."""

    styles: dict[str, _Style] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    default_paragraph: str | None = None
    # Resolved properties, keyed ("style", id) or ("table", id, conditions): a style id is
    # the document's to choose, so it must never be able to name a table's entry.
    _cache: dict[tuple, dict[str, str]] = field(default_factory=dict)
    _effects: dict[tuple, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)
    _numbering: dict[str | None, tuple[str | None, str | None]] = field(default_factory=dict)

    @classmethod
    def read(cls, root) -> StyleSheet:
        """Read styles.xml (its root element, or None for a document without one)."""
        sheet = cls()
        if root is None:
            return sheet
        defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        sheet.defaults = run_properties(defaults)
        for style in root.iter(_W + "style"):
            key = style.get(_W + "styleId") or ""
            based = style.find(_W + "basedOn")
            numpr = style.find(f"{_W}pPr/{_W}numPr")
            num_id = level = None
            if numpr is not None:
                node = numpr.find(_W + "numId")
                num_id = node.get(_W + "val") if node is not None else None
                node = numpr.find(_W + "ilvl")
                level = node.get(_W + "val") if node is not None else None
            sheet.styles[key] = _Style(
                style.get(_W + "type", "paragraph"),
                based.get(_W + "val") if based is not None else None,
                run_properties(style.find(_W + "rPr")),
                num_id,
                level,
                {
                    node.get(_W + "type", ""): run_properties(node.find(_W + "rPr"))
                    for node in style.iter(_W + "tblStylePr")
                },
            )
            if style.get(_W + "type") == "paragraph" and style.get(_W + "default") in ("1", "true"):
                sheet.default_paragraph = key
        if sheet.default_paragraph is None and "Normal" in sheet.styles:
            sheet.default_paragraph = "Normal"  # as Word and LibreOffice read an unmarked one
        return sheet

    def chain(self, key: str | None) -> list[_Style]:
        """Return a style and those it is based on, the most general first."""
        out: list[_Style] = []
        seen: set[str] = set()
        while key and key in self.styles and key not in seen and len(out) < _MAX_DEPTH:
            seen.add(key)
            out.append(self.styles[key])
            key = self.styles[key].based_on
        return out[::-1]

    def resolved(self, key: str | None) -> dict[str, str]:
        """Return the run properties a style gives its text (its chain merged)."""
        cached = self._cache.get(("style", key or ""))
        if cached is None:
            cached = {}
            for style in self.chain(key):
                cached.update(style.run)
            self._cache[("style", key or "")] = cached
        return cached

    def run(
        self,
        paragraph_style: str | None,
        character_style: str | None,
        direct,
        table: dict[str, str] | None = None,
    ) -> dict:
        """Return the properties of one run: defaults, table style, paragraph style,
        character style, direct formatting.

        ``table`` is what the table style gives the cell (``table_run``). Word lets a
        table style override the default paragraph style's properties (not another
        paragraph style's), so it is applied after the paragraph style in that case.
        """
        merged = dict(self.defaults)
        paragraph_style = paragraph_style or self.default_paragraph
        by_default = paragraph_style == self.default_paragraph
        if table and not by_default:
            merged.update(table)
        merged.update(self.resolved(paragraph_style))
        if table and by_default:
            merged.update(table)
        if character_style:
            merged.update(self.resolved(character_style))
        merged.update(run_properties(direct))
        return merged

    def run_effects(
        self,
        paragraph_style: str | None,
        character_style: str | None,
        direct,
        table: dict[str, str] | None = None,
    ) -> tuple[frozenset[str], frozenset[str]]:
        """Return the ``effects`` of one run's properties (see ``run``), worked out once
        for each combination of styles, direct formatting and table style."""
        own = run_properties(direct)
        key = (
            paragraph_style,
            character_style,
            tuple(own.items()),
            tuple(table.items()) if table else (),
        )
        found = self._effects.get(key)
        if found is None:
            merged = self.run(paragraph_style, character_style, None, table)
            merged.update(own)
            found = self._effects[key] = effects(merged)
        return found

    def table_run(self, table_style: str | None, conditions: tuple[str, ...]) -> dict[str, str]:
        """Return the run properties a table style gives a cell meeting ``conditions``."""
        key = ("table", table_style, conditions)
        cached = self._cache.get(key)
        if cached is None:
            cached = {}
            chain = self.chain(table_style)
            for style in chain:
                cached.update(style.run)
            for condition in CONDITIONS:
                if condition in conditions:
                    for style in chain:
                        cached.update(style.conditional.get(condition, {}))
            self._cache[key] = cached
        return cached

    def numbering_of(self, paragraph_style: str | None) -> tuple[str | None, str | None]:
        """Return the (numId, ilvl) a paragraph style gives its paragraphs, if any."""
        found = self._numbering.get(paragraph_style)
        if found is None:
            num_id = level = None
            for style in self.chain(paragraph_style or self.default_paragraph):
                num_id = style.num_id or num_id
                level = style.level or level
            found = self._numbering[paragraph_style] = (num_id, level)
        return found


def table_conditions(look, row: int, rows: int, column: int, columns: int) -> tuple[str, ...]:
    """Return the conditional formats of a table style that reach one cell.

    ``look`` is the table's w:tblLook (or None): which of the first/last row and column
    and the banding it switches on.
    """
    wanted = _look(look)
    found = ["wholeTable"]
    first_row = wanted["firstRow"] and row == 0
    last_row = wanted["lastRow"] and row == rows - 1
    first_col = wanted["firstColumn"] and column == 0
    last_col = wanted["lastColumn"] and column == columns - 1
    if not wanted["noVBand"] and not (first_col or last_col):
        index = column - (1 if wanted["firstColumn"] else 0)
        found.append("band1Vert" if index % 2 == 0 else "band2Vert")
    if not wanted["noHBand"] and not (first_row or last_row):
        index = row - (1 if wanted["firstRow"] else 0)
        found.append("band1Horz" if index % 2 == 0 else "band2Horz")
    for condition, applies in (
        ("firstCol", first_col),
        ("lastCol", last_col),
        ("firstRow", first_row),
        ("lastRow", last_row),
        ("nwCell", first_row and first_col),
        ("neCell", first_row and last_col),
        ("swCell", last_row and first_col),
        ("seCell", last_row and last_col),
    ):
        if applies:
            found.append(condition)
    return tuple(found)


def _look(look) -> dict[str, bool]:
    """Return the switches of a w:tblLook, from its attributes or else its hex value."""
    value = _int_hex(look.get(_W + "val") if look is not None else None)
    out: dict[str, bool] = {}
    for name, bit in _LOOK_BITS.items():
        attribute = look.get(_W + name) if look is not None else None
        if attribute is not None:
            out[name] = attribute.lower() not in _OFF
        else:
            out[name] = bool(value & bit)
    return out


def _int_hex(value: str | None) -> int:
    if not value or len(value) > 8:
        return 0
    try:
        return int(value, 16)
    except ValueError:
        return 0


_FORMATS = {
    "lowerLetter": lambda n: _letters(n).lower(),
    "upperLetter": lambda n: _letters(n),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperRoman": lambda n: _roman(n),
    "none": lambda n: "",
    "bullet": lambda n: "\u2022",
}


def _letters(number: int) -> str:
    number = max(number, 1)
    return chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _roman(number: int) -> str:
    if not 0 < number < 4000:
        return str(number)
    out = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= value:
            out += letters
            number -= value
    return out


@dataclass
class _Level:
    start: int
    fmt: str
    text: str
    legal: bool
    style: str | None
    run: dict[str, str]


class Numbering:
    """The numbers Word shows before numbered paragraphs, counted through the document."""

    def __init__(self, root, styles: StyleSheet) -> None:
        """Read numbering.xml (its root, or None) against the document's styles."""
        self.styles = styles
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.by_style: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        for abstract in root.iter(_W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iter(_W + "lvl"):
                index = _int(lvl.get(_W + "ilvl"), 0)
                if not 0 <= index <= 8:
                    continue
                levels[index] = _Level(
                    _int(_val(lvl, "start"), 0),
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                    lvl.find(_W + "isLgl") is not None,
                    _val(lvl, "pStyle"),
                    run_properties(lvl.find(_W + "rPr")),
                )
            self.abstract[abstract.get(_W + "abstractNumId") or ""] = levels
        for num in root.iter(_W + "num"):
            overrides = {
                _int(o.get(_W + "ilvl"), 0): _int(_val(o, "startOverride"), 1)
                for o in num.iter(_W + "lvlOverride")
                if o.find(_W + "startOverride") is not None
            }
            self.nums[num.get(_W + "numId") or ""] = (_val(num, "abstractNumId") or "", overrides)
        for num_id, (abstract_id, _) in self.nums.items():
            for index, level in self.abstract.get(abstract_id, {}).items():
                if level.style:
                    self.by_style.setdefault(level.style, (num_id, index))

    def label(self, paragraph) -> tuple[str, dict[str, str]]:
        """Return the label shown before a paragraph ("" if none) and its run properties."""
        ppr = first_child(paragraph, _W + "pPr")
        style_node = first_child(ppr, _W + "pStyle") if ppr is not None else None
        style = style_node.get(_W + "val") if style_node is not None else None
        num_id, level = self.styles.numbering_of(style)
        numpr = first_child(ppr, _W + "numPr") if ppr is not None else None
        if numpr is not None:
            num_id = _val(numpr, "numId") or num_id
            level = _val(numpr, "ilvl") or level
        if num_id is None and style in self.by_style:
            num_id, index = self.by_style[style]
            level = str(index)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return "", {}
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        index = min(max(_int(level, 0), 0), 8)
        if index not in levels:
            return "", {}
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for at, start in overrides.items():
                if 0 <= at <= 8:
                    counters[at] = start - 1
        current = counters[index]
        counters[index] = levels[index].start if current is None else current + 1
        for deeper in range(index + 1, 9):
            counters[deeper] = None
        text = levels[index].text
        for at in range(index, -1, -1):
            shown = levels.get(at)
            value = counters[at] if counters[at] is not None else (shown.start if shown else 1)
            fmt = "decimal" if levels[index].legal or shown is None else shown.fmt
            text = text.replace(f"%{at + 1}", _FORMATS.get(fmt, str)(value))
        return text, levels[index].run


def _val(node, name: str) -> str | None:
    child = first_child(node, _W + name)
    return child.get(_W + "val") if child is not None else None


def _int(value: str | None, default: int) -> int:
    """Return a small integer from an attribute; anything else (or huge) is the default."""
    if value is None or len(value) > 6:
        return default
    try:
        return int(value)
    except ValueError:
        return default
