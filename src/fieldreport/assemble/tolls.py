"""A stage after record building: the main event's toll told in a later sentence that reads as an
event of its own. ACLED codes a note's deaths to its one event; a news lead's toll told a few
sentences on is the lead event's. Pure: records and the parsed Doc in, the main record updated."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from fieldreport.data import load_yaml
from fieldreport.extract import figures as figures_x
from fieldreport.geo.distance import haversine_km
from fieldreport.schema.records import Casualties, EventRecord
from fieldreport.text.spans import doc_text


def toll_told_after(main: EventRecord, donors: list[tuple[EventRecord, list[Casualties]]], doc: Doc) -> None:
    """The main event's toll told in a sentence that reads as an event of its own ("Two people were
    killed in the clash.", "Police fired, killing one."): when the main record has no killed figure, the
    killed figures of the article's other records on the same day and at the same place (or none named)
    are the main event's. ACLED codes a note's deaths to its one event; a news lead's toll told a few
    sentences on is the lead event's. A peaceful protest never takes a toll; a protest or riot does not
    take deaths told as its grievance."""
    if main.fatalities or main.fatalities_high or not figures_x.carries_fatalities(main.event_type, main.sub_event_type):
        return
    found: dict[tuple[int, int], Casualties] = {}
    spans: list[list[int]] = []
    for rec, killed in donors:
        if rec is main or not killed or rec.event_date != main.event_date or not _same_place(main, rec):
            continue
        if _told_as_another_event(doc, rec):
            continue  # "Separately, gunmen shot dead two guards": another event, however close
        for f in killed:
            found.setdefault((f.start, f.end), f)
        spans += rec.evidence.get("fatalities", [])
    figs = list(found.values())
    if not figs:
        return
    # read from the main event's trigger, a figure told as its cause ("fighting broke out after X were
    # accused of killing a man") is background: only figures that are not stay
    trig = (main.evidence.get("event_type") or [[0, 0]])[0]
    own = {(f.start, f.end) for f in figures_x.find_casualties(doc, trigger=(trig[0], trig[1])) if f.kind == "killed"}
    figs = [f for f in figs if (f.start, f.end) in own]
    if main.event_type in ("Protests", "Riots"):
        figs = [f for f in figs if not figures_x.told_as_grievance(doc, f)]
    cons, low, best, high = figures_x.summarise_fatalities(figs, text=doc_text(doc))
    if not cons and not high:
        return
    main.fatalities, main.fatalities_low, main.fatalities_best, main.fatalities_high = cons, low, best, high
    bucket = main.evidence.setdefault("fatalities", [])
    for pair in spans:
        if pair not in bucket and any(pair[0] <= f.start and f.end <= pair[1] for f in figs):
            bucket.append(pair)


@lru_cache(maxsize=1)
def _new_event_words() -> re.Pattern[str]:
    words = load_yaml("events/word_classes.yaml")["classes"]["new_event"]
    alt = "|".join(r"\s+".join(re.escape(w) for w in str(p).split()) for p in words)
    return re.compile(rf"\b(?:{alt})\b", re.IGNORECASE)


def _told_as_another_event(doc: Doc, rec: EventRecord) -> bool:
    """The record's sentence opens with words that mark a different event ("Separately", "Elsewhere",
    "In another attack": events/word_classes.yaml new_event)."""
    spans = rec.evidence.get("event_type") or []
    if not spans:
        return False
    span = doc.char_span(spans[0][0], spans[0][1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    sent = span.sent
    return _new_event_words().search(doc_text(doc)[sent.start_char : min(sent.end_char, sent.start_char + 40)]) is not None


def _same_place(a: EventRecord, b: EventRecord) -> bool:
    if b.latitude is None or a.latitude is None:
        return True
    if a.location == b.location:
        return True
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= 25
