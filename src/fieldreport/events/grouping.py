"""One event, many reports: merge the event records that tell the same event into events.

A record is one event as one article tells it (``model.EventRecord``). Several outlets report the
same shelling, each in its own words, with its own date phrase and its own figure; this module
groups such records into one ``Event`` and works out the event's fields from all of them.

How it works
------------
1. **Blocking.** Each record is put in buckets keyed by *type family* x *day* x *region*. The region
   is a grid cell of half a degree for records whose place is a town or near one (``geo_precision``
   1 or 2, with coordinates), the first-level division (``admin1``) for coarse records, and the
   country (keyed by event type, not family) for records that name no division; a record that names
   no country takes the one its actors' names carry ("Civilians (Ukraine)"), if any. A record is
   only ever compared with the records of the buckets around its own (neighbouring cells, days
   within the date slack, the same admin1, the same country), so the work grows with the number
   of records (times their density per day and region), not its square. A record with no date,
   or no place at all, is compared with nothing: it stays its own event unless an analyst merges it.
2. **Matching.** Each candidate pair gets a score in 0..1 (``pair_score``): the product of a type
   agreement (same sub-event type; same event type; or a pair reporters often tell differently,
   such as Battles vs a territory change or an air strike vs shelling), a date agreement (by the
   gap between the two records' date intervals, wider for week- or month-precise dates; two vague
   dates agree less the further apart their centres), a place agreement (distance between
   coordinates; the same admin1 when one is coarse; the same country when one names only the
   country, then only for the same event type on overlapping dates) and a support factor from
   actors and figures. Both records naming both sides with no side in common vetoes the pair.
   Unless both places are exact towns (``geo_precision`` 1), a pair also needs some agreement
   beyond type, date and place: a shared actor or a close death toll. Two records of one article
   never match: an article's records are distinct events by construction.
3. **Grouping.** Within each connected component of the match graph, edges are taken from the best
   score down (ties broken by the record ids) and two groups are joined only when the joined group
   stays coherent: no two records of one article, the date intervals of all its records still meet
   (within the slack), its precise places fit within ``max_km``, one country, and no analyst
   ``split`` between them. A coarse record whose two best candidates are unrelated and score about
   the same is ambiguous and left alone. Analyst ``merge`` decisions are applied first and override
   the coherence checks (not a later ``split``). Because the edge order depends only on scores and
   ids, the same records give the same events whatever order or batches they arrive in.
4. **Event ids** are ``"ev-" + sha1(smallest record id of the event)[:16]``: stable while the event
   keeps its smallest record, and independent of arrival order. An event that gains a record with a
   smaller id gets a new id (the old one is reported as removed).

Incremental use: ``Consolidator.add(records)`` indexes the new records, scores them against their
neighbours only, and regroups only the match components they touch (events whose records did not
change are kept as they are); it returns the events that are new or changed (``last_removed``
lists the ids of events that no longer exist). The cost of one ``add`` grows with the size of the
components it touches: where reports that name only a country are dense (a war reported daily),
components can span months; ``MatchConfig(country_score=0)`` turns country-level matching off.

The defaults of ``MatchConfig`` were chosen on the UCDP GED Ukraine 2014-2021 headlines (see
``fieldreport.eval.grouping``); they are a handful of global knobs, not lookups of known answers.

Consolidated fields (see ``build_event``):

- ``fatalities``: ACLED's conservative figure: the lowest positive figure among the sources whose
  figure is not only a side's claim; when every figure is a side's claim, the lowest of those. A
  zero next to positive figures is read as "no deaths known yet" and ignored.
- ``fatalities_low`` / ``fatalities_high``: lowest low and highest high among the reports.
- ``fatalities_best``: the median of the reports' best figures (the lower median when their number
  is even, to stay conservative), kept between low and high.
- ``number_of_sources``: distinct outlets; an article without an outlet counts as its own source.
- Who stands behind each report (``fieldreport.sources.outlets`` knows the outlets): a report
  *traces back to a side* when its outlet is tied to a side of the event (a state's media when that
  state's forces or bodies are a side, an armed group's channel when the group is one), or when
  every figure it gives (without figures: every claim it reports) is a side's claim (a claimant
  that is a side, or a state outlet of a side's state). The sides of an event are the states and
  groups of its actors and of the claimants that are a side. Every other report is independent.
  Reports that trace back to one side are one voice; independent reports from outlets tied to
  each other (one state's media, one owner, one party) are one voice.
- ``independent_sources``: the number of independent voices.
- ``corroboration``: ``"independent sources"`` when at least one independent voice stands beside a
  second voice; ``"sides disagree"`` when only sides speak, two or more of them, and their figures
  differ; ``"claimed only by a side"`` when only sides speak and they agree (one side, as a rule);
  else ``"single source"``.
- ``fatalities_independent``: the lowest figure among independent reports (None without one);
  ``fatalities_claimed``: the highest figure a side claims (None without one). ``fatalities`` is
  the independent figure when there is one, and the range runs up to the sides' claims.
- ``source_scale``: ACLED's source scale of the event's outlets ("National-International").
"""

from __future__ import annotations

import hashlib
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from fieldreport.geo.countries import iso3_of
from fieldreport.geo.distance import haversine_km
from fieldreport.schema.records import ClaimOut, EventRecord, OutletRef
from fieldreport.schema.taxonomy import FAMILY
from fieldreport.sources.outlets import bare_actor, combine_scales, default_registry, side_keys, tie_keys

__all__ = [
    "CONTRACT_FIELDS",
    "Consolidator",
    "Decision",
    "Event",
    "EventChanges",
    "MatchConfig",
    "build_event",
    "consolidate",
    "pair_score",
]

Corroboration = Literal["single source", "claimed only by a side", "sides disagree", "independent sources"]

#: The fields of one line of ``fieldreport events`` (record-contract.md), in the contract's order.
CONTRACT_FIELDS: tuple[str, ...] = (
    "event_id",
    "record_ids",
    "article_ids",
    "number_of_sources",
    "sources",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "latitude",
    "longitude",
    "admin1",
    "country",
    "fatalities",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "claimants",
    "corroboration",
    "independent_sources",
    "fatalities_independent",
    "fatalities_claimed",
)


class Event(BaseModel):
    """An event told by one or more records (one per article that reports it)."""

    model_config = ConfigDict(extra="forbid")

    event_id: str
    record_ids: list[str]
    article_ids: list[str]
    number_of_sources: int
    sources: list[str] = Field(default_factory=list)
    event_date: str | None = None
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    actor2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    admin1: str | None = None
    country: str | None = None
    fatalities: int = 0
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    claimants: list[str] = Field(default_factory=list)
    corroboration: Corroboration = "single source"
    independent_sources: int = 0  # voices tied neither to each other nor to a side
    fatalities_independent: int | None = None  # the lowest figure of the independent reports
    fatalities_claimed: int | None = None  # the highest figure a side claims
    # beyond the contract's line
    source_scale: str = ""  # ACLED source scale of the event's outlets
    date_start: str | None = None  # earliest date among the best-precision reports
    date_end: str | None = None  # latest date among the best-precision reports
    time_precision: int | None = None
    assoc_actor_1: str | None = None
    inter1: int | None = None
    assoc_actor_2: str | None = None
    inter2: int | None = None
    iso3: str | None = None
    admin2: str | None = None
    geo_precision: int | None = None
    geonameid: int | None = None
    injured: int | None = None
    notes: str = ""
    confidence: float = 0.0

    def contract_dict(self) -> dict[str, Any]:
        """The event as one line of ``fieldreport events``: exactly the contract's fields, in order."""
        data = self.model_dump()
        return {name: data[name] for name in CONTRACT_FIELDS}


class Decision(BaseModel):
    """An analyst's decision about records, kept and respected on every re-run.

    - ``merge``: the listed records belong to one event, whatever the matcher thinks.
    - ``split``: no two of the listed records may be in the same event.

    Decisions are applied in the order given (the store keeps them in the order they were made); on
    a pair of records named by several decisions, the latest decision wins. Decisions may name
    records that have not arrived yet: they take effect when the records do.
    """

    model_config = ConfigDict(extra="forbid")

    action: Literal["merge", "split"]
    record_ids: list[str] = Field(min_length=2)
    analyst: str | None = None
    note: str = ""
    created: datetime | None = None

    @property
    def decision_id(self) -> str:
        """Stable id: the action and the sorted record ids."""
        raw = self.action + "|" + "|".join(sorted(set(self.record_ids)))
        return "d-" + hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class MatchConfig:
    """The knobs of matching. The defaults are the documented behaviour."""

    #: Max gap in days between two records' date intervals.
    date_slack_days: int = 2
    #: Half-width in days of the date interval of a record, by time_precision (1 day, 2 week, 3 month).
    precision_halfwidth_days: tuple[int, int, int] = (0, 3, 15)
    #: Date agreement by gap in days (index = gap); gaps beyond the list do not match.
    date_gap_scores: tuple[float, ...] = (1.0, 0.5, 0.25)
    #: When both dates are vague (week or month), date agreement falls as 1 / (1 + centre_decay *
    #: days) with the distance between the centres of their intervals beyond their gap (two
    #: week-precise reports five days apart agree less than two about the same days).
    centre_decay: float = 0.5
    #: Max distance between two precise places of one event, in km.
    max_km: float = 40.0
    #: Distance at or under which two places count as the same, in km.
    same_place_km: float = 3.0
    #: Place agreement when only the admin1 is shared (one record coarse).
    admin1_score: float = 0.6
    #: Place agreement when one record names only the country (0 disables such matches).
    country_score: float = 0.6
    #: Max gap in days between the date intervals of two records when only the country is shared.
    country_slack_days: int = 0
    #: When only the country is shared, the support factor (actors, figures) must reach this.
    country_min_support: float = 0.0
    #: Unless both places are exact (geo_precision 1), the support factor (actors, figures; 0.8
    #: when they say nothing either way) must reach this.
    weak_place_min_support: float = 0.85
    #: Two positive death tolls whose ratio is under this disagree (a penalty); 0 never penalises
    #: ("dozens" is coded 12 and may well be the same event as "200").
    figure_conflict_ratio: float = 0.05
    #: Minimum pair score for an edge.
    threshold: float = 0.45
    #: A coarse record whose two best candidates (not linked to each other) score within this
    #: margin is ambiguous and left alone (negative disables the rule).
    ambiguity_margin: float = 0.1
    #: Grid cell size in degrees for blocking precise places.
    cell_deg: float = 0.5
    #: Type agreement: same sub-event type / same event type (for types without a closer rule).
    same_sub_score: float = 1.0
    same_type_score: float = 0.85


#: Type families for blocking: records of different families are never compared.
_FAMILY_BY_TYPE = FAMILY
#: Sub-event types that live in another family than their event type's.
_FAMILY_BY_SUB = {
    "Non-violent transfer of territory": "armed",
    "Looting/property destruction": "armed",
}

#: Type agreement for pairs that reporters often tell differently (unordered pairs of event types
#: or sub-event types; a sub-event pair is looked up before the event-type pair).
_COMPATIBLE: dict[frozenset[str], float] = {
    frozenset({"Battles", "Non-violent transfer of territory"}): 0.7,
    frozenset({"Armed clash", "Shelling/artillery/missile attack"}): 0.6,
    frozenset({"Battles", "Explosions/Remote violence"}): 0.5,
    frozenset({"Explosions/Remote violence", "Violence against civilians"}): 0.5,
    frozenset({"Battles", "Violence against civilians"}): 0.4,
    frozenset({"Air/drone strike", "Shelling/artillery/missile attack"}): 0.9,
    frozenset({"Remote explosive/landmine/IED", "Suicide bomb"}): 0.8,
    frozenset({"Remote explosive/landmine/IED", "Grenade"}): 0.7,
    frozenset({"Government regains territory", "Non-state actor overtakes territory"}): 0.7,
    frozenset({"Protests", "Riots"}): 0.7,
    frozenset({"Peaceful protest", "Protest with intervention"}): 0.9,
    frozenset({"Protest with intervention", "Excessive force against protesters"}): 0.9,
    frozenset({"Looting/property destruction", "Explosions/Remote violence"}): 0.4,
    frozenset({"Looting/property destruction", "Battles"}): 0.4,
    frozenset({"Looting/property destruction", "Violence against civilians"}): 0.4,
}
#: Strategic developments only match on the same sub-event type (an arrest is not an agreement).
_STRICT_TYPES = {"Strategic developments"}

_YEARS = re.compile(r"\s*\(\d{4}-\d{0,4}\)\s*$")


def _family(rec: EventRecord) -> str:
    return _FAMILY_BY_SUB.get(rec.sub_event_type) or _FAMILY_BY_TYPE.get(rec.event_type, "other")


def _norm_actor(name: str | None) -> str | None:
    if not name:
        return None
    return _YEARS.sub("", name).strip().casefold() or None


@lru_cache(maxsize=4096)
def _country_key(iso3: str | None, name: str | None) -> str | None:
    """One key per country whether a record gives its ISO3 code, its name, or both."""
    if iso3 and iso3.strip():
        return iso3.strip().upper()
    if not name or not name.strip():
        return None
    return iso3_of(name) or name.strip().casefold()


_ACTOR_COUNTRY = (re.compile(r"\(([A-Z][A-Za-z .,'-]+)\)$"), re.compile(r"\bof (?:the )?([A-Z][A-Za-z .'-]+)$"))


@lru_cache(maxsize=4096)
def _actor_country(name: str | None) -> str | None:
    """The country an ACLED-style actor name carries: "Civilians (Ukraine)", "Military Forces of Ukraine"."""
    if not name:
        return None
    bare = _YEARS.sub("", name).strip()
    for pattern in _ACTOR_COUNTRY:
        m = pattern.search(bare)
        if m:
            return iso3_of(m.group(1))
    return None


def _record_country(rec: EventRecord) -> str | None:
    """The record's country; when it names none, the one country its actors agree on (if any)."""
    own = _country_key(rec.iso3, rec.country)
    if own:
        return own
    found = {c for c in (_actor_country(rec.actor1), _actor_country(rec.actor2)) if c}
    return found.pop() if len(found) == 1 else None


def _parse_day(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


@dataclass(slots=True)
class _Rec:
    """What matching needs of a record, precomputed once."""

    rid: str
    article: str
    record: EventRecord
    family: str
    lo: int | None  # date interval, day ordinals
    hi: int | None
    lat: float | None
    lon: float | None
    precise: bool  # a town or near one, with coordinates
    admin1: str | None
    country: str | None
    actors: frozenset[str]
    both_sides: bool
    exact_place: bool  # the place itself (geo_precision 1) with coordinates
    country_only: bool  # neither a town (precise) nor an admin1: only the country is known
    fatalities: int

    @classmethod
    def of(cls, rec: EventRecord, cfg: MatchConfig) -> "_Rec":
        day = _parse_day(rec.event_date)
        lo = hi = None
        if day is not None:
            prec = rec.time_precision if rec.time_precision in (1, 2, 3) else 1
            half = cfg.precision_halfwidth_days[prec - 1]
            lo, hi = day - half, day + half
        has_xy = rec.latitude is not None and rec.longitude is not None
        precise = has_xy and (rec.geo_precision or 1) <= 2
        a1, a2 = _norm_actor(rec.actor1), _norm_actor(rec.actor2)
        country = _record_country(rec)
        return cls(
            rid=rec.record_id,
            article=rec.article_id,
            record=rec,
            family=_family(rec),
            lo=lo,
            hi=hi,
            lat=rec.latitude if has_xy else None,
            lon=rec.longitude if has_xy else None,
            precise=bool(precise),
            admin1=(rec.admin1 or "").casefold() or None,
            country=country,
            actors=frozenset(a for a in (a1, a2) if a),
            both_sides=bool(a1 and a2),
            exact_place=bool(precise) and (rec.geo_precision or 1) == 1,
            country_only=not precise and not rec.admin1,
            fatalities=rec.fatalities or 0,
        )


def _type_score(a: EventRecord, b: EventRecord, cfg: MatchConfig) -> float:
    if a.sub_event_type == b.sub_event_type:
        return cfg.same_sub_score
    pair = _COMPATIBLE.get(frozenset({a.sub_event_type, b.sub_event_type}))
    if pair is not None:
        return pair
    if a.event_type == b.event_type:
        return 0.0 if a.event_type in _STRICT_TYPES else cfg.same_type_score
    mixed = (
        _COMPATIBLE.get(frozenset({a.sub_event_type, b.event_type}))
        or _COMPATIBLE.get(frozenset({a.event_type, b.sub_event_type}))
        or _COMPATIBLE.get(frozenset({a.event_type, b.event_type}))
    )
    return mixed or 0.0


def _date_gap(a: _Rec, b: _Rec) -> int | None:
    if a.lo is None or b.lo is None or a.hi is None or b.hi is None:
        return None
    return max(0, max(a.lo, b.lo) - min(a.hi, b.hi))


def _place_score(a: _Rec, b: _Rec, cfg: MatchConfig) -> float:
    if a.country and b.country and a.country != b.country:
        return 0.0
    if a.precise and b.precise:
        ga, gb = a.record.geonameid, b.record.geonameid
        if ga is not None and ga == gb:
            return 1.0
        km = haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
        if km > cfg.max_km:
            return 0.0
        if km <= cfg.same_place_km:
            return 1.0
        return 1.0 - 0.5 * (km - cfg.same_place_km) / (cfg.max_km - cfg.same_place_km)
    if a.admin1 and b.admin1:
        if a.admin1 != b.admin1:
            return 0.0
        return cfg.admin1_score if (a.precise or b.precise) else min(1.0, cfg.admin1_score + 0.1)
    if (a.country_only or b.country_only) and a.country and b.country:
        return cfg.country_score
    return 0.0


def _support(a: _Rec, b: _Rec, cfg: MatchConfig) -> float | None:
    """Actors and figures: a factor around 0.8; None vetoes the pair (incompatible sides)."""
    factor = 0.8
    if a.actors and b.actors:
        if a.actors & b.actors:
            factor += 0.1 if a.actors == b.actors else 0.05
        elif a.both_sides and b.both_sides:
            return None
        else:  # e.g. one names civilians as the target, the other soldiers
            factor -= 0.15
    if a.fatalities > 0 and b.fatalities > 0:
        lo, hi = sorted((a.fatalities, b.fatalities))
        if lo == hi:
            factor += 0.1
        elif lo / hi >= 0.5:
            factor += 0.05
        elif lo / hi < cfg.figure_conflict_ratio:
            factor -= 0.1
    return factor


def _pair_score(a: _Rec, b: _Rec, cfg: MatchConfig) -> float:
    if a.article == b.article or a.family != b.family:
        return 0.0
    gap = _date_gap(a, b)
    if gap is None or gap > cfg.date_slack_days or gap >= len(cfg.date_gap_scores):
        return 0.0
    t = _type_score(a.record, b.record, cfg)
    if t <= 0.0:
        return 0.0
    p = _place_score(a, b, cfg)
    if p <= 0.0:
        return 0.0
    s = _support(a, b, cfg)
    if s is None:
        return 0.0
    if s < cfg.weak_place_min_support and not (a.exact_place and b.exact_place):
        return 0.0  # places only roughly known: ask for agreeing actors or figures
    if a.country_only or b.country_only:
        # only the country is shared: same event type, closer dates, and enough support
        if a.record.event_type != b.record.event_type or gap > cfg.country_slack_days:
            return 0.0
        if s < cfg.country_min_support:
            return 0.0
    # two vague dates (both intervals wide) agree less the further apart their centres are; a
    # day-precise date inside a vague one's interval agrees fully
    spread = 0.0
    if a.lo != a.hi and b.lo != b.hi:
        spread = abs((a.lo + a.hi) - (b.lo + b.hi)) / 2 - gap  # type: ignore[operator]
    d = cfg.date_gap_scores[gap] / (1.0 + cfg.centre_decay * max(0.0, spread))
    return round(t * d * p * s, 9)


def pair_score(a: EventRecord, b: EventRecord, config: MatchConfig | None = None) -> float:
    """How strongly two records look like the same event, 0..1 (0: never the same)."""
    cfg = config or MatchConfig()
    ra, rb = _Rec.of(a, cfg), _Rec.of(b, cfg)
    if ra.rid > rb.rid:
        ra, rb = rb, ra
    return _pair_score(ra, rb, cfg)


# ----------------------------------------------------------------------------------------------
# Building an event from its records


def _lower_median(values: Sequence[int]) -> int:
    return int(statistics.median_low(values))


_NOT_SIDES = ("civilians", "protesters", "rioters", "unidentified")
_STATE_ACTOR = re.compile(r"^(military|police) forces of |^government of ", re.IGNORECASE)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """English country names and aliases (ACLED's spellings: "Russia", "Syria") to ISO3."""
    from fieldreport.data import load_yaml

    out: dict[str, str] = {}
    for iso3, spec in (load_yaml("shared/demonyms.yaml") or {}).items():
        if isinstance(spec, dict):
            for n in [spec.get("name"), *(spec.get("aliases") or [])]:
                if isinstance(n, str):
                    out[n.casefold()] = str(iso3)
    return out


def _state_of(name: str) -> str | None:
    """The state of a state-forces actor name: "Military Forces of Russia (2000-)" -> RUS."""
    m = re.search(r"\bof (?:the )?(.+?)(?: \(|$)", name)
    if m:
        found = _country_names().get(m.group(1).strip().casefold())
        if found:
            return found
    return _actor_country(name)


@lru_cache(maxsize=1)
def _faction_suffixes() -> frozenset[str]:
    """Suffixes of state forces that are de-facto authorities of their own (a unit with its own years in
    actors/state.yaml, "Houthi"), not the state's forces."""
    from fieldreport.data import load_yaml

    units = (load_yaml("actors/state.yaml") or {}).get("units") or []
    return frozenset(str(u["suffix"]).casefold() for u in units if isinstance(u, dict) and u.get("years"))


def _actor_sides(name: str | None) -> frozenset[str]:
    """The side keys of an event's actor: its state for state forces (and the unit, when one is named),
    the faction alone for a faction's forces ("... Haftar Faction", "... Houthi"), the group for any
    other armed actor."""
    if not name or name.strip().lower().startswith(_NOT_SIDES):
        return frozenset()
    if not _STATE_ACTOR.search(name):
        return frozenset({"party:" + bare_actor(name)})
    suffix = name.rsplit(")", 1)[1].strip().casefold() if ")" in name else ""
    if suffix and (suffix in _faction_suffixes() or suffix.endswith("faction")):
        return frozenset({"party:" + bare_actor(name)})
    iso3 = _state_of(name)
    keys = {"state:" + iso3} if iso3 else set()
    if suffix:
        keys.add("party:" + bare_actor(name))
    return frozenset(keys)


def _claim_sides(c: ClaimOut) -> frozenset[str]:
    keys = side_keys(c.claimant_kind, c.claimant_country, c.claimant_actor)
    if c.claimant_party and not keys:  # a side known by its name only
        keys = frozenset({"claimant:" + c.claimant.strip().casefold()})
    return keys


def _outlet(rec: EventRecord) -> OutletRef | None:
    """What the registry knows of a record's outlet: kept on the record, else looked up by its name."""
    if rec.outlet is not None:
        return rec.outlet
    if not rec.source:
        return None
    o = default_registry().get(rec.source)
    return o.ref() if o is not None else None


@dataclass
class _Voices:
    """Who stands behind the reports of one event (see the module doc)."""

    side_of: dict[str, frozenset[str]]  # record id -> the sides it traces back to (empty: independent)
    independent: int  # independent voices
    sides: frozenset[str]  # the sides that speak

    @property
    def total(self) -> int:
        return self.independent + len(self.sides)


class _Links:
    """Union-find over keys: keys linked here are one voice (or one side)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def link(self, keys: Iterable[str]) -> None:
        keys = sorted(keys)
        for k in keys[1:]:
            a, b = self.find(keys[0]), self.find(k)
            if a != b:
                self.parent[max(a, b)] = min(a, b)


def _voices(records: Sequence[EventRecord]) -> _Voices:
    sides: set[str] = set()
    same_side = _Links()  # keys of one side: a state and its named unit, a group and its channel
    for r in records:
        for name in (r.actor1, r.actor2, r.assoc_actor_1, r.assoc_actor_2):
            keys = _actor_sides(name)
            sides |= keys
            same_side.link(keys)
        for c in r.claims:
            if c.claimant_party:
                keys = _claim_sides(c)
                sides |= keys
                same_side.link(keys)

    def side_claim(c: ClaimOut) -> bool:
        return c.claimant_party or bool(_claim_sides(c) & sides)

    side_of: dict[str, frozenset[str]] = {}
    one_voice = _Links()  # independent outlets tied to each other
    independent: list[str] = []
    for r in records:
        outlet = _outlet(r)
        ties = tie_keys(outlet, r.source.strip() if r.source and r.source.strip() else None)
        keys = set(ties & sides)
        covering = [c for c in r.claims if "fatalities" in c.fields] if (r.fatalities or 0) > 0 else list(r.claims)
        if covering and all(side_claim(c) for c in covering):
            for c in covering:
                own = _claim_sides(c) & sides or _claim_sides(c)
                keys |= own or {"claimant:" + c.claimant.strip().casefold()}
        side_of[r.record_id] = frozenset(same_side.find(k) for k in keys)
        if not keys:
            mine = ties or frozenset({"article:" + r.article_id})
            one_voice.link(mine)
            independent.append(one_voice.find(next(iter(sorted(mine)))))
    groups = {one_voice.find(k) for k in independent}
    spoken = frozenset().union(*side_of.values()) if side_of else frozenset()
    return _Voices(side_of=side_of, independent=len(groups), sides=spoken)


def _corroboration(records: Sequence[EventRecord], n_sources: int, voices: _Voices | None = None) -> Corroboration:
    v = voices or _voices(records)
    if v.independent >= 1 and v.total >= 2:
        return "independent sources"
    if v.independent == 0 and v.sides:
        if len(v.sides) >= 2 and _sides_differ(records, v):
            return "sides disagree"
        return "claimed only by a side"
    return "single source"


def _sides_differ(records: Sequence[EventRecord], v: _Voices) -> bool:
    """Whether the sides' figures differ: a report of two sides' claims whose range is open, or two
    sides whose own reports give different tolls."""
    figures: dict[str, set[int]] = defaultdict(set)
    for r in records:
        mine = v.side_of[r.record_id]
        if len(mine) >= 2 and (r.fatalities_high or r.fatalities or 0) != (r.fatalities_low or r.fatalities or 0):
            return True
        if len(mine) == 1:
            figures[next(iter(mine))].add(r.fatalities or 0)
    told = {max(f) for f in figures.values()}
    return len(figures) >= 2 and len(told) >= 2


def _vote(values: Iterable[tuple[Any, float]]) -> Any:
    """The value with the highest total weight; ties go to the smallest value (as a string)."""
    totals: dict[Any, float] = defaultdict(float)
    for value, weight in values:
        if value is not None and value != "":
            totals[value] += weight
    if not totals:
        return None
    return min(totals, key=lambda v: (-round(totals[v], 9), str(v)))


def _source_key(rec: EventRecord) -> str:
    if rec.source and rec.source.strip():
        return "outlet:" + rec.source.strip().casefold()
    return "article:" + rec.article_id


def event_id_for(record_ids: Iterable[str]) -> str:
    """The event id of a group of records: derived from its smallest record id."""
    smallest = min(record_ids)
    return "ev-" + hashlib.sha1(smallest.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def build_event(records: Sequence[EventRecord]) -> Event:
    """Merge the records of one event into an ``Event`` (see the module doc for the rules)."""
    if not records:
        raise ValueError("an event needs at least one record")
    recs = sorted(records, key=lambda r: r.record_id)
    weight = {r.record_id: 1.0 + max(0.0, min(1.0, r.confidence)) for r in recs}

    # the type: a vote on sub-event types, weighted by confidence
    sub = _vote((r.sub_event_type, weight[r.record_id]) for r in recs)
    etype = next(r.event_type for r in recs if r.sub_event_type == sub)

    # date: best precision first; the most told day among those reports
    dated = [r for r in recs if _parse_day(r.event_date) is not None]
    event_date = date_start = date_end = None
    precision = None
    if dated:
        precision = min((r.time_precision or 1) for r in dated)
        best = [r for r in dated if (r.time_precision or 1) == precision]
        days = [r.event_date[:10] for r in best]  # type: ignore[index]
        counts = Counter(days)
        event_date = min(counts, key=lambda d: (-counts[d], d))
        date_start, date_end = min(days), max(days)

    # place: the most precise report's place (then most confident, then smallest id)
    def place_key(r: EventRecord) -> tuple:
        has_xy = r.latitude is not None and r.longitude is not None
        return (0 if has_xy else 1, r.geo_precision or 9, 0 if r.location else 1, -r.confidence, r.record_id)

    where = min(recs, key=place_key)

    # actors: vote, weighted by confidence
    actor1 = _vote((r.actor1, weight[r.record_id]) for r in recs)
    actor2 = _vote((r.actor2, weight[r.record_id]) for r in recs if r.actor2 != actor1)
    inter1 = next((r.inter1 for r in recs if r.actor1 == actor1 and r.inter1 is not None), None)
    inter2 = next((r.inter2 for r in recs if r.actor2 == actor2 and r.inter2 is not None), None)
    if actor2 is not None and inter2 is None:
        inter2 = next((r.inter1 for r in recs if r.actor1 == actor2 and r.inter1 is not None), None)
    assoc1 = _vote((r.assoc_actor_1, 1.0) for r in recs if r.actor1 == actor1)
    assoc2 = _vote((r.assoc_actor_2, 1.0) for r in recs if r.actor2 == actor2)

    # figures
    voices = _voices(recs)
    figured = [r for r in recs if (r.fatalities or 0) > 0]
    fatalities = 0
    low = best_f = high = None
    fatalities_independent = fatalities_claimed = None
    if figured:
        independent = [r for r in figured if not voices.side_of[r.record_id]]
        claimed = [r for r in figured if voices.side_of[r.record_id]]
        if independent:
            fatalities_independent = min(r.fatalities for r in independent)
        if claimed:
            fatalities_claimed = max(max(r.fatalities, r.fatalities_high or 0, r.fatalities_best or 0) for r in claimed)
        fatalities = min(r.fatalities for r in (independent or figured))
        lows = [r.fatalities_low if r.fatalities_low is not None else r.fatalities for r in figured]
        bests = [r.fatalities_best if r.fatalities_best is not None else r.fatalities for r in figured]
        highs = [r.fatalities_high if r.fatalities_high is not None else b for r, b in zip(figured, bests)]
        low, high = min(lows), max(highs)
        best_f = max(low, min(high, _lower_median(bests)))
    else:
        told = [r for r in recs if r.fatalities_best is not None]
        if told:  # every report says nobody was killed
            low = best_f = high = 0
    injured_values = [r.injured for r in recs if r.injured]
    injured = min(injured_values) if injured_values else None

    source_names: dict[str, str] = {}
    for r in recs:
        if r.source and r.source.strip():
            source_names.setdefault(r.source.strip().casefold(), r.source.strip())
    sources = sorted(set(source_names.values()))
    n_sources = len({_source_key(r) for r in recs})
    claimants = sorted({c.claimant for r in recs for c in r.claims if c.claimant})
    notes_rec = min(recs, key=lambda r: (-r.confidence, not r.notes, r.record_id))
    rids = [r.record_id for r in recs]

    return Event(
        event_id=event_id_for(rids),
        record_ids=rids,
        article_ids=sorted({r.article_id for r in recs}),
        number_of_sources=n_sources,
        sources=sources,
        event_date=event_date,
        event_type=etype,
        sub_event_type=sub,
        actor1=actor1,
        actor2=actor2,
        location=where.location,
        latitude=where.latitude,
        longitude=where.longitude,
        admin1=where.admin1 or _vote((r.admin1, 1.0) for r in recs),
        country=where.country or _vote((r.country, 1.0) for r in recs),
        fatalities=fatalities,
        fatalities_low=low,
        fatalities_best=best_f,
        fatalities_high=high,
        claimants=claimants,
        corroboration=_corroboration(recs, n_sources, voices),
        independent_sources=voices.independent,
        fatalities_independent=fatalities_independent,
        fatalities_claimed=fatalities_claimed,
        source_scale=combine_scales((o.scale if o else None) for o in map(_outlet, recs)),
        date_start=date_start,
        date_end=date_end,
        time_precision=precision,
        assoc_actor_1=assoc1,
        inter1=inter1,
        assoc_actor_2=assoc2,
        inter2=inter2,
        iso3=where.iso3 or _vote((r.iso3, 1.0) for r in recs),
        admin2=where.admin2,
        geo_precision=where.geo_precision,
        geonameid=where.geonameid,
        injured=injured,
        notes=notes_rec.notes,
        confidence=round(max(r.confidence for r in recs), 4),
    )


# ----------------------------------------------------------------------------------------------
# The incremental consolidator


@dataclass
class EventChanges:
    """What one ``add``/``apply`` did: events new or changed, and ids of events that are gone."""

    changed: list[Event] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


@dataclass(slots=True)
class _Group:
    members: list[str]
    articles: set[str]
    lo: int | None  # latest interval start among members
    hi: int | None  # earliest interval end among members
    box: tuple[float, float, float, float] | None  # min lat, max lat, min lon, max lon
    countries: set[str]


class Consolidator:
    """Holds records, their match graph and the events; ingests new records incrementally.

    >>> cons = Consolidator()
    >>> changed = cons.add(records)          # events new or changed by these records
    >>> cons.last_removed                    # ids of events that ceased to exist
    >>> cons.apply(Decision(action="split", record_ids=[a, b]))
    >>> cons.events()                        # all events, sorted by date then id
    """

    def __init__(self, config: MatchConfig | None = None, decisions: Iterable[Decision] = ()) -> None:
        self.config = config or MatchConfig()
        self._recs: dict[str, _Rec] = {}
        self._index: dict[tuple, list[str]] = defaultdict(list)
        self._edges: dict[str, dict[str, float]] = defaultdict(dict)
        self._parent: dict[str, str] = {}  # union-find over match components
        self._members: dict[str, list[str]] = {}  # component root -> record ids
        self._event_of: dict[str, str] = {}  # record id -> event id
        self._events: dict[str, Event] = {}
        self._decisions: list[Decision] = []
        self._must: dict[str, set[str]] = defaultdict(set)
        self._cannot: dict[str, set[str]] = defaultdict(set)
        self.last_removed: list[str] = []
        #: Ids of stored events that differ from the recomputed ones (set by ``from_store``).
        self.drift: list[str] = []
        #: Pairs scored so far (a measure of blocking work).
        self.comparisons = 0
        for d in decisions:
            self._record_decision(d)

    # -- public API --------------------------------------------------------------------------

    @classmethod
    def from_store(
        cls,
        records: Iterable[EventRecord],
        decisions: Iterable[Decision] = (),
        events: Iterable[Event | dict] = (),
        config: MatchConfig | None = None,
    ) -> "Consolidator":
        """Rebuild the state from stored records and decisions.

        Grouping is a pure function of records, decisions and config, so the state is recomputed;
        stored ``events`` are compared with it and the ids of stored events that differ (or are
        gone) are listed in ``drift`` so the store can replace them.
        """
        cons = cls(config=config, decisions=decisions)
        cons.add(records)
        cons.last_removed = []
        for ev in events:
            event_id, record_ids = (
                (ev.event_id, ev.record_ids) if isinstance(ev, Event) else (ev["event_id"], ev["record_ids"])
            )
            now = cons._events.get(event_id)
            if now is None or now.record_ids != sorted(record_ids):
                cons.drift.append(event_id)
        return cons

    def add(self, records: Iterable[EventRecord]) -> list[Event]:
        """Ingest records; return the events that are new or changed (``last_removed``: gone ones)."""
        return self.add_with_changes(records).changed

    def add_with_changes(self, records: Iterable[EventRecord]) -> EventChanges:
        """Ingest records; only the blocks around them and the components they touch are redone."""
        touched: set[str] = set()
        rebuild: set[str] = set()
        dirty: set[str] = set()
        for rec in records:
            old = self._recs.get(rec.record_id)
            if old is not None:
                if old.record == rec:
                    continue
                rebuild.add(self._find(rec.record_id))
                dirty.add(rec.record_id)
                self._unindex(old)
            r = _Rec.of(rec, self.config)
            self._recs[r.rid] = r
            if old is None:
                self._parent[r.rid] = r.rid
                self._members[r.rid] = [r.rid]
            self._link(r)
            touched.add(r.rid)
        if rebuild:
            touched |= self._rebuild_components(rebuild)
        return self._regroup({self._find(t) for t in touched}, dirty)

    def apply(self, decision: Decision) -> list[Event]:
        """Record an analyst's decision and regroup the records it names."""
        return self.apply_with_changes(decision).changed

    def apply_with_changes(self, decision: Decision) -> EventChanges:
        self._record_decision(decision)
        present = sorted({r for r in decision.record_ids if r in self._recs})
        if decision.action == "merge":
            for a, b in zip(present, present[1:]):
                self._union(a, b)
        return self._regroup({self._find(r) for r in present})

    @property
    def decisions(self) -> list[Decision]:
        return list(self._decisions)

    def events(self) -> list[Event]:
        """All events, sorted by date then id."""
        return sorted(self._events.values(), key=lambda e: (e.event_date or "9999", e.event_id))

    def event_of(self, record_id: str) -> Event | None:
        eid = self._event_of.get(record_id)
        return self._events.get(eid) if eid else None

    def groups(self) -> list[list[str]]:
        """The grouping as sorted lists of record ids (sorted by their first id)."""
        return sorted(ev.record_ids for ev in self._events.values())

    def __len__(self) -> int:
        return len(self._events)

    # -- decisions ---------------------------------------------------------------------------

    def _record_decision(self, d: Decision) -> None:
        self._decisions.append(d)
        ids = sorted(set(d.record_ids))
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if d.action == "merge":
                    self._must[a].add(b)
                    self._must[b].add(a)
                    self._cannot[a].discard(b)
                    self._cannot[b].discard(a)
                else:
                    self._cannot[a].add(b)
                    self._cannot[b].add(a)
                    self._must[a].discard(b)
                    self._must[b].discard(a)

    # -- union-find over match components -----------------------------------------------------

    def _find(self, x: str) -> str:
        parent = self._parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra].extend(self._members.pop(rb))

    # -- blocking ----------------------------------------------------------------------------

    def _cells(self, lat: float, lon: float) -> tuple[int, int]:
        c = self.config.cell_deg
        return math.floor(lat / c), math.floor(lon / c)

    def _keys(self, r: _Rec) -> list[tuple]:
        """The buckets a record is stored in."""
        if r.lo is None or r.hi is None:
            return []
        keys: list[tuple] = []
        for day in range(r.lo, r.hi + 1):
            if r.precise:
                keys.append(("g", r.family, day, *self._cells(r.lat, r.lon)))  # type: ignore[arg-type]
            if r.admin1:
                keys.append(("a", r.family, day, r.country, r.admin1))
                if not r.precise:
                    keys.append(("ac", r.family, day, r.country, r.admin1))
            if r.country:  # country-level matching: same event type only
                keys.append(("n", r.record.event_type, day, r.country))
                if r.country_only:
                    keys.append(("nc", r.record.event_type, day, r.country))
        return keys

    def _probe_keys(self, r: _Rec) -> list[tuple]:
        """The buckets a record is compared with (symmetric with ``_keys``)."""
        if r.lo is None or r.hi is None:
            return []
        cfg = self.config
        slack = cfg.date_slack_days
        keys: list[tuple] = []
        use_country = cfg.country_score > 0
        if r.precise:
            ci, cj = self._cells(r.lat, r.lon)  # type: ignore[arg-type]
            lat_km = 111.0 * cfg.cell_deg
            worst_lat = min(89.0, abs(r.lat) + cfg.cell_deg + 1.0)  # type: ignore[arg-type]
            coslat = max(0.05, math.cos(math.radians(worst_lat)))
            di = math.ceil(cfg.max_km / lat_km)
            dj = math.ceil(cfg.max_km / (lat_km * coslat))
        for day in range(r.lo - slack, r.hi + slack + 1):
            if r.precise:
                for i in range(ci - di, ci + di + 1):
                    for j in range(cj - dj, cj + dj + 1):
                        keys.append(("g", r.family, day, i, j))
                if r.admin1:
                    keys.append(("ac", r.family, day, r.country, r.admin1))
            elif r.admin1:
                keys.append(("a", r.family, day, r.country, r.admin1))
        if use_country and r.country:
            cslack = min(slack, cfg.country_slack_days)
            kind = "n" if r.country_only else "nc"
            for day in range(r.lo - cslack, r.hi + cslack + 1):
                keys.append((kind, r.record.event_type, day, r.country))
        return keys

    def _link(self, r: _Rec) -> None:
        """Index a record, score it against its neighbours, union its match component."""
        seen: set[str] = set()
        cfg = self.config
        for key in self._probe_keys(r):
            bucket = self._index.get(key)
            if not bucket:
                continue
            for other_id in bucket:
                if other_id in seen or other_id == r.rid:
                    continue
                seen.add(other_id)
                other = self._recs[other_id]
                self.comparisons += 1
                a, b = (r, other) if r.rid < other_id else (other, r)
                s = _pair_score(a, b, cfg)
                if s >= cfg.threshold:
                    self._edges[r.rid][other_id] = s
                    self._edges[other_id][r.rid] = s
                    self._union(r.rid, other_id)
        for key in self._keys(r):
            self._index[key].append(r.rid)
        for partner in self._must.get(r.rid, ()):
            if partner in self._recs:
                self._union(r.rid, partner)

    def _unindex(self, r: _Rec) -> None:
        for key in self._keys(r):
            bucket = self._index.get(key)
            if bucket and r.rid in bucket:
                bucket.remove(r.rid)
        for other in self._edges.pop(r.rid, {}):
            self._edges[other].pop(r.rid, None)

    def _rebuild_components(self, roots: set[str]) -> set[str]:
        """Recompute match components after records were replaced (edges may have gone)."""
        members = sorted({m for root in roots for m in self._members.get(self._find(root), [])})
        for m in members:  # every old root is among the members
            self._parent[m] = m
            self._members[m] = [m]
        member_set = set(members)
        for m in members:
            for other in self._edges.get(m, {}):
                self._union(m, other)
            for partner in self._must.get(m, ()):
                if partner in self._recs:
                    self._union(m, partner)
        return member_set

    # -- grouping ----------------------------------------------------------------------------

    def _regroup(self, roots: set[str], dirty: set[str] = frozenset()) -> EventChanges:  # type: ignore[assignment]
        """Regroup the match components of ``roots``; events whose records are unchanged are kept.

        ``dirty``: record ids whose content changed in this call (their events are rebuilt).
        """
        changes = EventChanges()
        roots = {self._find(r) for r in roots}
        old_ids: set[str] = set()
        new_events: list[Event] = []
        kept: set[str] = set()
        for root in sorted(roots):
            members = sorted(self._members[root])
            old_ids.update(self._event_of[m] for m in members if m in self._event_of)
            for group in self._cluster(members):
                old = self._events.get(event_id_for(group))
                if old is not None and old.record_ids == group and not dirty.intersection(group):
                    kept.add(old.event_id)
                    continue
                new_events.append(build_event([self._recs[m].record for m in group]))
        new_ids = {e.event_id for e in new_events} | kept
        for eid in sorted(old_ids - new_ids):
            if self._events.pop(eid, None) is not None:
                changes.removed.append(eid)
        for ev in sorted(new_events, key=lambda e: e.event_id):
            if self._events.get(ev.event_id) != ev:
                changes.changed.append(ev)
            self._events[ev.event_id] = ev
            for rid in ev.record_ids:
                self._event_of[rid] = ev.event_id
        self.last_removed = changes.removed
        return changes

    def _group_of(self, rid: str) -> _Group:
        r = self._recs[rid]
        box = (r.lat, r.lat, r.lon, r.lon) if r.precise else None
        countries = {r.country} if r.country else set()
        return _Group([rid], {r.article}, r.lo, r.hi, box, countries)  # type: ignore[arg-type]

    def _cannot_between(self, a: _Group, b: _Group) -> bool:
        small, large = (a, b) if len(a.members) <= len(b.members) else (b, a)
        large_set = set(large.members)
        return any(self._cannot.get(m, set()) & large_set for m in small.members)

    def _coherent(self, a: _Group, b: _Group) -> bool:
        cfg = self.config
        if a.articles & b.articles:
            return False
        if len(a.countries | b.countries) > 1:
            return False
        if a.lo is not None and b.lo is not None and a.hi is not None and b.hi is not None:
            if max(a.lo, b.lo) - min(a.hi, b.hi) > cfg.date_slack_days:
                return False
        if a.box and b.box:
            lat0, lat1 = min(a.box[0], b.box[0]), max(a.box[1], b.box[1])
            lon0, lon1 = min(a.box[2], b.box[2]), max(a.box[3], b.box[3])
            if haversine_km(lat0, lon0, lat1, lon1) > cfg.max_km:
                return False
        return True

    @staticmethod
    def _join(a: _Group, b: _Group) -> _Group:
        def both(x: int | None, y: int | None, f: Any) -> int | None:
            if x is None:
                return y
            if y is None:
                return x
            return f(x, y)

        box = a.box or b.box
        if a.box and b.box:
            box = (min(a.box[0], b.box[0]), max(a.box[1], b.box[1]), min(a.box[2], b.box[2]), max(a.box[3], b.box[3]))
        return _Group(
            a.members + b.members,
            a.articles | b.articles,
            both(a.lo, b.lo, max),
            both(a.hi, b.hi, min),
            box,
            a.countries | b.countries,
        )

    def _ambiguous(self, members: list[str], member_set: set[str]) -> set[str]:
        """Coarse records that fit two unrelated candidates about equally well: left alone.

        A report that names only a province matches every event of that province and day; when
        two of its candidates are not themselves linked and score within ``ambiguity_margin`` of
        each other, there is no telling which event it tells, so its automatic edges are dropped.
        """
        margin = self.config.ambiguity_margin
        if margin < 0:
            return set()
        out: set[str] = set()
        for m in members:
            if self._recs[m].precise:
                continue
            partners = sorted(
                ((s, o) for o, s in self._edges.get(m, {}).items() if o in member_set), key=lambda t: (-t[0], t[1])
            )
            if len(partners) < 2:
                continue
            best_score, best = partners[0]
            best_edges = self._edges.get(best, {})
            for s, o in partners[1:]:
                if s < best_score - margin:
                    break
                if o not in best_edges:
                    out.add(m)
                    break
        return out

    def _cluster(self, members: list[str]) -> list[list[str]]:
        """Greedy, constraint-respecting grouping of one match component (deterministic)."""
        if len(members) == 1:
            return [members]
        member_set = set(members)
        owner = {m: m for m in members}
        groups = {m: self._group_of(m) for m in members}

        def merge(a: str, b: str, forced: bool) -> None:
            ga_id, gb_id = owner[a], owner[b]
            if ga_id == gb_id:
                return
            ga, gb = groups[ga_id], groups[gb_id]
            if self._cannot_between(ga, gb):
                return
            if not forced and not self._coherent(ga, gb):
                return
            keep, drop = (ga_id, gb_id) if ga_id < gb_id else (gb_id, ga_id)
            joined = self._join(groups[keep], groups[drop])
            for m in groups[drop].members:
                owner[m] = keep
            del groups[drop]
            groups[keep] = joined

        must_pairs = sorted({_pair(m, p) for m in members for p in self._must.get(m, ()) if p in member_set})
        for a, b in must_pairs:
            merge(a, b, forced=True)
        ambiguous = self._ambiguous(members, member_set)
        edges = sorted(
            {
                (-s, *_pair(m, o))
                for m in members
                if m not in ambiguous
                for o, s in self._edges.get(m, {}).items()
                if o in member_set and o not in ambiguous
            }
        )
        for _neg, a, b in edges:
            merge(a, b, forced=False)
        return sorted(sorted(g.members) for g in groups.values())


def consolidate(
    records: Iterable[EventRecord], decisions: Iterable[Decision] = (), config: MatchConfig | None = None
) -> list[Event]:
    """Group records into events in one go (a fresh ``Consolidator``); events sorted by date, id."""
    cons = Consolidator(config=config, decisions=decisions)
    cons.add(records)
    return cons.events()
