"""Geoparsing evaluation: end-to-end toponym resolution and event location against gold files.

``score_geoparsing`` reads the XML of LGL, GeoWebNews or TR-News (the two families of toponym
elements: LGL's ``<toponym><start/><end/><phrase/><gaztag><lat/><lon/></gaztag>`` and
GeoWebNews' ``<toponym><extractedName/><start/><end/><latitude/><longitude/>``). Gold toponyms are
those with coordinates. A gold toponym is found when a resolved prediction overlaps its span and
lies within 161 km of its coordinates (recall: the end-to-end accuracy that Mordecai3 reports,
0.586 published). A prediction is correct when it overlaps a gold toponym and lies within 161 km;
a prediction that overlaps only gold toponyms without coordinates cannot be judged and is left out
of precision (counted as ``unjudged``).

``half`` splits a corpus by article for tuning: "dev" keeps the articles of even index (0, 2,
...), "held" those of odd index, so that rules are tuned on one half and measured on the other.
``mistakes`` (an open text file) receives one JSON line per missed gold toponym ("miss": the
gold name and coordinates, our overlapping mention, its place and distance, the sentence) and per
wrong prediction ("false": our mention and place, the overlapping gold toponym and distance if
any, the sentence).

``score_event_location`` reads the event-location JSON Lines (one sentence, its event verb and the
marked locations where the event happened) and reports the share of sentences that mark a
location for which the chosen mention overlaps a marked one.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldreport.geo.gazetteer import haversine_km

KM_THRESHOLD = 161.0


@dataclass
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    kind: str = ""  # GeoWebNews' type (Literal, Metonymic, ...) or LGL's feature code


@dataclass
class GoldArticle:
    id: str
    text: str
    toponyms: list[GoldToponym]


def _float(x: str | None) -> float | None:
    try:
        return float(x) if x not in (None, "") else None
    except ValueError:
        return None


def read_geoparsing_xml(xml_path: str | Path) -> list[GoldArticle]:
    """Articles and their gold toponyms from an LGL / GeoWebNews / TR-News XML file."""
    root = ET.parse(str(xml_path)).getroot()
    out = []
    for k, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        aid = art.get("docid") or art.get("file") or str(k)
        tops = []
        for tp in art.iter("toponym"):
            start, end = _float(tp.findtext("start")), _float(tp.findtext("end"))
            if start is None or end is None:
                continue
            gaz = tp.find("gaztag")
            if gaz is not None:  # LGL / TR-News
                lat, lon = _float(gaz.findtext("lat")), _float(gaz.findtext("lon"))
                kind = gaz.findtext("fcode") or ""
                phrase = tp.findtext("phrase") or ""
            else:  # GeoWebNews
                lat, lon = _float(tp.findtext("latitude")), _float(tp.findtext("longitude"))
                kind = tp.findtext("type") or ""
                phrase = tp.findtext("extractedName") or tp.findtext("phrase") or ""
            tops.append(GoldToponym(int(start), int(end), phrase, lat, lon, kind))
        out.append(GoldArticle(str(aid), text, tops))
    return out


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


HALVES = ("dev", "held")


def split_half(items: list, half: str | None) -> list:
    """The even-index ("dev") or odd-index ("held") items; all of them when ``half`` is None."""
    if half is None:
        return items
    if half not in HALVES:
        raise ValueError(f"half must be one of {', '.join(HALVES)}, not {half!r}")
    return items[HALVES.index(half)::2]


def _sentence_around(text: str, start: int, end: int, width: int = 160) -> str:
    """The sentence (or a window of ``width`` characters each side) around a span."""
    a = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    a = a + 1 if a >= 0 and start - a <= width else max(0, start - width)
    b = min([x for x in (text.find(". ", end), text.find("\n", end)) if x >= 0] or [len(text)])
    b = b + 1 if b - end <= width else min(len(text), end + width)
    return " ".join(text[a:b].split())


def _place_row(m: Any, lat: float | None = None, lon: float | None = None) -> dict:
    p = m.place
    row = {"ours": m.text, "ours_start": m.start, "reason": m.reason}
    if p is not None:
        row.update(place=p.name, country=p.iso2, admin1=p.admin1, feature=p.feature,
                   lat=p.latitude, lon=p.longitude)
        if lat is not None and lon is not None:
            row["km"] = round(haversine_km(p.latitude, p.longitude, lat, lon), 1)
    return row


def score_geoparsing(
    xml_path: str | Path, extractor: Any, nlp: Any, limit: int | None = None,
    half: str | None = None, mistakes: Any = None,
) -> dict:
    """Score ``extractor.find`` end to end on a geoparsing XML file.

    Returns a dict with ``recall`` (gold toponyms found within 161 km), ``precision``
    (resolved predictions that overlap a gold toponym and lie within 161 km), ``f1`` and the
    counts, plus ``by_kind`` (recall per gold type / feature code) and timing.
    """
    articles = split_half(read_geoparsing_xml(xml_path), half)
    if limit is not None:
        articles = articles[:limit]
    gold_n = found = pred_n = pred_ok = unjudged = unresolved = 0
    kind_tot: Counter = Counter()
    kind_hit: Counter = Counter()
    t0 = time.perf_counter()
    docs = nlp.pipe((a.text for a in articles), batch_size=16)
    for art, doc in zip(articles, docs):
        mentions = extractor.find(doc)
        resolved = [m for m in mentions if m.place is not None]
        unresolved += len(mentions) - len(resolved)
        gold = [g for g in art.toponyms if g.lat is not None and g.lon is not None]
        blind = [g for g in art.toponyms if g.lat is None or g.lon is None]
        for g in gold:
            gold_n += 1
            kind_tot[g.kind] += 1
            if any(
                _overlap(m.start, m.end, g.start, g.end)
                and haversine_km(m.place.latitude, m.place.longitude, g.lat, g.lon) <= KM_THRESHOLD
                for m in resolved
            ):
                found += 1
                kind_hit[g.kind] += 1
            elif mistakes is not None:
                ours = [m for m in mentions if _overlap(m.start, m.end, g.start, g.end)]
                row = {"what": "miss", "file": Path(xml_path).name, "article": art.id, "gold": art.text[g.start:g.end],
                       "gold_kind": g.kind, "gold_lat": g.lat, "gold_lon": g.lon,
                       **(_place_row(ours[0], g.lat, g.lon) if ours else {}),
                       "sentence": _sentence_around(art.text, g.start, g.end)}
                mistakes.write(json.dumps(row, ensure_ascii=False) + "\n")
        for m in resolved:
            over = [g for g in gold if _overlap(m.start, m.end, g.start, g.end)]
            if not over and any(_overlap(m.start, m.end, g.start, g.end) for g in blind):
                unjudged += 1
                continue
            pred_n += 1
            if any(
                haversine_km(m.place.latitude, m.place.longitude, g.lat, g.lon) <= KM_THRESHOLD
                for g in over
            ):
                pred_ok += 1
            elif mistakes is not None:
                row = {"what": "false", "file": Path(xml_path).name, "article": art.id,
                       "gold": art.text[over[0].start:over[0].end] if over else None,
                       **({"gold_lat": over[0].lat, "gold_lon": over[0].lon} if over else {}),
                       **_place_row(m, *((over[0].lat, over[0].lon) if over else (None, None))),
                       "sentence": _sentence_around(art.text, m.start, m.end)}
                mistakes.write(json.dumps(row, ensure_ascii=False) + "\n")
    secs = time.perf_counter() - t0
    recall = found / gold_n if gold_n else 0.0
    precision = pred_ok / pred_n if pred_n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "file": str(xml_path),
        **({"half": half} if half else {}),
        "articles": len(articles),
        "gold_toponyms": gold_n,
        "found": found,
        "recall": round(recall, 4),
        "predicted": pred_n,
        "predicted_correct": pred_ok,
        "precision": round(precision, 4),
        "f1": round(f1, 4),
        "unjudged_predictions": unjudged,
        "unresolved_mentions": unresolved,
        "by_kind": {
            k: {"gold": v, "recall": round(kind_hit[k] / v, 3)} for k, v in kind_tot.most_common()
        },
        "seconds": round(secs, 1),
    }


def _token_offsets_as_chars(doc: Any, text: str, loc: dict) -> tuple[int, int] | None:
    """Some rows give a location's token indices (inclusive) where character offsets belong
    ("San Carlos" as 7..8 in "A hand grenade detonated Thursday in the San Carlos ..."): a
    one- or two-character "location" that is not a whole word is read that way."""
    a, b = loc["start"], loc["end"]
    if b - a > 2:
        return None
    whole = (a == 0 or not text[a - 1].isalnum()) and (b >= len(text) or not text[b].isalnum())
    if whole or not hasattr(doc, "__getitem__"):
        return None
    try:
        words = [t for t in doc if not t.is_space]
        if b >= len(words):
            return None
        return words[a].idx, words[b].idx + len(words[b].text)
    except (TypeError, IndexError, AttributeError):
        return None


def score_event_location(jsonl_path: str | Path, extractor: Any, nlp: Any,
                         limit: int | None = None) -> dict:
    """Share of sentences (among those that mark a location) whose chosen event location
    overlaps a marked location."""
    rows = []
    with open(jsonl_path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            locs = [loc for loc in r.get("locations") or [] if loc.get("end", 0) > loc.get("start", 0)]
            verbs = r.get("verbs") or []
            if not verbs:
                continue
            rows.append((r["text"], verbs[0]["start"], verbs[0]["end"], locs))
    if limit is not None:
        rows = rows[:limit]
    marked = correct = none_chosen = chose_when_none = unmarked = repaired = 0
    by_precision: Counter = Counter()
    t0 = time.perf_counter()
    for (text, vs, ve, locs), doc in zip(rows, nlp.pipe((r[0] for r in rows), batch_size=64)):
        mentions = extractor.find(doc)
        m, prec, _why = extractor.event_location(doc, mentions, vs, ve)
        if not locs:
            unmarked += 1
            chose_when_none += m is not None
            continue
        marked += 1
        spans = []
        for loc in locs:
            fixed = _token_offsets_as_chars(doc, text, loc)
            repaired += fixed is not None
            spans.append(fixed or (loc["start"], loc["end"]))
        if m is None:
            none_chosen += 1
            continue
        ok = any(_overlap(m.start, m.end, a, b) for a, b in spans)
        correct += ok
        by_precision[(prec, ok)] += 1
    return {
        "file": str(jsonl_path),
        "sentences": len(rows),
        "marked": marked,
        "correct": correct,
        "accuracy": round(correct / marked, 4) if marked else 0.0,
        "none_chosen": none_chosen,
        "unmarked": unmarked,
        "chose_when_unmarked": chose_when_none,
        "locations_read_as_token_offsets": repaired,
        "seconds": round(time.perf_counter() - t0, 1),
    }


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - a thin command line
    """``python -m fieldreport.eval.geoparse FILE... [--limit N] [--half dev|held] [--no-embedded]``: print the
    scores as JSON (``.jsonl`` files are scored for event location, XML files end to end)."""
    import argparse

    from fieldreport.extract.places import PlaceExtractor
    from fieldreport.text.nlp import load_nlp

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--half", choices=HALVES, default=None)
    ap.add_argument("--no-embedded", dest="embedded", action="store_false",
                    help="leave out place names inside organisation names (LGL and GeoWebNews "
                         "annotate them; `fieldreport places` reports them by default)")
    a = ap.parse_args(argv)
    nlp = load_nlp()
    ex = PlaceExtractor.default()
    for f in a.files:
        if f.endswith(".jsonl"):
            res = score_event_location(f, ex, nlp, limit=a.limit)  # never embedded names
        else:
            res = score_geoparsing(f, ex.embedding(a.embedded), nlp, limit=a.limit, half=a.half)
        print(json.dumps(res, indent=1))


if __name__ == "__main__":  # pragma: no cover
    main()
