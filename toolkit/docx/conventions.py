"""The conventions of the Word file the toolkit writes, defined once.

The writer (wordml, package), the reader and `check` all agree on these names: a
clause heading is found by its bookmark, the execution page by its own bookmark, the
manifest by its part name and namespace. Nothing here imports the rest of the toolkit.
"""

from __future__ import annotations

import hashlib
import re

# -- namespaces --------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
V_NS = "urn:schemas-microsoft-com:vml"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
NAMESPACES = {"w": W_NS, "mc": MC_NS, "r": R_NS, "wp": WP_NS, "a": A_NS, "wps": WPS_NS, "v": V_NS}


def w(local: str) -> str:
    """Return the Clark name of a WordprocessingML element or attribute: ``{ns}local``."""
    return f"{{{W_NS}}}{local}"


# -- bookmarks ---------------------------------------------------------------------

# Clause headings (and labelled sub-clauses) carry a hidden bookmark: "_" hides it
# from Word's bookmark list; a hash of the key keeps it within Word's 40 characters.
CLAUSE_BOOKMARK_PREFIX = "_Cl_"
CLAUSE_BOOKMARK = re.compile(r"^_Cl_[0-9a-f]{16}$")
# The execution page's heading: the clauses and schedules end where it starts.
EXECUTION_BOOKMARK = "_Execution"


def bookmark_name(key: str) -> str:
    """Return a short, stable, hidden Word bookmark name for a clause or item key."""
    return CLAUSE_BOOKMARK_PREFIX + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# -- paragraph styles (ids in the master template) ----------------------------------

CLAUSE_STYLES = {0: "Heading1", 1: "ClauseLevel2", 2: "ClauseLevel3", 3: "ClauseLevel4"}
SCHEDULE_STYLES = {
    0: "ScheduleHeading",
    1: "ScheduleLevel2",
    2: "ScheduleLevel3",
    3: "ScheduleLevel4",
}
BODY_STYLES = {0: "Body0", 1: "Body1", 2: "Body2", 3: "Body3"}
# Clause body text sits at the heading's text indent; schedule body text at the margin.
SCHEDULE_BODY_STYLES = {0: "Body0", 1: "Body1", 2: "Body1", 3: "Body3"}
HEADING_STYLES = frozenset({CLAUSE_STYLES[0], SCHEDULE_STYLES[0]})
# Heading styles as an editor may have renamed them ("heading 1", "Schedule Heading").
HEADING_STYLE_NAME = re.compile(r"^(heading\s*1|schedule\s*heading)$", re.IGNORECASE)
DEFINITION_STYLE = "Definition"
CONTENTS_STYLE = "TOC1"
# Contents entries in any naming an editor's word processor uses ("TOC 2", "Contents 1").
CONTENTS_STYLE_NAME = re.compile(r"^(toc|contents)\s*\d+$", re.IGNORECASE)
SECTION_HEADING_STYLE = "SectionHeading"
PARTY_STYLE = "PartyList"
SIGNATURE_STYLE = "Signature"
TABLE_TEXT_STYLE = "TableText"
TABLE_HEADING_STYLE = "TableHeading"
TABLE_STYLE = "ContractTable"
COMMENT_REFERENCE_STYLE = "CommentReference"

# A definition is introduced by its term in bold between curly quotation marks; the
# definitions clause renders each one starting with this mark.
DEFINITION_MARK = "\u201c"
DEFINITION_END_MARK = "\u201d"

# -- parts -------------------------------------------------------------------------

MAIN_DOCUMENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
# The manifest is a custom XML part at a fixed, high item number so it never collides
# with the template's own custom XML item(s).
MANIFEST_PART = "/customXml/item90.xml"
MANIFEST_NAMESPACE = "urn:nhs-contracts:manifest:1"
MANIFEST_FORMAT = "nhs-contracts-manifest/1"
CUSTOM_XML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
COMMENTS_AUTHOR = "nhs-contracts"
COMMENTS_INITIALS = "NC"
