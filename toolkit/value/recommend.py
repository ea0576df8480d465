"""Which partnership models fit a deal: rules tied to the principles and the sharing framework."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from itertools import combinations
from typing import Any

from toolkit.exceptions import Problem, SpecError

FRAMEWORK = "NHS value sharing framework (2023)"
KINDS = ("company", "university", "charity", "other")
MATURITIES = ("startup", "scaleup", "established", "listed")
APPETITES = ("low", "medium", "high")
IDENTIFIABILITY = ("anonymised", "pseudonymised", "identifiable")
ACCESS = ("sde", "aggregate", "extract")


@dataclass
class Profile:
    """The facts about a deal that decide which models fit it."""

    partner_kind: str = "company"
    maturity: str = "startup"
    can_pay_cash_now: bool = False
    product_in_nhs_care: bool = False
    commercial: bool | None = None
    identifiability: str = "pseudonymised"
    access: str = "sde"
    expected_revenue_gbp: float = 0.0
    risk_appetite: str = "medium"
    can_hold_shares: bool = False
    cashable_savings: bool = False
    recurring_access: bool = False
    sells_product: bool = False

    @property
    def is_commercial(self) -> bool:
        """Whether the partner will make commercial use of what it builds."""
        if self.commercial is not None:
            return self.commercial
        return self.partner_kind == "company" or self.expected_revenue_gbp > 0

    def problems(self) -> list[Problem]:
        """Return the answers that are not allowed values."""
        allowed = {
            "partner_kind": KINDS,
            "maturity": MATURITIES,
            "risk_appetite": APPETITES,
            "identifiability": IDENTIFIABILITY,
            "access": ACCESS,
        }
        found = [
            Problem(name, f"'{getattr(self, name)}' is not one of {', '.join(values)}")
            for name, values in allowed.items()
            if getattr(self, name) not in values
        ]
        if self.expected_revenue_gbp < 0:
            found.append(Problem("expected_revenue_gbp", "cannot be negative"))
        return found

    def as_dict(self) -> dict:
        """Return the profile as a JSON-ready mapping."""
        value = {f.name: getattr(self, f.name) for f in fields(self)}
        value["commercial"] = self.is_commercial
        return value


def profile_from_spec(spec: Any, **overrides: Any) -> Profile:
    """Read a profile from a deal spec (version 1 or 2); given answers override the spec."""
    data = getattr(spec, "data", spec) or {}
    partner = data.get("partner") or {}
    section = data.get("data") or {}
    product = data.get("ai_product") or data.get("product") or data.get("ai") or {}
    models = [data.get("partnership_model")] + [
        m.get("model") for m in data.get("additional_models") or []
    ]
    deployed = bool(product.get("deployed_in_nhs_care") or product.get("intended_purpose"))
    deployed = deployed or any(m in ("gain_share", "in_kind") for m in models)
    found: dict[str, Any] = {
        "partner_kind": partner.get("kind", "company"),
        "maturity": partner.get("maturity", "startup"),
        "identifiability": section.get("identifiability", "pseudonymised"),
        "access": section.get("access", "sde"),
        "product_in_nhs_care": deployed,
        "can_hold_shares": "equity" in models,
        "cashable_savings": "gain_share" in models,
        "recurring_access": "subscription" in models,
        "sells_product": any(m in _PRODUCT_MODELS for m in models),
        "can_pay_cash_now": any(m in ("upfront_fee", "subscription") for m in models),
    }
    if partner.get("kind") in (None, "company") and partner.get("maturity") in (
        "established",
        "listed",
    ):
        found["can_pay_cash_now"] = True
    found.update({k: v for k, v in overrides.items() if v is not None})
    return Profile(**found)


_PRODUCT_MODELS = ("royalty", "equity", "milestones", "in_kind", "gain_share")


@dataclass
class Candidate:
    """A model or hybrid, with its score and the reasons for it."""

    models: tuple[str, ...]
    score: float
    reasons: list[dict] = field(default_factory=list)
    refusals: list[dict] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        """Whether nothing refuses this candidate."""
        return not self.refusals

    def as_dict(self) -> dict:
        """Return the candidate as a JSON-ready mapping."""
        value = {
            "models": list(self.models),
            "score": round(self.score, 1),
            "reasons": self.reasons,
        }
        if self.refusals:
            value["why_not"] = self.refusals
        return value


def _reason(
    text: str, principle: int | None = None, framework: bool = False, alone: bool = False
) -> dict:
    value = {"reason": text, "principle": principle, "framework": FRAMEWORK if framework else None}
    if alone:
        value["only_alone"] = True
    return value


# How each model scores on what the NHS gets: certainty now, and a share of later success.
_CERTAIN = {
    "upfront_fee": 3,
    "subscription": 3,
    "cost_recovery": 2,
    "milestones": 1.5,
    "in_kind": 1,
}
_UPSIDE = {
    "royalty": 3,
    "equity": 2.5,
    "milestones": 1.5,
    "in_kind": 1.5,
    "gain_share": 2,
    "consent_to_commercialise": 1,
}


def assess(model_id: str, p: Profile) -> Candidate:
    """Score one model alone for a profile, with reasons and refusals."""
    c = Candidate((model_id,), 0.0)
    say, refuse = c.reasons.append, c.refusals.append
    big = p.expected_revenue_gbp >= 1_000_000
    if model_id == "equity":
        if p.partner_kind != "company":
            refuse(
                _reason(
                    f"A {p.partner_kind} has no shares to issue; use consent to commercialise "
                    "so a spin-out signs its own agreement.",
                    2,
                    True,
                )
            )
        if not p.can_hold_shares:
            refuse(
                _reason(
                    "The NHS body has not confirmed its power and approvals to hold shares "
                    "(Managing Public Money).",
                    5,
                )
            )
        refuse(
            _reason(
                "Equity alone is never enough: shares can become worthless after the data is "
                "given; combine it with a royalty, milestones or cash.",
                2,
                True,
                alone=True,
            )
        )
        c.score += 1 + (
            1 if p.maturity in ("startup", "scaleup") and not p.can_pay_cash_now else -1
        )
        c.score += {"low": -2, "medium": 0, "high": 1}[p.risk_appetite]
    elif model_id == "cost_recovery":
        if p.is_commercial:
            refuse(
                _reason(
                    "Cost recovery alone returns the NHS's costs, not the value of the data, to a "
                    "partner making commercial use of it; add a model that captures value.",
                    2,
                    True,
                    alone=True,
                )
            )
        c.score += 3 if not p.is_commercial else 1
        say(
            _reason(
                "Meets the NHS's documented cost of providing access, so other services do not "
                "subsidise it.",
                2,
                True,
            )
        )
    elif model_id == "consent_to_commercialise":
        if p.is_commercial and big:
            refuse(
                _reason(
                    "Commercial use is planned from the start; agree the value now rather than "
                    "later.",
                    2,
                    True,
                )
            )
        c.score += 3 if not p.is_commercial else 1
        say(
            _reason(
                "Keeps NHS control of, and a share in, commercial value that emerges later.",
                2,
                True,
            )
        )
    elif model_id == "upfront_fee":
        if not p.can_pay_cash_now:
            refuse(_reason("The partner cannot pay cash now.", 2))
        c.score += 2 + (1 if p.access == "extract" else 0) + (1 if p.risk_appetite == "low" else 0)
        say(
            _reason("Certain, early value that does not depend on the product succeeding.", 2, True)
        )
        if p.access == "extract":
            say(
                _reason(
                    "The data leaves the secure environment, so value should be secured before it "
                    "does.",
                    5,
                )
            )
    elif model_id == "subscription":
        if not p.can_pay_cash_now:
            refuse(_reason("The partner cannot pay recurring cash from now.", 2))
        if p.access == "extract" and not p.recurring_access:
            refuse(
                _reason(
                    "A one-off extract is not continuing access; a subscription prices access over"
                    " time.",
                    2,
                    True,
                )
            )
        c.score += 2 + (2 if p.recurring_access else 0)
        say(_reason("Predictable income for continuing access to refreshed data.", 2, True))
    elif model_id == "royalty":
        selling = p.sells_product or p.product_in_nhs_care or p.expected_revenue_gbp > 0
        if not p.is_commercial or not selling:
            refuse(
                _reason(
                    "No product revenue is expected, so a royalty would yield nothing.", 2, True
                )
            )
        c.score += 2 + (2 if big else 1 if p.expected_revenue_gbp > 0 else 0)
        c.score += 1 if not p.can_pay_cash_now else 0
        say(
            _reason(
                "The NHS shares directly in the product's revenue, and keeps that share on a sale "
                "or change of control.",
                2,
                True,
            )
        )
    elif model_id == "milestones":
        if not p.is_commercial:
            refuse(_reason("Milestone payments need a commercial development path.", 2, True))
        c.score += 2 + (1 if not p.can_pay_cash_now else 0)
        say(
            _reason(
                "Payments on validation, regulatory approval or deployment: earlier cash than a "
                "royalty, tied to progress.",
                2,
                True,
            )
        )
    elif model_id == "in_kind":
        if not p.product_in_nhs_care:
            refuse(
                _reason(
                    "No product will be deployed in NHS care, so there is nothing to use in kind.",
                    1,
                    True,
                )
            )
        c.score += 2 + (1 if p.product_in_nhs_care else 0)
        say(
            _reason(
                "Patients and the whole NHS benefit in service as well as in money; the offer is "
                "NHS-wide.",
                1,
                True,
            )
        )
        say(_reason("Must be open to every NHS body, never limited to one (no lock-in).", 3))
    elif model_id == "gain_share":
        if not (p.product_in_nhs_care and p.cashable_savings):
            refuse(
                _reason(
                    "Gain share needs a deployed service that releases measurable savings.", 2, True
                )
            )
        c.score += 4
        say(
            _reason(
                "The NHS keeps most of the savings it makes; the partner's share is capped. Check "
                "procurement rules.",
                2,
                True,
            )
        )
    if (
        p.identifiability == "identifiable"
        and model_id in ("royalty", "equity", "milestones")
        and p.is_commercial
    ):
        say(
            _reason(
                "Identifiable data for commercial use needs consent or s251 support and a DPIA.", 5
            )
        )
    return c


def _combine(a: Candidate, b: Candidate, p: Profile) -> Candidate:
    models = a.models + b.models
    score = max(a.score, b.score) + 0.5 * min(a.score, b.score)
    certain = max(_CERTAIN.get(m, 0) for m in models)
    upside = max(_UPSIDE.get(m, 0) for m in models)
    reasons = a.reasons + b.reasons
    if certain >= 1.5 and upside >= 2:
        score += 1.5
        reasons.append(
            _reason("Pairs early, more certain value with a share of later success.", 2, True)
        )
    refusals = [r for r in a.refusals + b.refusals if not r.get("only_alone")]
    return Candidate(models, score, reasons, refusals)


@dataclass
class Recommendation:
    """The ranked models and hybrids for a deal, and those that do not fit."""

    profile: Profile
    ranked: list[Candidate]
    refused: list[Candidate]

    def as_dict(self) -> dict:
        """Return the recommendation as a JSON-ready mapping."""
        return {
            "profile": self.profile.as_dict(),
            "framework": FRAMEWORK,
            "recommended": [c.as_dict() for c in self.ranked],
            "not_suitable": [c.as_dict() for c in self.refused],
        }

    def lines(self) -> list[str]:
        """Return the recommendation as text for the terminal."""
        out = ["Models and hybrids that fit, best first:"]
        for rank, c in enumerate(self.ranked, 1):
            out.append(f"{rank}. {' + '.join(c.models)} (score {c.score:.1f})")
            out += [f"     - {_describe(r)}" for r in _unique(c.reasons)]
        out.append("")
        out.append("Not suitable:")
        for c in self.refused:
            out.append(f"  {' + '.join(c.models)}:")
            out += [f"     - {_describe(r)}" for r in _unique(c.refusals)]
        return out


def _describe(reason: dict) -> str:
    tags = []
    if reason.get("principle"):
        tags.append(f"principle {reason['principle']}")
    if reason.get("framework"):
        tags.append(reason["framework"])
    return reason["reason"] + (f" [{'; '.join(tags)}]" if tags else "")


def _unique(reasons: list[dict]) -> list[dict]:
    return list({r["reason"]: r for r in reasons}.values())


def recommend(profile: Profile, library: Any, top: int = 6) -> Recommendation:
    """Rank every model, and every hybrid the library allows, for a deal profile."""
    problems = profile.problems()
    if problems:
        raise SpecError("deal profile", problems)
    singles = {m: assess(m, profile) for m in sorted(library.models)}
    candidates = list(singles.values())
    for a, b in combinations(sorted(library.models), 2):
        ma, mb = library.model(a), library.model(b)
        if b in ma.combines_with or a in mb.combines_with:
            first, second = sorted((singles[a], singles[b]), key=lambda c: -c.score)
            candidates.append(_combine(first, second, profile))
    fitting = sorted((c for c in candidates if c.fits), key=lambda c: (-c.score, c.models))
    refused = [c for c in singles.values() if not c.fits]
    refused += [c for c in candidates if len(c.models) > 1 and not c.fits and "equity" in c.models]
    return Recommendation(profile, fitting[:top], refused)
