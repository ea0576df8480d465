"""Party kinds: one table for the deal-spec schema, the clause context and the parties list."""

from __future__ import annotations

import re

import pytest

from toolkit.spec.party_kinds import (
    KIND_DESCRIPTIONS,
    KIND_NAMES,
    NHS_KINDS,
    PARTNER_KINDS,
    PARTY_KINDS,
)
from toolkit.spec.schema import SPEC_SCHEMA


def test_the_table_covers_exactly_the_kinds_the_spec_allows():
    nhs = SPEC_SCHEMA["nhs_parties"]["schema"]["schema"]["kind"]["allowed"]
    partner = SPEC_SCHEMA["partner"]["schema"]["kind"]["allowed"]
    assert sorted(NHS_KINDS) == sorted(nhs)
    assert sorted(PARTNER_KINDS) == sorted(partner)
    assert set(KIND_NAMES) == set(KIND_DESCRIPTIONS) == set(PARTY_KINDS)


@pytest.mark.parametrize("kind", sorted(PARTY_KINDS))
def test_each_description_is_its_name_with_an_article_or_a_set_phrase(kind):
    entry = PARTY_KINDS[kind]
    article = re.match(r"^(a|an|the) ", entry.description)
    assert article, f"{kind}: {entry.description!r} should start with a, an or the"
    if entry.description.endswith(entry.name) and article.group(1) != "the":
        # "an" before a vowel sound (NHS is read "en-aitch-ess"; "university" is not).
        vowel_sound = bool(re.match(r"^(?:[aeio]|NHS)", entry.name))
        assert (article.group(1) == "an") == vowel_sound, entry.description


def test_the_parties_list_and_clause_texts_use_the_table(tmp_path, deal, write_spec, library):
    from docx import Document

    from toolkit.api import assemble, prepare_contract

    deal["partner"]["kind"] = "university"
    deal["nhs_parties"][0]["kind"] = "icb"
    spec = write_spec(deal)
    contract = prepare_contract(spec, library)
    assert contract.context["partner"]["kind_name"] == "university"
    assert contract.context["nhs_parties"][0]["kind_name"] == "integrated care board"
    docx = assemble(spec, tmp_path / "contract.docx", library=library).docx
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert f"{deal['partner']['name']}, a university" in text
    assert f"{deal['nhs_parties'][0]['name']}, an integrated care board" in text
