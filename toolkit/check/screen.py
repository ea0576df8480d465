"""Text the other side added, anywhere, put through the prohibited-wording screen.

Whatever story it lands in (a header, a footer, a note, a comment, a text box, a new
paragraph or new words in the body, a field's result), words the toolkit did not
write are screened exactly as a deal spec's additional terms are (``toolkit.scan``).
Wording a principle forbids makes the deviation mandatory (the contract cannot be
signed), with the principle and the words; anything else added stays non-standard
(a person must approve it). A changed paragraph is judged by what the change brings:
only wording the issued paragraph did not already carry counts.
"""

from __future__ import annotations

from collections import Counter

from toolkit.check.report import ChangeKind, Finding


def prohibited_wording(finding: Finding) -> list[dict]:
    """Return the forbidden wording the finding's changes add: principle, words, why."""
    from toolkit.scan import scan_text

    out: list[dict] = []
    for change in finding.changes:
        if change.kind not in (ChangeKind.ADDED, ChangeKind.CHANGED) or not change.found:
            continue
        already = Counter(hit.rule for hit in scan_text(change.expected or ""))
        for hit in scan_text(change.found):
            if already[hit.rule] > 0:
                already[hit.rule] -= 1  # the issued wording carried it already
                continue
            out.append(
                {
                    "principle": hit.principle,
                    "words": hit.quote,
                    "why": hit.message,
                    "rule": hit.rule,
                }
            )
    unique = {(item["principle"], item["words"]): item for item in out}
    return list(unique.values())
