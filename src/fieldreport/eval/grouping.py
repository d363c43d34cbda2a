"""Scoring event consolidation: do the reports that tell one event end up in one event?

``score_grouping`` is B-cubed precision/recall/F1 over items (reports). ``evaluate_events`` runs
records extraction + consolidation over the headlines of a UCDP GED file and scores the predicted
grouping of reports against UCDP's events, beside two naive baselines.

How a UCDP file becomes reports
-------------------------------
Each headline of a UCDP event (``source_headline`` split on ``" ;; "``, or on ``";"`` when that
gives as many headlines as there are dates, as in the full GED download) is one report; its
publication date is the matching entry of ``source_date`` (split on ``";"``; ``DD.MM.YYYY`` or
ISO). The report id is ``"<event_id>#<n>"`` (n counts from 0; the event id column is ``event_id``,
or ``id`` in the full GED download). Empty headlines and ``nan`` are not reports (there is nothing
to read) and are left out of the items. The gold cluster of a report is its UCDP event id. One
headline often stands in several UCDP events (a round-up article cited for each of its events):
such copies are separate items, which caps the precision any reader of headlines can reach.

Predicted grouping
------------------
``records_for_report(text, published, report_id)`` gives each report's records (the main event
first, as the pipeline lists them). All records of all reports are consolidated together; a
report's cluster is the event of its first (main) record. A report with no record is alone.

Baselines
---------
- ``singletons``: every report alone.
- ``day_admin1``: reports with the same day and the same admin1 together, where the day is the
  event date of the report's main record (its publication date when the record has none) and the
  admin1 is the *predicted* admin1 of that record; a report whose main record has no admin1 (or
  that has no record) stays alone. Gold places are never used by the baselines or by fieldreport.
"""

from __future__ import annotations

import csv
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fieldreport.events.grouping import Consolidator, MatchConfig
from fieldreport.schema.records import EventRecord

RecordsForReport = Callable[[str, date | None, str], Sequence[EventRecord]]
Clusters = Mapping[Hashable, Hashable] | Iterable[Iterable[Hashable]]


def _labels(clusters: Clusters) -> dict[Hashable, Hashable]:
    """item -> cluster label, from either a mapping or a list of clusters."""
    if isinstance(clusters, Mapping):
        return dict(clusters)
    labels: dict[Hashable, Hashable] = {}
    for i, cluster in enumerate(clusters):
        for item in cluster:
            if item in labels:
                raise ValueError(f"item {item!r} is in more than one cluster")
            labels[item] = ("c", i)
    return labels


def score_grouping(pred_clusters: Clusters, gold_clusters: Clusters) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a predicted grouping against a gold one.

    Either argument may be a list of clusters (iterables of item ids) or a mapping item -> label.
    Items are the gold items; a gold item missing from the prediction counts as alone, predicted
    items absent from the gold are ignored.
    """
    gold = _labels(gold_clusters)
    pred_all = _labels(pred_clusters)
    pred = {item: pred_all.get(item, ("alone", item)) for item in gold}
    if not gold:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "items": 0}
    pred_members: dict[Hashable, list[Hashable]] = defaultdict(list)
    gold_members: dict[Hashable, list[Hashable]] = defaultdict(list)
    for item in gold:
        pred_members[pred[item]].append(item)
        gold_members[gold[item]].append(item)
    # count (pred label, gold label) intersections once
    both: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    for item in gold:
        both[(pred[item], gold[item])] += 1
    p_sum = r_sum = 0.0
    for item in gold:
        common = both[(pred[item], gold[item])]
        p_sum += common / len(pred_members[pred[item]])
        r_sum += common / len(gold_members[gold[item]])
    n = len(gold)
    p, r = p_sum / n, r_sum / n
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "items": n}


def _parse_ucdp_date(value: str) -> date | None:
    value = value.strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def read_ucdp_reports(ucdp_csv_path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The reports of a UCDP GED file: ``{"report_id", "text", "published", "gold"}`` each.

    ``limit`` keeps the first ``limit`` UCDP events (with all their reports).
    """
    reports: list[dict[str, Any]] = []
    with open(ucdp_csv_path, newline="", encoding="utf-8") as fh:
        for n_event, row in enumerate(csv.DictReader(fh)):
            if limit is not None and n_event >= limit:
                break
            event_id = row.get("event_id") or row.get("id") or str(n_event)  # short and full GED columns
            raw = row.get("source_headline") or ""
            heads = raw.split(" ;; ")
            dates = (row.get("source_date") or "").split(";")
            if len(heads) == 1 and len(dates) > 1 and len(raw.split(";")) == len(dates):
                heads = raw.split(";")  # the full GED download joins headlines with a bare ";"
            for i, head in enumerate(heads):
                text = head.strip()
                if not text or text.lower() == "nan":
                    continue
                published = _parse_ucdp_date(dates[i]) if i < len(dates) else None
                if published is None and dates:
                    published = _parse_ucdp_date(dates[0])
                reports.append(
                    {"report_id": f"{event_id}#{i}", "text": text, "published": published, "gold": event_id}
                )
    return reports


def _own_records(records: Sequence[EventRecord], report_id: str) -> list[EventRecord]:
    """Records keyed to the report (so equal headlines of two reports stay two articles)."""
    out = []
    for k, rec in enumerate(records):
        if rec.article_id != report_id:
            rec = rec.model_copy(update={"article_id": report_id, "record_id": f"{report_id}/{k}:{rec.record_id}"})
        out.append(rec)
    return out


def day_admin1_baseline(reports: Sequence[dict[str, Any]], main: Mapping[str, EventRecord]) -> dict[str, Hashable]:
    """The naive grouping: same day and same predicted admin1 together, else alone."""
    labels: dict[str, Hashable] = {}
    for rep in reports:
        rid = rep["report_id"]
        rec = main.get(rid)
        if rec is None or not rec.admin1:
            labels[rid] = ("alone", rid)
            continue
        day = rec.event_date or (rep["published"].isoformat() if rep["published"] else None)
        labels[rid] = ("day-admin1", day, rec.admin1.casefold()) if day else ("alone", rid)
    return labels


def evaluate_events(
    ucdp_csv_path: str | Path,
    records_for_report: RecordsForReport,
    limit: int | None = None,
    config: MatchConfig | None = None,
) -> dict[str, Any]:
    """Score fieldreport's consolidation of UCDP headlines against UCDP's events, with baselines.

    Returns ``{"reports", "gold_events", "reports_with_records", "records", "predicted_events",
    "fieldreport": {precision, recall, f1}, "baseline_singletons": {...}, "baseline_day_admin1":
    {...}, "extract_seconds", "consolidate_seconds"}``.
    """
    reports = read_ucdp_reports(ucdp_csv_path, limit=limit)
    gold = {rep["report_id"]: rep["gold"] for rep in reports}

    t0 = time.perf_counter()
    all_records: list[EventRecord] = []
    main: dict[str, EventRecord] = {}
    for rep in reports:
        recs = _own_records(list(records_for_report(rep["text"], rep["published"], rep["report_id"])), rep["report_id"])
        if recs:
            main[rep["report_id"]] = recs[0]
        all_records.extend(recs)
    t1 = time.perf_counter()
    cons = Consolidator(config=config)
    cons.add(all_records)
    t2 = time.perf_counter()

    predicted: dict[str, Hashable] = {}
    for rep in reports:
        rid = rep["report_id"]
        rec = main.get(rid)
        ev = cons.event_of(rec.record_id) if rec is not None else None
        predicted[rid] = ("event", ev.event_id) if ev is not None else ("alone", rid)

    singles = {rid: ("alone", rid) for rid in gold}
    return {
        "reports": len(reports),
        "gold_events": len(set(gold.values())),
        "reports_with_records": len(main),
        "records": len(all_records),
        "predicted_events": len(set(predicted.values())),
        "fieldreport": score_grouping(predicted, gold),
        "baseline_singletons": score_grouping(singles, gold),
        "baseline_day_admin1": score_grouping(day_admin1_baseline(reports, main), gold),
        "extract_seconds": round(t1 - t0, 2),
        "consolidate_seconds": round(t2 - t1, 3),
    }


def pipeline_records_for_report() -> RecordsForReport:
    """``records_for_report`` backed by the real pipeline (``fieldreport.assemble.pipeline``)."""
    from fieldreport.schema.records import Article
    from fieldreport.assemble.pipeline import Pipeline

    pipe = Pipeline.default()

    def records_for_report(text: str, published: date | None, report_id: str) -> list[EventRecord]:
        return pipe.extract(Article(id=report_id, text=text, published=published))

    return records_for_report


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m fieldreport.eval.grouping UCDP_CSV [LIMIT]``: print the scores as JSON."""
    import json
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        raise SystemExit("usage: python -m fieldreport.eval.grouping UCDP_CSV [LIMIT]")
    limit = int(args[1]) if len(args) > 1 else None
    print(json.dumps(evaluate_events(args[0], pipeline_records_for_report(), limit=limit), indent=2))


if __name__ == "__main__":
    main()
