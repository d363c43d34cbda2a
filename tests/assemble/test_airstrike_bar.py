"""The Deir ez-Zor air strike, read as a conflict analyst would check it (fieldreport's first bar)."""

from __future__ import annotations

import math
from pathlib import Path

from fieldreport.io.readers import iter_inputs

ARTICLE = Path(__file__).resolve().parents[2] / "examples" / "01-deir-ez-zor-air-strike.md"
DEIR_EZ_ZOR = (35.336, 40.141)


def _km(lat, lon):
    la, lo = map(math.radians, DEIR_EZ_ZOR)
    a = math.sin((math.radians(lat) - la) / 2) ** 2 + math.cos(la) * math.cos(math.radians(lat)) * math.sin(
        (math.radians(lon) - lo) / 2
    ) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def test_one_record_for_the_strike_with_every_field_traced(pipeline):
    (art,) = list(iter_inputs([str(ARTICLE)]))
    records = pipeline.extract(art)
    strikes = [r for r in records if r.sub_event_type == "Air/drone strike"]
    assert len(strikes) == 1 and records[0] is strikes[0]
    r = strikes[0]
    assert r.event_type == "Explosions/Remote violence"
    assert r.actor1 == "Military Forces of Russia (2000-)" and r.actor2 == "Islamic State (Syria)"
    assert _km(r.latitude, r.longitude) <= 50 and r.admin1 == "Deir ez-Zor"
    assert r.fatalities == 200
    assert any(m.kind == "SUV" and m.count == 20 and m.status == "destroyed" for m in r.materiel)
    (claim,) = [c for c in r.claims if c.claimant == "Russian Ministry of Defence"]
    assert claim.claimant_party and {"fatalities", "materiel"} <= set(claim.fields)

    def said(field: str) -> list[str]:
        return [art.text[s:e] for s, e in r.evidence[field]]

    assert any("Russian" in t for t in said("actor1"))
    assert any("Islamic State" in t for t in said("actor2"))
    assert any("Deir ez-Zor" in t for t in said("location"))
    assert any("Deir ez-Zor" in t for t in said("admin1"))
    assert any("200" in t for t in said("fatalities"))
    assert any("20" in t and "SUV" in t for t in said("materiel"))
    assert any("Monday" in t for t in said("event_date")) and r.event_date == "2017-09-04"
    assert any("Ministry of Defence" in t or "ministry" in t for t in said("claims"))
    assert art.text[claim.start : claim.end].strip() == art.text[claim.start : claim.end]
