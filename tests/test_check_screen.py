"""Text added in any story goes through the prohibited-wording screen (issue 9, class A).

Wherever the other side adds words (a header, a footer, a footnote, a comment, a text
box, a new body paragraph, words in an existing paragraph, the front matter), wording a
principle forbids makes the deviation mandatory, naming the principle and the words;
harmless added wording stays non-standard. The wordings come from the screen's corpus
(tests/corpus/wordings.yaml), one class after another.
"""

from __future__ import annotations

from itertools import cycle
from pathlib import Path

import pytest
import yaml
from check_support import W, add_part, clause_paragraphs, edit_xml, issue, paragraph_with, run_with
from conftest import EXAMPLES
from lxml import etree

from toolkit.check import check_contract
from toolkit.check.report import Classification
from toolkit.docx.conventions import W_NS
from toolkit.docx.reader import read_contract

CORPUS = yaml.safe_load((Path(__file__).parent / "corpus" / "wordings.yaml").read_text("utf-8"))
CLASSES = list(CORPUS["refuse"].items())
STORIES = [
    "header",
    "footer",
    "footnote",
    "comment",
    "text box",
    "new body paragraph",
    "words in a paragraph",
    "front matter",
]
# One prohibited wording per story, taking the classes in turn (and a different wording
# of each class each time round).
PROHIBITED = []
for index, (story, (name, family)) in enumerate(zip(STORIES, cycle(CLASSES))):
    wordings = [w for w in family["wordings"] if "\n" not in w and "&" not in w]
    PROHIBITED.append((story, name, family["principle"], wordings[index % len(wordings)]))
HARMLESS = list(
    zip(["header", "comment", "new body paragraph"], CORPUS["accept"][::6][:3], strict=True)
)
CLAUSE = "audit"  # not a mandatory clause: only the screen can make the addition mandatory


@pytest.fixture(scope="session")
def issued(tmp_path_factory, library):
    """The contract the additions are made to, issued once."""
    return issue(EXAMPLES / "valid-royalty.yaml", tmp_path_factory.mktemp("screened"), library)


@pytest.fixture(scope="session")
def bookmark(issued):
    entries = read_contract(issued.path).manifest["clauses"]
    return next(e["bookmark"] for e in entries if e["id"] == CLAUSE)


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def place(path: Path, story: str, text: str, bookmark: str) -> None:
    """Add ``text`` to the returned contract in ``story`` (anchored in the clause)."""
    text = _escaped(text)
    if story in ("header", "footer"):
        edit_xml(path, f"word/{story}1.xml", lambda root: root.append(paragraph_with(text)))
        return
    if story == "front matter":

        def front(root):
            first = next(p for p in root.iter(W + "p") if "".join(p.itertext()).strip())
            first.addnext(paragraph_with(text))

        edit_xml(path, "word/document.xml", front)
        return

    def anchor(root):
        paragraph = clause_paragraphs(root, bookmark)[1]
        if story == "new body paragraph":
            paragraph.addnext(paragraph_with(text))
        elif story == "words in a paragraph":
            paragraph.append(run_with(" " + text))
        elif story == "footnote":
            paragraph.append(
                etree.fromstring(f'<w:r xmlns:w="{W_NS}"><w:footnoteReference w:id="5"/></w:r>')
            )
        elif story == "comment":
            paragraph.append(
                etree.fromstring(f'<w:r xmlns:w="{W_NS}"><w:commentReference w:id="5"/></w:r>')
            )
        else:  # a text box
            paragraph.append(
                etree.fromstring(
                    f'<w:r xmlns:w="{W_NS}"><w:pict><w:txbxContent><w:p><w:r>'
                    f"<w:t>{text}</w:t></w:r></w:p></w:txbxContent></w:pict></w:r>"
                )
            )

    edit_xml(path, "word/document.xml", anchor)
    if story == "footnote":
        add_part(
            path,
            "word/footnotes.xml",
            f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="5"><w:p><w:r><w:t>{text}</w:t>'
            "</w:r></w:p></w:footnote></w:footnotes>".encode(),
        )
    elif story == "comment":
        add_part(
            path,
            "word/comments.xml",
            f'<w:comments xmlns:w="{W_NS}"><w:comment w:id="5" w:author="X"><w:p><w:r>'
            f"<w:t>{text}</w:t></w:r></w:p></w:comment></w:comments>".encode(),
        )


def _words(text: str) -> set[str]:
    return {word.strip(".,;:'\"").casefold() for word in text.split()}


@pytest.mark.parametrize(("story", "family", "principle", "wording"), PROHIBITED)
def test_prohibited_wording_added_in_any_story_is_mandatory(
    issued, bookmark, library, tmp_path, story, family, principle, wording
):
    path = issued.copy_to(tmp_path / "returned.docx")
    place(path, story, wording, bookmark)
    report = check_contract(path, library)
    assert not report.ok
    refused = [f for f in report.findings if f.prohibited]
    assert refused, f"{family} wording in the {story} not refused:\n" + "\n".join(report.lines())
    for finding in refused:
        assert finding.classification is Classification.MANDATORY
        for item in finding.prohibited:
            assert _words(item["words"]) <= _words(wording) | {"…"}, item
            if principle is not None:
                assert item["principle"] == principle
        assert finding.principle is not None
        headline = finding.headline()
        assert f"the added words break principle {finding.prohibited[0]['principle']}" in headline
        assert finding.as_dict()["prohibited_wording"] == finding.prohibited


@pytest.mark.parametrize(("story", "wording"), HARMLESS)
def test_harmless_wording_added_is_non_standard(
    issued, bookmark, library, tmp_path, story, wording
):
    path = issued.copy_to(tmp_path / "returned.docx")
    place(path, story, wording, bookmark)
    report = check_contract(path, library)
    assert not report.ok  # still not what was issued
    assert not any(f.prohibited for f in report.findings), "\n".join(report.lines())
    about = [f for f in report.findings if any(c.found and wording in c.found for c in f.changes)]
    assert about, "\n".join(report.lines())
    assert {f.classification for f in about} == {Classification.NON_STANDARD}
