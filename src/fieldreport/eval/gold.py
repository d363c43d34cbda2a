"""Scoring against event-coded gold files: UCDP GED CSV, ACLED CSV and PLOVER's coded sentences.

Each gold item's text (a UCDP source headline, an ACLED note, a PLOVER sentence) goes through the full
pipeline as an article; the record that comes out first (the article's main event) is compared with the
human coding. Every figure says how many items it was measured on.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import lru_cache

from rapidfuzz import fuzz

from fieldreport.data import load_yaml
from fieldreport.geo.distance import haversine_km
from fieldreport.schema.records import EVENT_TYPES, Article, EventRecord

PLOVER_EVENTFUL = {"ASSAULT", "FIGHT", "PROTEST"}
PLOVER_NON_EVENTS = {
    "AGREE", "DEMAND", "REJECT", "THREATEN", "DISAPPROVE", "SANCTION", "SUPPORT", "CONCEDE", "CONSULT",
    "AID", "INVESTIGATE", "COOPERATE",
}  # fmt: skip


# ------------------------------------------------------------------------------------------------
# small shared pieces


class Tally:
    """Counts of right answers per measure, each over its own denominator."""

    def __init__(self) -> None:
        self.right: dict[str, int] = {}
        self.total: dict[str, int] = {}

    def add(self, name: str, ok: bool | None) -> None:
        if ok is None:  # not applicable to this item
            return
        self.total[name] = self.total.get(name, 0) + 1
        self.right[name] = self.right.get(name, 0) + int(bool(ok))

    def metrics(self) -> dict[str, dict]:
        return {
            k: {"value": round(self.right[k] / self.total[k], 4) if self.total[k] else 0.0, "n": self.total[k]}
            for k in self.total
        }


class Distances:
    """Distances in km from our place to the gold place, for records that have a place: the
    distribution behind "place within 25 km" (which also counts items without a place)."""

    def __init__(self) -> None:
        self.km: list[float] = []

    def add(self, ours: tuple[float, float] | None, gold: tuple[float, float] | None) -> None:
        if ours is not None and gold is not None:
            self.km.append(haversine_km(ours[0], ours[1], gold[0], gold[1]))

    def metrics(self) -> dict[str, dict]:
        if not self.km:
            return {}
        km = sorted(self.km)
        n = len(km)
        med = km[n // 2] if n % 2 else (km[n // 2 - 1] + km[n // 2]) / 2
        return {
            "distance, median km (records with a place)": {"value": round(med, 1), "n": n},
            "distance, share within 25 km (records with a place)": {
                "value": round(sum(1 for k in km if k <= 25) / n, 4), "n": n},
            "distance, share within 100 km (records with a place)": {
                "value": round(sum(1 for k in km if k <= 100) / n, 4), "n": n},
        }


def parse_gold_date(value: str) -> date | None:
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d %B %Y", "%d-%B-%Y", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value[: len(value)], fmt).date()
        except ValueError:
            continue
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


_YEARS = re.compile(r"\s*\(\d{4}-(\d{4})?\)\s*$")


def strip_years(name: str | None) -> str:
    return _YEARS.sub("", name or "").strip()


@lru_cache(maxsize=4096)
def _norm_admin1(name: str) -> str:
    words = set(load_yaml("eval/ucdp_sides.yaml")["admin1_words"])
    toks = re.findall(r"[a-z]+", name.lower())
    toks = [t for t in toks if t not in words]
    while toks and toks[0] in {"al", "ar", "as", "ad", "ash", "az", "el", "an", "at", "ad"}:
        toks = toks[1:]
    return "".join(toks)


def admin1_matches(pred: str | None, gold: str | None) -> bool | None:
    if not gold:
        return None
    if not pred:
        return False
    a, b = _norm_admin1(pred), _norm_admin1(gold)
    return bool(a and b) and (a == b or a in b or b in a or fuzz.ratio(a, b) >= 75)


def side_matches(side: str, actor: str | None, inter: int | None = None) -> bool:
    """Does a predicted ACLED-style actor stand for a UCDP side?"""
    if not actor:
        return False
    name = actor.lower()
    table = load_yaml("eval/ucdp_sides.yaml")["sides"]
    for part in [p.strip() for p in side.split(",") if p.strip()]:
        m = re.match(r"government of (.+)", part, re.I)
        if m:
            country = m.group(1).lower()
            if re.search(rf"\bof (?:the )?{re.escape(country)}\b", name):  # "of the Philippines"
                return True
            continue
        spec = table.get(part)
        if spec is None:
            if part.lower() in name or fuzz.partial_ratio(part.lower(), name) >= 90:
                return True
            continue
        patterns = spec["patterns"] if isinstance(spec, dict) else spec
        inters = spec.get("inter", []) if isinstance(spec, dict) else []
        if any(re.search(rf"(?<![a-z]){re.escape(p)}(?![a-z])", name) for p in patterns):
            return True
        if inter is not None and inter in inters:
            return True
    return False


def _records(items: list[Article], model: str | None, workers: int = 1) -> Iterator[tuple[Article, list[EventRecord]]]:
    from fieldreport.assemble.pipeline import Pipeline, default_workers

    pipe = Pipeline(model) if model else Pipeline.default()
    yield from pipe.extract_many(items, workers=workers if workers > 0 else default_workers(), batch_size=64)


def pipeline_records_for_report(model: str | None = None) -> Callable[[str, date | None, str], list[EventRecord]]:
    """A function (text, published, report_id) -> records, for scorers that take one."""
    from fieldreport.assemble.pipeline import Pipeline

    pipe = Pipeline(model) if model else Pipeline.default()

    def run(text: str, published: date | str | None, report_id: str) -> list[EventRecord]:
        if isinstance(published, str):
            published = parse_gold_date(published)
        return pipe.extract(Article(id=str(report_id), text=text, published=published))

    return run


# ------------------------------------------------------------------------------------------------
# UCDP GED


def _ucdp_reports(path: str, limit: int | None) -> Iterator[tuple[dict, str, date | None]]:
    """(gold row, headline, source date) for each headline of each event."""
    with open(path, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            if limit is not None and i >= limit:
                return
            heads = [h.strip() for h in (row.get("source_headline") or "").split(" ;; ")]
            dates = [d.strip() for d in (row.get("source_date") or "").split(";")]
            for j, h in enumerate(heads):
                if not h:
                    continue
                d = parse_gold_date(dates[j] if j < len(dates) else (dates[0] if dates else ""))
                yield row, h, d


def score_ucdp(
    path: str,
    limit: int | None = None,
    model: str | None = None,
    places_only: bool = False,
    workers: int = 1,
    mistakes: Mistakes | None = None,
) -> dict:
    mistakes = mistakes or Mistakes()
    reports = list(_ucdp_reports(path, limit))
    arts = [Article(id=f"u{i}", text=h, published=d) for i, (_row, h, d) in enumerate(reports)]
    t = Tally()
    dist = Distances()
    for (row, h, _d), (art, recs) in zip(reports, _records(arts, model, workers)):
        gid = row.get("id") or art.id
        t.add("detected (a record from the headline)", bool(recs))
        # Many UCDP "headlines" are a bare place name or a report's title: nothing to detect.
        t.add("detected, headlines of 5+ words", bool(recs) if len(h.split()) >= 5 else None)
        if not recs:
            mistakes.add(gid, "detected", True, None, h, None)
            continue
        rec = recs[0]
        glat, glon = _float(row.get("latitude")), _float(row.get("longitude"))
        if glat is not None and glon is not None:
            has = rec.latitude is not None
            ok = has and haversine_km(rec.latitude, rec.longitude, glat, glon) <= 25
            dist.add((rec.latitude, rec.longitude) if has else None, (glat, glon))
            t.add("place within 25 km", ok)
            t.add("place found", has)
            if not ok:
                ours = (rec.latitude, rec.longitude) if has else None
                mistakes.add(gid, "place within 25 km", (glat, glon), ours, h, rec, "location")
        ours_a1 = rec.admin2 if (row.get("iso3") or "").strip() in _ucdp_adm1_is_admin2() else rec.admin1
        ok = admin1_matches(ours_a1, row.get("adm_1"))
        t.add("admin1", ok)
        if ok is False:
            mistakes.add(gid, "admin1", row.get("adm_1"), ours_a1, h, rec)
        if places_only:
            continue
        actors = [(rec.actor1, rec.inter1), (rec.actor2, rec.inter2), (rec.assoc_actor_1, None), (rec.assoc_actor_2, None)]
        a_ok = any(side_matches(row["side_a"], a, i) for a, i in actors)
        b_ok = any(side_matches(row["side_b"], a, i) for a, i in actors)
        t.add("side_a", a_ok)
        t.add("side_b", b_ok)
        t.add("both sides", a_ok and b_ok)
        for side, ok in (("side_a", a_ok), ("side_b", b_ok)):
            if not ok:
                mistakes.add(gid, side, row[side], [rec.actor1, rec.actor2], h, rec, "actor1")
        best = _int(row.get("best"))
        if best is not None:
            pred = rec.fatalities_best if rec.fatalities_best is not None else rec.fatalities
            t.add("best deaths exact", pred == best)
            if pred != best:
                mistakes.add(gid, "best deaths", best, pred, h, rec, "fatalities")
        ds, de = parse_gold_date(row.get("date_start", "")), parse_gold_date(row.get("date_end", ""))
        if ds:
            ok = bool(rec.event_date) and ds <= date.fromisoformat(rec.event_date) <= (de or ds)
            t.add("date within gold span", ok)
            if not ok:
                mistakes.add(gid, "event_date", f"{ds}..{de or ds}", rec.event_date, h, rec)
    return {
        "n": len(reports),
        "metrics": {**t.metrics(), **dist.metrics()},
        "notes": [
            "input: each source headline as one article, its source date as publication date",
            "scored on the main record of each headline; 'of' is the number of headlines measured",
            "admin1: UCDP's adm_1 is GADM's first level; where that is GeoNames' second (the "
            "Philippines' provinces, eval/gold_divisions.yaml) it is compared with the record's admin2",
        ],
    }


@lru_cache(maxsize=1)
def _ucdp_adm1_is_admin2() -> frozenset[str]:
    """ISO3 codes of the countries whose UCDP adm_1 is GeoNames' second level (see the YAML)."""
    return frozenset(load_yaml("eval/gold_divisions.yaml").get("ucdp_adm1_is_admin2") or [])


def _float(v: str | None) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except ValueError:
        return None


def _int(v: str | None) -> int | None:
    f = _float(v)
    return int(f) if f is not None else None


# ------------------------------------------------------------------------------------------------
# ACLED


#: The fields of an ACLED gold row that are scored, in the order they are reported, and the evidence
#: key of a record that supports each.
ACLED_FIELDS: tuple[tuple[str, str], ...] = (
    ("event_type", "event_type"),
    ("sub_event_type", "sub_event_type"),
    ("actor1", "actor1"),
    ("inter1", "inter1"),
    ("actor2", "actor2"),
    ("inter2", "inter2"),
    ("fatalities", "fatalities"),
    ("event_date", "event_date"),
    ("place within 25 km", "location"),
    ("admin1", "admin1"),
)
NON_CONFLICT = "non-conflict rows left without a record"
#: A diagnostic beside event_date: of the records we gave a date, how many are right. An ACLED note
#: carries no publication date, so a note that names no date, or a day without its year, leaves the
#: record undated (and counted wrong under event_date, since the year is nowhere in the input).
DATED = "event_date, of records given a date"


class Mistakes:
    """Every wrong field as one JSON line: the gold id, the field, the gold value, ours, the text and
    the words our record gave as evidence for that field. ``None`` writes nothing."""

    def __init__(self, fh=None, source: str = "") -> None:
        self.fh = fh
        self.source = source
        self.count = 0

    def add(
        self, item_id: str, field: str, gold, ours, text: str, rec: EventRecord | None, evidence_key: str | None = None
    ) -> None:
        if self.fh is None:
            return
        spans = (rec.evidence.get(evidence_key or field, []) if rec is not None else [])
        line = {
            "file": self.source,
            "id": item_id,
            "field": field,
            "gold": gold,
            "ours": ours,
            "text": text,
            "evidence": [{"start": s, "end": e, "words": text[s:e]} for s, e in spans],
            "record": None if rec is None else {
                k: getattr(rec, k)
                for k in ("event_type", "sub_event_type", "actor1", "actor2", "fatalities", "event_date", "location")
            },
        }
        self.fh.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        self.count += 1


#: ACLED's newer files spell the inter codes out ("State forces", "Protesters").
INTER_NAMES = {
    "state forces": 1, "rebel group": 2, "rebel groups": 2, "political militia": 3, "political militias": 3,
    "identity militia": 4, "identity militias": 4, "rioters": 5, "protesters": 6, "civilians": 7,
    "external/other forces": 8, "external/other force": 8, "other forces": 8,
}  # fmt: skip


def inter_code(value: str | None) -> int | None:
    """An inter code from a number ("6") or ACLED's words for it ("Protesters")."""
    v = (value or "").strip()
    if not v:
        return None
    n = _int(v) if re.fullmatch(r"\d+(\.0)?", v) else INTER_NAMES.get(v.lower())
    return n or None


def _present_columns(rows: list[dict]) -> set[str]:
    """Columns that hold a value in at least one row (an all-zero inter2 counts as absent)."""
    return {
        k for r in rows for k, v in r.items()
        if k and v not in (None, "") and not (k.startswith("inter") and not inter_code(v))
    }  # fmt: skip


def _acled_gold(row: dict, name: str):
    """The gold value of a scored field, or None when the row leaves it empty (not scored)."""
    if name in ("event_type", "sub_event_type", "actor1", "actor2", "admin1"):
        v = (row.get(name) or "").strip()
        return (strip_years(v) if name.startswith("actor") else v) or None
    if name in ("inter1", "inter2"):
        v = inter_code(row.get(name))
        return None if not v else v
    if name == "fatalities":
        v = _int(row.get(name))
        return None if v is None or (name.startswith("inter") and v == 0) else v
    if name == "event_date":
        d = parse_gold_date(row.get("event_date", ""))
        return d.isoformat() if d else None
    if name == "place within 25 km":
        lat, lon = _float(row.get("latitude")), _float(row.get("longitude"))
        return None if lat is None or lon is None else (lat, lon)
    return None


def _acled_ours(rec: EventRecord | None, name: str):
    if rec is None:
        return None
    if name.startswith("actor"):
        return strip_years(getattr(rec, name)) or None
    if name == "place within 25 km":
        return None if rec.latitude is None else (round(rec.latitude, 4), round(rec.longitude, 4))
    return getattr(rec, name)


def _acled_right(name: str, gold, ours, rec: EventRecord | None) -> bool:
    if rec is None or ours is None:
        return False
    if name == "place within 25 km":
        return haversine_km(ours[0], ours[1], gold[0], gold[1]) <= 25
    if name == "admin1":
        return bool(admin1_matches(ours, gold))
    return ours == gold


def score_acled(
    path: str,
    limit: int | None = None,
    model: str | None = None,
    places_only: bool = False,
    workers: int = 1,
    mistakes: Mistakes | None = None,
) -> dict:
    """Score an ACLED-style CSV: only the columns the file has, and in each row only the fields it fills.

    A row whose event_type is empty or none of ACLED's six types (a disaster, diplomacy, crime...) is a
    non-conflict row: the right answer is no record. When the file has no event_type column at all every
    row is taken to be an event."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [r for i, r in enumerate(csv.DictReader(fh)) if limit is None or i < limit]
    mistakes = mistakes or Mistakes()
    present = _present_columns(rows)
    has_types = "event_type" in present
    fields = [(n, k) for n, k in ACLED_FIELDS if (n if n != "place within 25 km" else "latitude") in present]
    if places_only:
        fields = [(n, k) for n, k in fields if n in ("place within 25 km", "admin1")]
    arts = [
        Article(id=r.get("event_id_cnty") or f"a{i}", text=r.get("notes") or "", published=None)
        for i, r in enumerate(rows)
    ]
    t = Tally()
    dist = Distances()
    sub_pairs: list[tuple[str, str]] = []
    type_pairs: list[tuple[str, str]] = []
    for row, (art, recs) in zip(rows, _records(arts, model, workers)):
        rec = recs[0] if recs else None
        gold_type = (row.get("event_type") or "").strip()
        conflict = gold_type in EVENT_TYPES or not has_types
        if has_types:
            type_pairs.append((gold_type if conflict else "none", rec.event_type if rec else "none"))
        if "sub_event_type" in present:
            gold_sub = (row.get("sub_event_type") or "").strip() if conflict else "none"
            sub_pairs.append((gold_sub or "none", rec.sub_event_type if rec else "none"))
        if not conflict:  # the right answer is no record at all
            t.add(NON_CONFLICT, not recs)
            if recs:
                mistakes.add(art.id, "record", None, rec.sub_event_type, art.text, rec, "sub_event_type")
            continue
        t.add("detected", bool(recs))
        if not recs:
            mistakes.add(art.id, "detected", gold_type or True, None, art.text, None)
        for name, key in fields:
            gold = _acled_gold(row, name)
            if gold is None:  # empty in this row: not scored here
                continue
            ours = _acled_ours(rec, name)
            if name == "place within 25 km":
                dist.add(ours, gold)
            ok = _acled_right(name, gold, ours, rec)
            t.add(name, ok)
            if name == "event_date" and ours is not None:
                t.add(DATED, ok)  # how often a date we give is right (the rest had none to give)
            if not ok:
                mistakes.add(art.id, name, gold, ours, art.text, rec, key)
    metrics = t.metrics()
    order = ["detected", *(n for n, _k in ACLED_FIELDS), DATED, NON_CONFLICT]
    metrics = {k: metrics[k] for k in order if k in metrics}
    metrics.update(dist.metrics())
    if sub_pairs and not places_only:
        metrics["sub_event_type weighted F1"] = {"value": round(weighted_f1(sub_pairs), 4), "n": len(sub_pairs)}
    elif type_pairs and not places_only:
        metrics["event_type weighted F1"] = {"value": round(weighted_f1(type_pairs), 4), "n": len(type_pairs)}
    return {
        "n": len(rows),
        "metrics": metrics,
        "notes": [
            "input: each row's notes as one article; compared with the main (first) record",
            "scored: only the columns this file fills, and in each row only the fields it fills",
            "no publication date is given (a note has none): a note without a full date leaves event_date empty",
        ],
    }


def weighted_f1(pairs: list[tuple[str, str]]) -> float:
    """F1 per gold class, weighted by the class's support ("none" = no record is a class too)."""
    from collections import Counter

    support = Counter(g for g, _ in pairs)
    predicted = Counter(p for _, p in pairs)
    right = Counter(g for g, p in pairs if g == p)
    total = sum(support.values())
    score = 0.0
    for label, n in support.items():
        prec = right[label] / predicted[label] if predicted[label] else 0.0
        rec = right[label] / n
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        score += f1 * n / total if total else 0.0
    return score


# ------------------------------------------------------------------------------------------------
# PLOVER


@lru_cache(maxsize=512)
def _country_name(code: str) -> str | None:
    import pycountry

    c = pycountry.countries.get(alpha_3=code[:3]) if len(code) >= 3 else None
    return (getattr(c, "common_name", None) or c.name) if c else None


def _actor_country_ok(gold: list[dict], actor: str | None, rec_iso3: str | None) -> bool | None:
    codes = [g.get("code", "") for g in gold if g.get("code")]
    names = [_country_name(c) for c in codes]
    names = [n for n in names if n]
    if not names:
        return None
    if not actor:
        return False
    return any(n.lower() in actor.lower() for n in names)


def score_plover(
    path: str, limit: int | None = None, model: str | None = None, mistakes: Mistakes | None = None
) -> dict:
    mistakes = mistakes or Mistakes()
    data = [e for e in json.load(open(path, encoding="utf-8")) if e.get("text") and e.get("event") != "DOCUMENT"]
    if limit is not None:
        data = data[:limit]
    arts = [Article(id=e["id"], text=e["text"], published=None) for e in data]
    t = Tally()
    for e, (art, recs) in zip(data, _records(arts, model)):
        ev = e["event"]
        if ev in PLOVER_EVENTFUL:
            t.add("violent/protest sentences with a record", bool(recs))
            if not recs:
                mistakes.add(art.id, "detected", ev, None, art.text, None)
            if recs:
                t.add("actor1 country (source)", _actor_country_ok(e.get("source", []), recs[0].actor1, recs[0].iso3))
                t.add("actor2 country (target)", _actor_country_ok(e.get("target", []), recs[0].actor2, recs[0].iso3))
        elif ev in PLOVER_NON_EVENTS:
            t.add("non-violent sentences left without a record", not recs)
            if recs:
                mistakes.add(art.id, "record", ev, recs[0].sub_event_type, art.text, recs[0], "sub_event_type")
        if "dead" in e:
            gold = int(e["dead"])
            ok = any(r.fatalities == gold for r in recs)
            t.add("death count right", ok)
            if not ok:
                mistakes.add(art.id, "fatalities", gold, [r.fatalities for r in recs], art.text,
                             recs[0] if recs else None)
    return {
        "n": len(data),
        "metrics": t.metrics(),
        "notes": [
            f"eventful: {', '.join(sorted(PLOVER_EVENTFUL))}; non-events: {', '.join(sorted(PLOVER_NON_EVENTS))}",
            "actor countries: the gold actor's country named in the predicted ACLED-style actor",
        ],
    }
