"""The `notes` of a record: one or two sentences in ACLED's plain style, written from the record's own
fields (never copied from the article), so that a reader sees at a glance what was coded."""

from __future__ import annotations

from datetime import date

from fieldreport.data import load_yaml
from fieldreport.schema.records import Casualties, ClaimOut, EventRecord


def _when(rec: EventRecord) -> str:
    if not rec.event_date:
        return "On an unknown date"
    d = date.fromisoformat(rec.event_date)
    day = f"{d.day} {d.strftime('%B %Y')}"
    if rec.time_precision == 3:
        return f"In {d.strftime('%B %Y')}"
    if rec.time_precision == 2:
        return f"Around {day}"
    return f"On {day}"


def _where(rec: EventRecord) -> str:
    if not rec.location:
        return f" in {rec.country}" if rec.country else ""
    parts = [p for p in (rec.admin1, rec.country) if p and p != rec.location]
    tail = f" ({', '.join(parts)})" if parts else ""
    if rec.geo_precision == 2:
        return f" near {rec.location}{tail}"
    return f" in {rec.location}{tail}"


def _optional(prefix: str, name: str | None) -> str:
    return f" {prefix} {name}" if name else ""


def write_notes(rec: EventRecord, figures: list[Casualties], claims: list[ClaimOut]) -> str:
    spec = load_yaml("assemble/notes.yaml")
    a1 = rec.actor1 or spec["subject_unknown"]
    a2 = rec.actor2
    clause = spec["clauses"].get(rec.sub_event_type, "{a1} was involved in an event")
    text = clause.format(
        a1=a1,
        a2=a2 or "",
        a2_or_others=a2 or "another armed group",
        a2_or_civilians=a2 or "civilians",
        a2_or_people=a2 or "people",
        a2_or_forces=a2 or "security forces",
        on_a2=_optional("on", a2),
        at_a2=_optional("at", a2),
        against_a2=_optional("against", a2),
        targeting_a2=_optional("targeting", a2),
        from_a2=_optional("from", a2),
        with_a2=_optional("with", a2),
        by_a2=_optional("by", a2),
        of_a1=_optional("of", rec.actor1),
        of_a2=_optional("of", a2),
    )
    first = f"{_when(rec)}{_where(rec)}, {text}."
    outcome: list[str] = []
    if rec.fatalities_best is not None or rec.fatalities:
        n = rec.fatalities
        span = ""
        if rec.fatalities_high and rec.fatalities_high != n:
            span = f" (reports range up to {rec.fatalities_high})"
        outcome.append(f"{n} fatalit{'y' if n == 1 else 'ies'}{span}")
    if rec.injured:
        outcome.append(f"{rec.injured} injured")
    for m in rec.materiel:
        count = f"{m.count} " if m.count is not None else ""
        outcome.append(f"{count}{m.kind} {m.status}")
    second = ""
    if outcome:
        joined = "; ".join(outcome)
        second = " " + joined[0].upper() + joined[1:]
        claimants = sorted({c.claimant for c in claims if set(c.fields) & {"fatalities", "injured", "materiel"}})
        if claimants:
            second += f", according to {' and '.join(claimants)}"
        second += "."
    return (first[0].upper() + first[1:] + second).strip()
