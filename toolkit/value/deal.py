"""Reading a deal spec for the value analysis, whatever its spec_version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class DealTerms:
    """What the value analysis needs from a deal: dates, parties and each model's terms."""

    reference: str
    title: str
    effective_date: dt.date
    term_months: int
    partner_name: str
    partner_kind: str
    nhs_names: tuple[str, ...]
    models: tuple[tuple[str, dict], ...]
    data: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)

    @property
    def term_years(self) -> int:
        """Return the number of deal years the term touches (a part year counts)."""
        return -(-self.term_months // 12)

    def year_of(self, when: dt.date) -> int:
        """Return the deal year (1 = the first twelve months) in which a date falls."""
        months = (
            (when.year - self.effective_date.year) * 12 + when.month - self.effective_date.month
        )
        if when.day < self.effective_date.day:
            months -= 1
        return max(1, months // 12 + 1)

    def as_dict(self) -> dict:
        """Return the deal's headline facts as a JSON-ready mapping."""
        return {
            "reference": self.reference,
            "effective_date": self.effective_date.isoformat(),
            "term_months": self.term_months,
            "partner": self.partner_name,
            "models": [model_id for model_id, _ in self.models],
        }


def deal_from_spec(spec: Any) -> DealTerms:
    """Return the value-analysis view of a validated deal spec (a DealSpec or its data)."""
    data = getattr(spec, "data", spec)
    agreement = data.get("agreement", {})
    partner = data.get("partner", {}) or {}
    models = [(data["partnership_model"], dict(data.get("model_terms") or {}))]
    for entry in data.get("additional_models") or []:
        models.append((entry["model"], dict(entry.get("terms") or {})))
    effective = agreement["effective_date"]
    if isinstance(effective, str):
        effective = dt.date.fromisoformat(effective)
    return DealTerms(
        reference=str(agreement.get("reference", "")),
        title=str(agreement.get("title") or "Data Partnership Agreement"),
        effective_date=effective,
        term_months=int(agreement["term_months"]),
        partner_name=str(partner.get("name", "the partner")),
        partner_kind=str(partner.get("kind", "company")),
        nhs_names=tuple(str(p.get("name", "")) for p in data.get("nhs_parties") or []),
        models=tuple(models),
        data=dict(data.get("data") or {}),
        raw=data,
    )


def load_deal(spec_path: str | Path, library: Any = None) -> tuple[Any, Any]:
    """Load and validate a deal spec (open items allowed); return (DealSpec, Library)."""
    from toolkit.library import load_library
    from toolkit.spec import load_spec, validate_spec

    library = library or load_library()
    raw = load_spec(spec_path)
    spec = validate_spec(raw, library, source=str(spec_path), draft=True)
    return spec, library
