"""How the screen reads text: one plain lower-case form, with a map back to the original.

Every disguise a drafter (or a sly counterparty) might use to slip a word past the
rules is undone here, once, so that the rules only ever see plain words:

- look-alike letters from other scripts (Cyrillic "е", Armenian "ս", dotless "ı",
  small capitals "ᴇ", mathematical letters), through Unicode NFKD and the Unicode
  TR39 confusables table (the ``confusable-homoglyphs`` package);
- accents, zero-width characters, soft hyphens and other invisible characters;
- HTML and XML character entities ("&#101;", "&eacute;", "&amp;");
- curly quotes, dashes and hyphens (a hyphen reads as a space: "non-exclusive" is
  "non exclusive");
- a word split by a hyphen, a space or a line break ("ex-clusive", "exclu\\nsive"),
  joined again when the pieces make one of the words the rules look for;
- a word spelt out in spaced letters ("e x c l u s i v e", "e.x.c.l.u.s.i.v.e").
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

from toolkit import cache

__all__ = ["Normalised", "compiled", "latin_letter", "normalise"]

DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d_")
_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
}
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# "&#101;", "&#x65;", "&eacute;" (a named entity needs its semicolon, as in HTML5 text
# where "&copy" alone is rare in contract wording and "R&D" must stay as written).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
# "Latin small letter dotless i", "Latin letter small capital E", "Latin small letter
# script g": the last word of the name is the plain letter it stands for.
_LATIN_NAME = re.compile(
    r"^LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL |DOTLESS |SCRIPT )?([A-Z])$"
)


@functools.cache
def compiled(pattern: str) -> re.Pattern:
    """Return ``pattern`` compiled, once: the screen's patterns are many and large, and
    compiling them only when text is first screened keeps every command quick to start."""
    return re.compile(pattern)


@functools.cache
def _confusable_letters() -> dict[str, str]:
    """Return every non-ASCII character that TR39 lists as a look-alike of a Latin letter.

    Kept in the toolkit's cache, keyed on the installed table's version and place:
    loading the table (a 900 kB JSON file, and the network modules its package imports)
    cost more than screening a new deal's texts.
    """
    import confusable_homoglyphs

    key = cache.make_key(
        "confusable-letters", confusable_homoglyphs.__version__, confusable_homoglyphs.__file__
    )
    kept = cache.load("confusable-letters", key)
    if (
        isinstance(kept, dict)
        and kept
        and all(
            isinstance(char, str) and isinstance(letter, str) and len(char) == len(letter) == 1
            for char, letter in kept.items()
        )
    ):
        return kept
    table = _letters_from_confusables()
    cache.store("confusable-letters", key, table)
    return table


def _letters_from_confusables() -> dict[str, str]:
    from confusable_homoglyphs.confusables import confusables_data

    table: dict[str, str] = {}
    for char, homoglyphs in confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in homoglyphs:
            target = glyph.get("c", "")
            if len(target) == 1 and target.isascii() and target.isalpha():
                table[char] = target.lower()
                break
    return table


# TR39 lists a few letters as look-alikes of "i" that, in running lower-case text, read
# as "l" (Cyrillic palochka: "excӏusive").
_AMBIGUOUS = {"\u04cf": "l", "\u04c0": "l", "\u01c0": "l", "\u05c0": "l"}


@functools.cache
def latin_letter(char: str) -> str:
    """Return the plain Latin letter a single look-alike character stands for, or ``char``."""
    if char.isascii():
        return char
    found = _AMBIGUOUS.get(char) or _confusable_letters().get(char)
    if found:
        return found
    try:
        name = unicodedata.name(char)
    except ValueError:
        return char
    plain = _LATIN_NAME.match(name)
    return plain.group(1).lower() if plain else char


@functools.cache
def _simplify(char: str) -> str:
    """Return what one character reads as: lower case, plain letters, spaces for dashes."""
    if char in _LINE_BREAKS:
        return "\n"
    if char in DASHES:
        return " "
    if char in _QUOTES:
        return _QUOTES[char]
    out = []
    for piece in unicodedata.normalize("NFKD", char):
        category = unicodedata.category(piece)
        if category in ("Mn", "Me", "Cf"):
            continue  # accents, zero-width characters, soft hyphens
        if piece.isspace() or category.startswith(("C", "Z")):
            out.append(" ")
            continue
        if piece in DASHES:
            out.append(" ")
            continue
        if piece in _QUOTES:
            out.append(_QUOTES[piece])
            continue
        out.append(latin_letter(piece.lower()).lower())
    return "".join(out)


def _decoded(original: str) -> list[tuple[int, str]]:
    """Return (position in the original, character) with character entities decoded."""
    if "&" not in original:
        return list(enumerate(original))
    pairs: list[tuple[int, str]] = []
    last = 0
    for entity in _ENTITY.finditer(original):
        pairs += [(at, original[at]) for at in range(last, entity.start())]
        decoded = html.unescape(entity.group())
        if decoded == entity.group():
            pairs += [(at, original[at]) for at in range(entity.start(), entity.end())]
        else:
            pairs += [(entity.start(), char) for char in decoded]
        last = entity.end()
    pairs += [(at, original[at]) for at in range(last, len(original))]
    return pairs


class Normalised:
    """Lower-cased, simplified text with a map from each of its characters to the original."""

    def __init__(self, original: str):
        self.original = original
        chars: list[str] = []
        index: list[int] = []
        for position, char in _decoded(original):
            for piece in _simplify(char):
                if piece == " " and (not chars or chars[-1] in " \n"):
                    continue
                if piece == "\n":
                    while chars and chars[-1] == " ":
                        chars.pop()
                        index.pop()
                    if not chars or chars[-1] == "\n":
                        continue
                chars.append(piece)
                index.append(position)
        _join_spaced_letters(chars, index)
        _join_split_words(chars, index, original)
        self.text = "".join(chars)
        self.index = index

    def quote(self, start: int, end: int) -> str:
        """Return the original words behind ``text[start:end]``, tidied and shortened."""
        start = max(0, min(start, len(self.index) - 1))
        end = max(start + 1, min(end, len(self.index)))
        words = " ".join(self.original[self.index[start] : self.index[end - 1] + 1].split())
        words = words.strip(" ,;:")
        if len(words) > 120:
            words = words[:117].rstrip() + "..."
        return words


# Four or more single letters in a row, each followed by a space or a dot: a word
# spelt out ("e x c l u s i v e", "s.o.l.e"). Legal text has lists such as "(a), (b)"
# but not runs of bare single letters.
_SPACED = re.compile(r"(?<![\w'])(?:[a-z][ .]){3,}[a-z](?![\w'])")


def _is_split_word(word: str) -> bool:
    return _SPLIT_WORD.fullmatch(word) is not None


def _join_spaced_letters(chars: list[str], index: list[int]) -> None:
    """Join a word spelt out in spaced letters, in place."""
    text = "".join(chars)
    if not _SPACED.search(text):
        return
    drop = []
    for match in _SPACED.finditer(text):
        word = match.group()[::2]
        # "a m o n o p o l y" is "a monopoly": keep a leading article apart when only the
        # rest is a word the rules know.
        first = (
            3 if word[0] in "ai" and _is_split_word(word[1:]) and not _is_split_word(word) else 1
        )
        drop += [match.start() + offset for offset in range(first, match.end() - match.start(), 2)]
    for at in reversed(drop):
        del chars[at]
        del index[at]


# Words that a hyphen, space or line break may split to slip past the rules:
# "ex-clusive", "exclu-\nsive", "exclu sive". The pieces are joined only when together
# they make one of these words and the tail is not one by itself, so "non-exclusive"
# stays "non exclusive".
_SPLIT_WORD = re.compile(
    r"(?:exclusi[vf]\w*|preferen\w*|prefer(?:red|ential)|priorit\w*|confidential\w*|"
    r"transparen\w*|proprietary|interoperab\w*|disappl\w*|notwithstanding|monopol\w*|"
    r"announce\w*|publish\w*|publication|secret\w*|supersed\w*|overrid\w*|disregard\w*|"
    r"ecsgliwsi\w*|unigryw|withh[oe]ld\w*|competitors?|lock ?in)"
)
# The stems of those words: a piece can begin a split word only if it begins a stem.
_STEMS = (
    "exclusiv",
    "exclusif",
    "preferen",
    "preferred",
    "priorit",
    "confidential",
    "transparen",
    "proprietary",
    "interoperab",
    "disappl",
    "notwithstanding",
    "monopol",
    "announce",
    "publish",
    "publication",
    "secret",
    "supersed",
    "overrid",
    "disregard",
    "ecsgliwsi",
    "unigryw",
    "withheld",
    "withhold",
    "competitor",
    "lockin",
)
# Those words whole: after a plain space or line break such a word stands alone
# ("publish any", "exclusive rights"), while a stem ("preferent\nial") is joined.
_WHOLE_WORD = re.compile(
    r"exclusiv(?:e|ely|ity)|exclusif|prefer(?:red|ential|ence|ences)|priorit(?:y|ies|ise[sd]?|"
    r"ize[sd]?)|confidential(?:ity)?|transparen(?:t|cy)|proprietary|interoperab(?:le|ility)|"
    r"disappl(?:y|ied|ies)|notwithstanding|monopol(?:y|ies)|announce(?:s|d|ments?)?|"
    r"publish(?:es|ed|ing)?|publication|secret(?:s|ly|ive)?|supersed(?:e|es|ed)|"
    r"overrid(?:e|es|den|ing)|disregard(?:s|ed)?|withh(?:eld|old|olding)|competitors?|"
    r"ecsgliwsif|unigryw"
)
_PREFIXES = frozenset(stem[:size] for stem in _STEMS for size in range(1, len(stem) + 1))
_WORD = re.compile(r"[a-z]+")


def _may_begin(piece: str | None) -> bool:
    """Whether ``piece`` may be the start of a split word ("ex", "preferen", "preferent")."""
    return piece is not None and (piece in _PREFIXES or piece.startswith(_STEMS))


def _join_split_words(chars: list[str], index: list[int], original: str) -> None:
    """Join the pieces of a word split by a hyphen or a break ("ex-clusive"), in place."""
    text = "".join(chars)
    words = [(match.start(), match.end()) for match in _WORD.finditer(text)]
    drop: list[int] = []
    for number in range(len(words) - 1):
        start, end = words[number]
        if words[number + 1][0] != end + 1:
            continue  # not one space or line break apart
        head = text[start:end]
        # Look one break back as well, for "ex-clu-sive".
        earlier = words[number - 1] if number else None
        joined_head = (
            text[earlier[0] : earlier[1]] + head if earlier and earlier[1] + 1 == start else None
        )
        if not (_may_begin(head) or joined_head in _PREFIXES):
            continue
        tails = [text[words[number + 1][0] : words[number + 1][1]]]
        if number + 2 < len(words) and words[number + 2][0] == words[number + 1][1] + 1:
            tails.append(tails[0] + text[words[number + 2][0] : words[number + 2][1]])
        # After a hyphen the head may be a word of its own ("preferen-tial"); after a
        # plain space or line break it must not be ("publish any" stays two words).
        hyphen = any(char in DASHES for char in original[index[end - 1] + 1 : index[end + 1]])
        for before in (head, joined_head):
            if not (_may_begin(before) if before == head else before in _PREFIXES):
                continue
            if not hyphen and _WHOLE_WORD.fullmatch(before):
                continue
            if any(
                _SPLIT_WORD.fullmatch(before + after) and not _SPLIT_WORD.fullmatch(tails[0])
                for after in tails
            ):
                drop.append(end)
                break
    for at in reversed(drop):
        del chars[at]
        del index[at]


def normalise(text: str) -> str:
    """Return ``text`` as the screen reads it (lower case, hyphens as spaces, and so on)."""
    return Normalised(text).text
