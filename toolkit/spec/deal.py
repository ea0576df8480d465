"""A validated deal spec, and the two things every stage asks of one: its hash and its end."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from toolkit.exceptions import Problem, SpecError


@dataclass(frozen=True)
class DealSpec:
    """A validated deal spec, normalised (defaults filled, dates as dates)."""

    source: str
    data: dict
    draft: bool

    @property
    def reference(self) -> str:
        """Return the agreement reference."""
        return self.data["agreement"]["reference"]

    @property
    def model_ids(self) -> list[str]:
        """Return the primary model id, then any additional models' ids."""
        return [self.data["partnership_model"]] + [
            entry["model"] for entry in self.data["additional_models"]
        ]

    @property
    def end_date(self) -> dt.date:
        """Return the last day of the term."""
        return end_of_term(
            self.data["agreement"]["effective_date"], self.data["agreement"]["term_months"]
        )

    def sha256(self) -> str:
        """Return a hash of the spec's content (not its layout or comments)."""
        return hashlib.sha256(canonical_json(self.data).encode("utf-8")).hexdigest()


def canonical_json(value: Any) -> str:
    """Serialise a spec's content the same way every time."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def end_of_term(start: dt.date, months: int) -> dt.date:
    """Return the day before the same date ``months`` later (the last day of the term)."""
    # Pure arithmetic, no loop: an end outside the calendar (from a spec, or from the
    # manifest of a returned contract) is refused with a clear error.
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR or (year, month) == (dt.MINYEAR, 1):
        raise SpecError(
            "",
            [
                Problem(
                    "agreement.effective_date",
                    f"a term of {months} months from {start} ends outside the calendar",
                    hint="Give an effective date between 1900 and 2200 and a term of 1 to "
                    "120 months.",
                )
            ],
        )
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) - dt.timedelta(days=1)
