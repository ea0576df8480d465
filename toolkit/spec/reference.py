"""The README's deal-spec reference table, generated from the version-2 schema.

The README holds the table between cog markers, so `cog -r README.md` (or
`python -m toolkit.spec.reference README.md`) rewrites it, and a test fails when the
README and the schema disagree: the reference cannot drift from what is validated.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from toolkit.spec.schema import SPEC_SCHEMA_V2

BEGIN = (
    "<!-- [[[cog from toolkit.spec.reference import spec_reference; "
    "cog.out(spec_reference()) ]]] -->"
)
END = "<!-- [[[end]]] -->"


def _values(rules: dict) -> str:
    """Return what a field accepts, in words, from its Cerberus rules."""
    parts = []
    if "allowed" in rules:
        parts.append(", ".join(f"`{value}`" for value in rules["allowed"]))
    elif rules.get("type") == "list" and "schema" not in rules:
        parts.append("list")
    elif rules.get("type") not in ("dict", "list"):
        kinds = rules.get("type", "string")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        words = {"string": "text", "integer": "whole number", "number": "number", "date": "date"}
        parts.append(" or ".join(words.get(kind, kind) for kind in kinds))
    if "min" in rules and "max" in rules:
        parts.append(f"{rules['min']} to {rules['max']}")
    elif "min" in rules:
        parts.append(f"at least {rules['min']}")
    if "regex" in rules:
        parts.append(f"pattern `{rules['regex']}`".replace("|", "\\|"))
    if rules.get("nullable"):
        # Null is either a meaningful "none" or an open item that only --draft accepts;
        # `validate` says which for each field.
        parts.append("or null")
    return "; ".join(parts)


def _rows(schema: dict, prefix: str = "") -> list[tuple[str, str, str]]:
    rows = []
    for name, rules in schema.items():
        path = f"{prefix}{name}"
        required = "yes" if rules.get("required") else "no"
        if rules.get("type") == "list" and isinstance(rules.get("schema"), dict):
            item = rules["schema"]
            if item.get("type") == "dict" and "schema" in item:
                rows.append((f"{path}[]", required, "list of entries"))
                rows += _rows(item["schema"], f"{path}[].")
                continue
            rows.append((f"{path}[]", required, "list of " + (_values(item) or "entries")))
            continue
        if rules.get("type") == "dict" and "schema" in rules:
            rows.append((path, required, _values(rules) or "section"))
            rows += _rows(rules["schema"], f"{path}.")
            continue
        rows.append((path, required, _values(rules)))
    return rows


def spec_reference() -> str:
    """Return the Markdown table of every version-2 deal-spec field, for the README."""
    lines = ["| field | required | values |", "|---|---|---|"]
    # Generated from toolkit.spec.schema.SPEC_SCHEMA_V2; edit the schema, not this table.
    for path, required, values in _rows(SPEC_SCHEMA_V2):
        lines.append(f"| `{path}` | {required} | {values} |")
    return "\n".join(lines) + "\n"


def readme_block(text: str) -> str | None:
    """Return the generated part of a README between the cog markers, if present."""
    found = re.search(re.escape(BEGIN) + r"\n(.*?)" + re.escape(END), text, re.S)
    return found.group(1) if found else None


def rewrite(readme: Path) -> None:
    """Rewrite the README's generated table from the schema."""
    text = readme.read_text(encoding="utf-8")
    old = readme_block(text)
    if old is None:
        raise SystemExit(f"{readme}: no cog markers for the deal spec reference")
    readme.write_text(
        text.replace(BEGIN + "\n" + old + END, BEGIN + "\n" + spec_reference() + END),
        encoding="utf-8",
    )


if __name__ == "__main__":
    rewrite(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"))
