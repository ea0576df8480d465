"""The baseline: one whole process that renders a .docx template with bare docxtpl.

    python benchmarks/bare_render.py TEMPLATE.docx CONTEXT.json OUT.docx

It does what any docxtpl program must (import docxtpl, load the template, render it
with a context, save the result) and nothing else, so that `nhs-contracts assemble`
can be compared with it process for process.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    """Render the template with the context and write the result."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    template_path, context_path, out_path = sys.argv[1:4]
    with open(context_path, encoding="utf-8") as stream:
        context = json.load(stream)
    template = DocxTemplate(template_path)
    template.render(context, jinja_env=Environment(autoescape=True))  # noqa: S701 - baseline
    template.save(out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
