"""The performance shortcuts give the same answers as the slow, plain code they skip."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.library.bounds import non_text_keys, out_of_bounds, plainly_in_bounds

_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**16), max_value=10**16),
    st.floats(),
    st.text(max_size=5),
    st.dates(),
    st.datetimes(),
    st.tuples(st.integers()),
    st.builds(object),
)
_KEY = st.one_of(st.text(max_size=3), st.integers(), st.none(), st.booleans(), st.floats())
_TREE = st.recursive(
    _LEAF,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_KEY, children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_TREE)
def test_a_document_passed_as_plainly_in_bounds_has_no_problem_the_full_walks_would_find(value):
    if plainly_in_bounds(value):
        assert non_text_keys(value) == []
        assert out_of_bounds(value) == []


def test_each_kind_of_problem_is_not_passed_as_plainly_in_bounds():
    for bad in (
        {"a": [1, {"b": float("nan")}]},
        {"a": float("inf")},
        {"a": 10**16},
        {"a": dt.date(1800, 1, 1)},
        {"a": "x" * 200_001},
        {"a": {1: "numbered key"}},
        {"a": {None: "empty key"}},
    ):
        assert not plainly_in_bounds(bad), bad
    assert plainly_in_bounds({"a": [1, 2.5, "text", True, None, dt.date(2026, 1, 1)]})


def test_nesting_deeper_than_the_walks_read_is_left_to_them():
    deep = inner = {}
    for _ in range(70):
        inner["a"] = {}
        inner = inner["a"]
    assert not plainly_in_bounds(deep)
    assert out_of_bounds(deep) == [] and non_text_keys(deep) == []


class _Marker:
    """A value of a kind the walks do not look into, as an open item in a context."""


class _Text(str):
    """A subclass of str, which the walks read as text."""


def test_values_the_walks_ignore_are_ignored_and_subclasses_are_left_to_the_walks():
    assert plainly_in_bounds({"a": _Marker(), "b": ("x" * 300_000,)})
    assert not plainly_in_bounds({"a": _Text("x" * 200_001)})
    assert out_of_bounds({"a": _Text("x" * 200_001)}) != []


def _document_xml(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_blocks_placed_after_docxtpl_get_what_its_render_made_of_tabs_and_line_breaks(
    deal, write_spec, library
):
    """The blocks skip docxtpl's render, yet a tab or line break in text becomes Word's own
    (docxtpl's resolve_listing), and no marker paragraph is left in the document."""
    from toolkit import __version__
    from toolkit.api import prepare_contract
    from toolkit.docx.package import render_docx

    deal["partner"]["name"] = "Acme\tHealth\nAnalytics Ltd"
    xml = _document_xml(render_docx(prepare_contract(write_spec(deal), library), __version__))
    assert "Acme</w:t>" in xml and "<w:tab/>" in xml
    assert '<w:br/><w:t xml:space="preserve">Analytics Ltd' in xml
    assert "Acme\t" not in xml and "Health\n" not in xml
    assert "\ue000" not in xml and "nhs-contracts-block" not in xml


def test_the_same_contract_renders_to_the_same_bytes_twice_in_one_process(
    deal, write_spec, library
):
    """The per-process template cache changes nothing between one contract and the next."""
    from toolkit import __version__
    from toolkit.api import prepare_contract
    from toolkit.docx.package import render_docx

    first = render_docx(prepare_contract(write_spec(deal), library), __version__)
    other = dict(deal, agreement={**deal["agreement"], "title": "Another agreement"})
    render_docx(prepare_contract(write_spec(other), library), __version__)
    assert render_docx(prepare_contract(write_spec(deal), library), __version__) == first


@pytest.mark.parametrize("comment_date", [None, "2026-03-04T05:06:07Z"])
def test_a_package_rewritten_from_its_deflated_parts_is_the_one_zipfile_writes(
    deal, write_spec, library, comment_date
):
    """Carrying python-docx's deflated parts over gives the very bytes that inflating and
    deflating them again with zipfile gives, comments (re-dated) included."""
    import io
    import zipfile

    from toolkit import __version__
    from toolkit.api import prepare_contract
    from toolkit.docx.package import COMMENTS_PART, normalise_package, render_docx

    del deal["nhs_parties"][0]["board_approval"]  # an open item: the draft carries a comment
    contract = render_docx(prepare_contract(write_spec(deal), library, draft=True), __version__)
    # As python-docx's save writes a package: every part deflated at zipfile's default.
    saved = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(contract)) as source, zipfile.ZipFile(saved, "w") as target:
        assert COMMENTS_PART in source.namelist()
        for name in reversed(source.namelist()):
            target.writestr(name, source.read(name), zipfile.ZIP_DEFLATED)
    data = saved.getvalue()
    again = normalise_package(data, comment_date=comment_date, reuse_deflated=True)
    assert again == normalise_package(data, comment_date=comment_date)
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        assert archive.testzip() is None
        comments = archive.read(COMMENTS_PART)
    if comment_date is None:
        assert b"w:date=" not in comments
    else:
        assert f'w:date="{comment_date}"'.encode() in comments


def test_children_are_found_as_elementpath_finds_them():
    """first_child and grandchild agree with lxml's find on trees of every shape: the
    properties element first, later, twice or missing, with comments among them."""
    import random

    from lxml import etree

    from toolkit.docx.elements import first_child, grandchild

    tags = ["a", "b", "c"]
    generator = random.Random(7)

    def tree(depth: int):
        node = etree.Element(generator.choice(tags))
        for _ in range(generator.randrange(0, 4) if depth else 0):
            if generator.random() < 0.15:
                node.append(etree.Comment("note"))
            else:
                node.append(tree(depth - 1))
        return node

    compared = 0
    for _ in range(400):
        root = tree(3)
        for node in root.iter(tag=etree.Element):
            for tag in tags:
                assert first_child(node, tag) is node.find(tag)
                for inner in tags:
                    assert grandchild(node, tag, inner) is node.find(f"{tag}/{inner}")
                    compared += 1
    assert compared > 10_000
