"""Writing an assembled contract as a .docx through docxtpl and the master template."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from toolkit.contract.markup import uk_date
from toolkit.contract.model import Contract
from toolkit.docx.manifest import build_manifest, manifest_xml
from toolkit.docx.wordml import WordWriter
from toolkit.exceptions import GuaranteeError, LibraryError, Problem

# Placeholders the master template must hold; without them clauses would vanish.
REQUIRED_PLACEHOLDERS = ("contents", "parties", "clauses", "schedules", "signatures")
CUSTOM_XML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
MANIFEST_PART = "/customXml/item90.xml"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


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


def render_docx(contract: Contract, toolkit_version: str) -> bytes:
    """Return the bytes of the contract's .docx, the same bytes for the same inputs."""
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment
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
    # The blocks are WordprocessingML built by wordml, which escapes every text it holds.
    context.update({name: Markup(xml) for name, xml in blocks.items()})  # noqa: S704

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    document = DocxTemplate(io.BytesIO(template_bytes))
    try:
        document.render(context, jinja_env=env)
    except Exception as exc:  # noqa: BLE001 - docxtpl raises many kinds; all mean a bad template
        raise LibraryError(
            str(template_path), [Problem("", f"the template does not render: {exc}")]
        ) from None

    docx = document.docx
    _add_comments(docx, writer.comments)
    _set_properties(docx, contract)
    _add_manifest(docx, build_manifest(contract, toolkit_version))
    return reproducible_package(docx.part.package)


def _add_comments(docx, comments: list[str]) -> None:
    from docx.oxml.ns import qn

    for number, text in enumerate(comments):
        comment = docx.comments.add_comment(text, author="nhs-contracts", initials="NC")
        element = comment._comment_elm
        # The id must match the one already written in the body; the date would
        # make every assembly differ.
        element.set(qn("w:id"), str(number))
        element.attrib.pop(qn("w:date"), None)


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

    part = Part(
        PackURI(MANIFEST_PART), "application/xml", manifest_xml(manifest), docx.part.package
    )
    docx.part.relate_to(part, CUSTOM_XML_REL)


def reproducible_package(package) -> bytes:
    """Write a python-docx package as a zip with fixed timestamps and member order.

    This does what python-docx's own writer does, but with fixed zip metadata, so the
    same inputs always give the same bytes.
    """
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem

    parts = list(package.iter_parts())
    members = [
        (CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob),
        (PACKAGE_URI.rels_uri.membername, package.rels.xml),
    ]
    for part in parts:
        members.append((part.partname.membername, part.blob))
        if len(part.rels):
            members.append((part.partname.rels_uri.membername, part.rels.xml))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, blob in members[:2] + sorted(members[2:]):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, blob)
    return out.getvalue()
