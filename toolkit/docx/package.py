"""Writing an assembled contract as a .docx through docxtpl and the master template."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import uuid
import zipfile
from collections.abc import Callable

from toolkit.contract.markup import uk_date
from toolkit.contract.model import Contract
from toolkit.docx import zip_writer
from toolkit.docx.manifest import manifest_xml
from toolkit.docx.manifest_build import build_manifest
from toolkit.docx.wordml import WordWriter
from toolkit.exceptions import GuaranteeError, LibraryError, Problem

# Placeholders the master template must hold; without them clauses would vanish.
REQUIRED_PLACEHOLDERS = ("contents", "parties", "clauses", "schedules", "signatures")
CUSTOM_XML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
CUSTOM_XML_PROPS_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
)
CUSTOM_XML_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
MANIFEST_PART = "/customXml/item90.xml"
MANIFEST_PROPS_PART = "/customXml/itemProps90.xml"
# Word 2010's copy of styles.xml, which python-docx's default template carries. Word
# rebuilds it from styles.xml; a stale copy makes Word repair the file, so it is dropped.
STYLES_WITH_EFFECTS_REL = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
DERIVED_PART_RELS = frozenset({STYLES_WITH_EFFECTS_REL})
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMENTS_PART = "word/comments.xml"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# zlib's fastest level for the parts rewritten after python-docx's save, the main
# document among them: deflating it at the default level was a twentieth of writing a
# contract, for a file about a tenth smaller.
REWRITTEN_LEVEL = 1
# The manifest's custom XML item id: fixed (derived from its namespace), not random.
_MANIFEST_ITEM_ID = (
    "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "urn:nhs-contracts:manifest:1")).upper() + "}"
)


def check_template(template_bytes: bytes, name: str) -> list[Problem]:
    """Return problems with a master template: unreadable, or a placeholder missing."""
    try:
        with zipfile.ZipFile(io.BytesIO(template_bytes)) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError) as exc:
        return [Problem(name, f"is not a Word .docx template ({exc})")]
    text = re.sub(r"<[^>]+>", "", xml)
    return [
        Problem(
            name,
            f"lacks the placeholder {{{{p {placeholder} }}}}",
            hint="Restore it in its own paragraph: without it the contract would "
            "lose its " + placeholder + ".",
        )
        for placeholder in REQUIRED_PLACEHOLDERS
        if not re.search(r"\{\{p\s+" + placeholder + r"\s*\}\}", text)
    ]


def _key_details(contract: Contract) -> dict:
    context = contract.context
    agreement = context["agreement"]
    years, months = divmod(agreement["term_months"], 12)
    term = " and ".join(
        part
        for part in (
            f"{years} year{'s' * (years != 1)}" if years else "",
            f"{months} month{'s' * (months != 1)}" if months else "",
        )
        if part
    )
    data = context["data"]
    access = {
        "sde": "accessed only in a secure data environment",
        "aggregate": "shared as aggregate outputs only",
        "extract": "provided as an extract (justified in Schedule 1)",
    }[data["access"]]
    approvals = []
    for party in context["nhs_parties"]:
        approval = party["board_approval"]
        when = uk_date(approval["date"])
        line = f"approved on {when} (minute {approval['minute_ref']})"
        approvals.append(
            f"{party['name']}: {line}" if context["consortium"] else line[0].upper() + line[1:]
        )
    return {
        "effective_date": uk_date(agreement["effective_date"]),
        "term": f"{term}, ending on {uk_date(agreement['end_date'])}",
        "nhs_parties": "\n".join(
            party["name"] + (" (lead)" if context["consortium"] and party["lead"] else "")
            for party in context["nhs_parties"]
        ),
        "partner": context["partner"]["name"],
        "models": " with ".join(model["name"] for model in context["models"]),
        "nhs_parties_label": "NHS parties" if context["consortium"] else "NHS party",
        "board_approval": "\n".join(approvals),
        "data": f"{data['identifiability'].capitalize()} data, {access}",
        "governing_law": f"The law of {agreement['governing_law_name']}",
        "library": f"{contract.library.name}, version {contract.library.version}",
    }


def render_docx(contract: Contract, toolkit_version: str, manifest: dict | None = None) -> bytes:
    """Return the bytes of the contract's .docx, the same bytes for the same inputs.

    ``manifest`` is the contract's manifest when the caller has already built it.
    """
    from markupsafe import Markup

    template_path = contract.library.template
    try:
        template_bytes = template_path.read_bytes()
    except OSError as exc:
        raise LibraryError(str(template_path), [Problem("", f"cannot be read: {exc}")]) from None
    problems = check_template(template_bytes, str(template_path))
    if problems:
        raise GuaranteeError(str(template_path), problems)

    writer = WordWriter(contract)
    blocks = {
        "contents": writer.contents(),
        "parties": writer.parties(),
        "clauses": writer.clauses(),
        "schedules": writer.schedules(),
        "signatures": writer.signatures(),
    }
    context = dict(contract.context)
    context["key"] = _key_details(contract)
    # The blocks are most of the document. docxtpl would compile them as Jinja and run
    # its regular expressions over them, which cost more than all the rest of writing the
    # contract, to no effect: so docxtpl renders the template around a marker paragraph
    # for each, and the block (WordprocessingML built by wordml, which escapes every text
    # it holds) takes the marker's place in the saved main document.
    context.update({name: Markup(_marker(name)) for name in blocks})  # noqa: S704

    document = _template_class()(io.BytesIO(template_bytes))
    env = _template_environment()
    try:
        document.render(context, jinja_env=env)
    except Exception as exc:  # noqa: BLE001 - docxtpl raises many kinds; all mean a bad template
        raise LibraryError(
            str(template_path), [Problem("", f"the template does not render: {exc}")]
        ) from None

    docx = document.docx
    _add_comments(docx, writer.comments)
    _set_properties(docx, contract)
    _add_manifest(docx, manifest or build_manifest(contract, toolkit_version))
    fill = functools.partial(_insert_blocks, document, blocks, str(template_path))
    return reproducible_package(docx, rewrite={docx.part.partname.lstrip("/"): fill})


@functools.cache
def _template_environment():
    """Return the sandboxed Jinja environment for master templates, one per process.

    docxtpl compiles each part of the template on every render; with the blocks kept out
    of it (see ``_insert_blocks``) a part's source is the same for every contract, so each
    distinct source is compiled once and its template reused.
    """
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class _Environment(SandboxedEnvironment):
        @functools.lru_cache(maxsize=64)  # noqa: B019 - one environment per process
        def _compiled(self, source: str):
            return super().from_string(source)

        def from_string(self, source, globals=None, template_class=None):
            if globals is None and template_class is None and isinstance(source, str):
                return self._compiled(source)
            return super().from_string(source, globals, template_class)

    return _Environment(undefined=StrictUndefined, autoescape=True)


@functools.cache
def _template_class():
    """Return docxtpl's template class, its XML clean-up done once per distinct source.

    docxtpl cleans each part's XML with regular expressions before rendering it (its
    ``patch_xml``, a function of the XML alone). The template's parts are the same for
    every contract, so each is cleaned once per process: a twentieth of writing one.
    """
    from docxtpl import DocxTemplate

    patched: dict[str, str] = {}

    class _Template(DocxTemplate):
        def patch_xml(self, src_xml):
            if src_xml not in patched:
                if len(patched) >= 64:  # another template's parts: start again
                    patched.clear()
                patched[src_xml] = super().patch_xml(src_xml)
            return patched[src_xml]

    return _Template


# A paragraph no template or clause text holds (a private-use character brackets it,
# and clause text may not carry one), standing in for a block until it is inserted.
_MARKER = "\ue000nhs-contracts-block:{name}\ue000"


def _marker(name: str) -> str:
    return f"<w:p><w:r><w:t>{_MARKER.format(name=name)}</w:t></w:r></w:p>"


def _insert_blocks(document, blocks: dict[str, str], template: str, xml: bytes) -> bytes:
    """Put each block's paragraphs and tables where docxtpl left its marker paragraph.

    Done on the main document's XML as saved: parsing the blocks into the tree, only for
    python-docx to write them out again, was a tenth of writing a contract. A block gets
    what docxtpl's render would have done to it in place (its public ``resolve_listing``;
    its ``fix_tables`` would change nothing in wordml's tables, whose grid has a column
    for each cell of the longest row, tests/test_docx.py checks it). A block is
    well-formed by construction (wordml escapes every text), and the written file is
    read back and checked before it counts (``verify``).
    """
    text = xml.decode("utf-8")
    for name, block in blocks.items():
        marker = _marker(name)
        if marker not in text:
            raise GuaranteeError(
                template, [Problem("", f"the {{{{p {name} }}}} paragraph did not render")]
            )
        text = text.replace(marker, _as_docxtpl_renders(document, block))
    return text.encode("utf-8")


def _as_docxtpl_renders(document, xml: str) -> str:
    # What docxtpl's render_xml_part does to the text a placeholder renders: line breaks
    # before paragraphs dropped, escaped braces restored, and tabs, line and page breaks
    # in text made Word's own (resolve_listing), which only text holding one needs.
    if "\n" in xml:
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(char in xml for char in "\t\a\n\f"):
        xml = document.resolve_listing(xml)
    return xml


def _add_comments(docx, comments: list[str]) -> None:
    """Add the open items' comments; the body already marks them with ids 0, 1, 2, ..."""
    for number, text in enumerate(comments):
        comment = docx.comments.add_comment(text, author="nhs-contracts", initials="NC")
        # python-docx numbers a new comment one past the highest id; the template holds
        # none, so the ids are those written in the body. Anything else is a bug.
        if comment.comment_id != number:
            raise RuntimeError(
                f"comment {number} was given id {comment.comment_id}: the template "
                "already holds comments"
            )


def _set_properties(docx, contract: Contract) -> None:
    agreement = contract.context["agreement"]
    moment = dt.datetime.combine(agreement["effective_date"], dt.time())
    properties = docx.core_properties
    properties.title = agreement["title"]
    properties.subject = f"Data partnership agreement {agreement['reference']}"
    properties.identifier = agreement["reference"]
    properties.author = "NHS data-partnership contract toolkit"
    properties.last_modified_by = "nhs-contracts"
    properties.keywords = ", ".join(contract.spec.model_ids)
    properties.category = "Draft" if contract.spec.draft else "Final"
    properties.created = moment
    properties.modified = moment
    properties.revision = 1


def _add_manifest(docx, manifest: dict) -> None:
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = docx.part.package
    part = Part(PackURI(MANIFEST_PART), "application/xml", manifest_xml(manifest), package)
    docx.part.relate_to(part, CUSTOM_XML_REL)
    # Word expects every custom XML item to have its properties part (its item id and
    # schema); without it Word repairs the file.
    properties = Part(
        PackURI(MANIFEST_PROPS_PART),
        CUSTOM_XML_PROPS_TYPE,
        _item_properties(_MANIFEST_ITEM_ID, "urn:nhs-contracts:manifest:1"),
        package,
    )
    part.relate_to(properties, CUSTOM_XML_PROPS_REL)


def _item_properties(item_id: str, schema: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{item_id}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{schema}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()


def drop_derived_parts(docx) -> None:
    """Drop parts Word derives from others (stylesWithEffects), which a template may carry stale."""
    main = docx.part
    for rel_id, relationship in list(main.rels.items()):
        if relationship.reltype in DERIVED_PART_RELS:
            main.drop_rel(rel_id)


def reproducible_package(
    docx,
    *,
    comment_date: str | None = None,
    rewrite: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """Save a python-docx document and return its bytes, the same for the same content.

    The document is saved through python-docx's public ``save``; the zip is then
    normalised (see ``normalise_package``), each part named in ``rewrite`` passed
    through its function on the way.
    """
    drop_derived_parts(docx)
    saved = io.BytesIO()
    docx.save(saved)
    return normalise_package(
        saved.getvalue(), comment_date=comment_date, reuse_deflated=True, rewrite=rewrite
    )


def normalise_package(
    blob: bytes,
    *,
    comment_date: str | None = None,
    reuse_deflated: bool = False,
    rewrite: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """Rewrite a .docx zip so that equal content gives equal bytes.

    Members are written in a fixed order ([Content_Types].xml and the package
    relationships first, then by name) with a fixed timestamp and permissions, and
    comments carry ``comment_date`` (an ISO 8601 moment) or no date at all: python-docx
    stamps each comment with the time it was added. ``rewrite`` maps a member's name to
    a function its content passes through; a member rewritten is deflated at
    ``REWRITTEN_LEVEL``.

    ``reuse_deflated``: ``blob`` was just written by Python's zipfile at its default
    deflate level (python-docx's save), so each member's compressed bytes are exactly
    what compressing it again would give, and are copied instead (the same output).
    """
    rewrite = {
        COMMENTS_PART: functools.partial(_pin_comment_dates, moment=comment_date),
        **(rewrite or {}),
    }
    with zipfile.ZipFile(io.BytesIO(blob)) as source:
        infos = source.infolist()
        if reuse_deflated and zip_writer.plain_deflated(infos):
            members = {info.filename: zip_writer.deflated_member(blob, info) for info in infos}
            for name in rewrite.keys() & members.keys():
                content = rewrite[name](source.read(name))
                members[name] = zip_writer.deflate(content, REWRITTEN_LEVEL)
            order = _member_order(members)
            return zip_writer.zip_of_deflated([(name, members[name]) for name in order])
        members = {info.filename: source.read(info.filename) for info in infos}
    for name in rewrite.keys() & members.keys():
        members[name] = rewrite[name](members[name])
    order = _member_order(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            level = REWRITTEN_LEVEL if name in rewrite else None
            target.writestr(info, members[name], compresslevel=level)
    return out.getvalue()


def _member_order(names) -> list[str]:
    first = [name for name in ("[Content_Types].xml", "_rels/.rels") if name in names]
    return first + sorted(name for name in names if name not in first)


def _pin_comment_dates(xml: bytes, *, moment: str | None) -> bytes:
    from lxml import etree

    root = etree.fromstring(xml)
    date = f"{{{W_NS}}}date"
    for comment in root.iter(f"{{{W_NS}}}comment"):
        if moment is None:
            comment.attrib.pop(date, None)
        else:
            comment.set(date, moment)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
