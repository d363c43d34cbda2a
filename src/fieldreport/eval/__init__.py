"""Scoring fieldreport against human-coded gold files (a user feature: `fieldreport eval`)."""

from __future__ import annotations

from pathlib import Path


def detect_kind(path: str) -> str:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".xml":
        return "geoparsing"
    with p.open("r", encoding="utf-8", errors="replace") as fh:
        head = fh.read(4096)
    if suffix == ".csv":
        first = head.splitlines()[0].lower() if head else ""
        if "source_headline" in first:
            return "ucdp"
        if "notes" in first and "event_type" in first:
            return "acled"
        raise ValueError("a CSV that is neither UCDP GED (source_headline) nor ACLED (notes, event_type)")
    if suffix == ".jsonl" and '"verbs"' in head and '"locations"' in head:
        return "event-location"
    if suffix == ".json" and ("PLOVER" in head or '"eventText"' in head):
        return "plover"
    raise ValueError("cannot tell the kind of gold file; give --kind")


def run_eval(
    path: str,
    kind: str = "auto",
    places_only: bool = False,
    events: bool = False,
    limit: int | None = None,
    model: str | None = None,
    workers: int = 1,
    parse: bool = False,
    mistakes=None,
    half: str | None = None,
) -> dict:
    """Score one gold file. Returns {"file", "kind", "n", "metrics": {name: {"value", "n"}}, "notes"}.

    ``mistakes``, an open text file, receives every wrong field of UCDP, ACLED and PLOVER gold as JSON
    Lines (see :class:`fieldreport.eval.gold.Mistakes`); of geoparsing gold, every missed toponym
    and every wrong place (see :func:`fieldreport.eval.geoparse.score_geoparsing`).

    ``half`` ("dev" or "held") scores only the even- or odd-index articles of a geoparsing file,
    so that one half can be tuned on and the other measured.

    Geoparsing files are scored with the pipeline that ``fieldreport places`` runs (the entity
    recogniser alone, or the full one with ``parse``) and its defaults: demonyms and place names
    inside organisation names are reported, as LGL and GeoWebNews annotate them; event location
    always needs the parse and never takes either."""
    if kind == "auto":
        kind = detect_kind(path)
    if half is not None and kind != "geoparsing":
        raise ValueError("--half splits geoparsing XML files (LGL, GeoWebNews) by article")
    if events:
        if kind != "ucdp":
            raise ValueError("--events scores UCDP GED files (events with their source headlines)")
        from fieldreport.eval.grouping import evaluate_events
        from fieldreport.eval.gold import pipeline_records_for_report

        res = evaluate_events(path, pipeline_records_for_report(model), limit=limit)
        return {"file": path, "kind": "ucdp-events", **_normalise(res)}
    if kind in ("geoparsing", "event-location"):
        from fieldreport.extract.places import PlaceExtractor
        from fieldreport.text.nlp import load_nlp, load_places_nlp

        from fieldreport.eval import geoparse

        full = parse or kind == "event-location"
        nlp, ex = (load_nlp(model) if full else load_places_nlp(model)), PlaceExtractor.default()
        if kind == "geoparsing":  # as `fieldreport places` reports them: names inside names too
            ex = ex.embedding(True)
            res = geoparse.score_geoparsing(path, ex, nlp, limit=limit, half=half, mistakes=mistakes)
        else:
            res = geoparse.score_event_location(path, ex, nlp, limit=limit)
        return {"file": path, "kind": kind, **_normalise(res)}
    from fieldreport.eval import gold

    wrong = gold.Mistakes(mistakes, source=path)
    if kind == "ucdp":
        res = gold.score_ucdp(path, limit=limit, model=model, places_only=places_only, workers=workers, mistakes=wrong)
    elif kind == "acled":
        res = gold.score_acled(path, limit=limit, model=model, places_only=places_only, workers=workers, mistakes=wrong)
    elif kind == "plover":
        res = gold.score_plover(path, limit=limit, model=model, mistakes=wrong)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return {"file": path, "kind": kind, **res}


def _normalise(res: dict) -> dict:
    """Accept a flat dict of figures from a scorer and shape it as {n, metrics, notes}."""
    if "metrics" in res:
        return res
    metrics, notes = {}, []
    n = res.get("n") or res.get("articles") or res.get("sentences") or res.get("reports")
    for k, v in res.items():
        if isinstance(v, bool):
            continue
        if isinstance(v, (int, float)):
            metrics[k] = {"value": v}
        elif isinstance(v, dict) and all(isinstance(x, (int, float)) for x in v.values()):
            for kk, vv in v.items():
                metrics[f"{k}.{kk}"] = {"value": vv}
        elif isinstance(v, str):
            notes.append(f"{k}: {v}")
    return {"n": n, "metrics": metrics, "notes": notes}
