"""What a manifest says about how a contract was made: library, draft, toolkit version."""

from __future__ import annotations

from toolkit.check.report import MANIFEST, CheckReport
from toolkit.library import Library


def check_manifest_metadata(manifest: dict, library: Library, report: CheckReport) -> None:
    """Report a manifest made with another library or version; note drafts and toolkit versions."""
    recorded = manifest.get("library")
    recorded = recorded if isinstance(recorded, dict) else {}
    if recorded.get("name") and recorded.get("name") != library.name:
        report.add(
            MANIFEST,
            f"the contract was assembled with library '{recorded.get('name')}', "
            f"not '{library.name}'",
        )
    if recorded.get("version") != library.version:
        report.add(
            MANIFEST,
            f"the contract was assembled with library version {recorded.get('version')}; "
            f"this library is version {library.version}",
        )
    elif recorded.get("content_sha256") != library.content_hash:
        report.notes.append(
            f"the library's files have changed since the contract was assembled "
            f"(same version {library.version}); the clauses are compared one by one"
        )
    if manifest.get("draft"):
        open_items = manifest.get("open_items") or []
        report.notes.append(
            "this is a DRAFT, not for signature"
            + (f"; open items: {'; '.join(map(str, open_items))}" if open_items else "")
        )
    from toolkit import __version__

    if manifest.get("toolkit_version") != __version__:
        report.notes.append(
            f"assembled by toolkit version {manifest.get('toolkit_version')}; "
            f"checked by version {__version__}"
        )
