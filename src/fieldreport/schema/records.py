"""The nouns of fieldreport: articles in, findings from each extractor, event records out.

Every finding that was read from the text carries character offsets (``start``/``end``) into the
article's ``text``, the way spaCy's ``Span.start_char``/``end_char`` do, so that any field of a record
can be traced back to the words it came from.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from fieldreport.schema.columns import StoredAsDate, Wide
from fieldreport.schema.taxonomy import DISORDER_TYPE, EVENT_TYPES, SUB_TO_EVENT_TYPE  # noqa: F401 (re-exported)


PlaceFeature = Literal["country", "admin1", "admin2", "city", "other"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A stretch of the article text: ``text[start:end]``."""

    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


class Article(_Model):
    id: str
    text: str
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None

    @staticmethod
    def stable_id(text: str) -> str:
        """Id derived from the content: same text, same id, so re-ingesting never duplicates."""
        return "sha1-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# ----------------------------------------------------------------------------------------------
# Findings: what each extractor returns. Each keeps its evidence offsets.


class Place(_Model):
    """A gazetteer entry."""

    geonameid: int | None = None
    name: str
    latitude: float
    longitude: float
    country: str | None = None  # English country name
    iso2: str | None = None
    iso3: str | None = None
    admin1: str | None = None  # English name of the first-level division
    admin2: str | None = None
    feature: PlaceFeature = "city"
    population: int = 0


class PlaceMention(_Model):
    """A toponym in the text, resolved (``place``) or not (``place is None``)."""

    start: int
    end: int
    text: str
    place: Place | None = None
    score: float = 0.0
    reason: str = ""  # which evidence decided the choice, in words


class Actor(_Model):
    """An entry of the actor dictionary (or a guessed one for an unknown organisation)."""

    name: str  # ACLED-style name, e.g. "Military Forces of Russia (2000-)"
    inter: int | None = None  # 1..8
    country: str | None = None  # ISO3 of the actor's home country, when known
    kind: str = "other"  # state, military, police, rebel, militia, identity, protesters, ...
    guessed: bool = False


class ActorMention(_Model):
    start: int
    end: int
    text: str
    actor: Actor


class Casualties(_Model):
    """One figure read from the text: "more than 200 militants were killed"."""

    kind: Literal["killed", "injured", "captured", "missing", "displaced"]
    low: int
    best: int
    high: int
    conservative: int  # ACLED's rule: the figure to count
    qualifier: str | None = None  # "more than", "at least", "dozens", ...
    victims: Literal["combatants", "civilians", "unknown"] = "unknown"
    part_of: int | None = None  # index of the figure this one is a part of ("including 3 children")
    group: str | None = None  # the victim group ("soldier", "robber"); None for "people", "the toll"
    start: int
    end: int


class Materiel(_Model):
    kind: str  # tank, armoured vehicle, SUV, aircraft, ...
    count: int | None
    status: Literal["destroyed", "damaged", "captured"]
    start: int
    end: int


class DateFinding(_Model):
    date: date
    precision: Literal[1, 2, 3]
    start: int
    end: int
    text: str


class Claim(_Model):
    """Who asserts something: "..., the Russian defence ministry said"."""

    claimant: str  # normalised name, e.g. "Russian Ministry of Defence"
    claimant_text: str = ""  # the words naming the claimant in the text
    claimant_country: str | None = None  # ISO3 of the claimant's state, when it is a state body
    claimant_kind: str | None = None  # government, military, police, armed_group, media, ngo, un, witness, other
    claimant_actor: str | None = None  # the ACLED-style actor the claimant speaks for, when known
    claimant_party: bool = False  # set by the pipeline: the claimant is a side of the event
    fields: list[str] = Field(default_factory=list)  # record fields the claim covers
    start: int  # the claim's span: the reported clause and its attribution
    end: int
    hedged: bool = False  # "reportedly", "allegedly", "unconfirmed"


class EventCandidate(_Model):
    """An event trigger with its ACLED type, before actors, places and numbers are attached."""

    event_type: str
    sub_event_type: str
    trigger_start: int
    trigger_end: int
    sentence_start: int
    sentence_end: int
    score: float = 0.5
    reason: str = ""


# ----------------------------------------------------------------------------------------------
# The record: one event as one article reports it (see shared docs/record-contract.md).


class MaterielOut(_Model):
    kind: str
    count: int | None
    status: str


class OutletRef(_Model):
    """The outlet a record comes from, as the outlet registry (``data/outlets/outlets.yaml``) knows it."""

    name: str
    kind: str  # wire, state, party, public, private, local, monitor, official
    country: str | None = None  # ISO3 of its home country
    state: str | None = None  # ISO3 of the state whose media or channel it is
    party: str | None = None  # the armed group or party it speaks for
    owner: str | None = None  # its owner or network (outlets of one owner are one voice)
    scale: str | None = None  # ACLED source scale: Local, Subnational, National, Regional, International, Other, New media


class ClaimOut(_Model):
    claimant: str
    claimant_party: bool
    fields: list[str]
    start: int
    end: int
    claimant_kind: str | None = None  # government, military, police, armed_group, media, ngo, un, witness, other
    claimant_country: str | None = None  # ISO3 of the state the claimant speaks for
    claimant_actor: str | None = None  # the ACLED actor the claimant speaks for, when known
    outlet: str | None = None  # the outlet that relayed the claim (the record's source)
    outlet_tied: bool = False  # that outlet is the claimant's own: its state's media, its group's channel


class EventRecord(_Model):
    article_id: str
    record_id: str
    event_date: Annotated[str | None, StoredAsDate()] = None
    time_precision: int | None = None
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int | None = None
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geonameid: Annotated[int | None, Wide()] = None
    fatalities: int = 0
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    injured: int | None = None
    materiel: list[MaterielOut] = Field(default_factory=list)
    claims: list[ClaimOut] = Field(default_factory=list)
    source: str | None = None
    outlet: OutletRef | None = None  # what the outlet registry knows of the source
    notes: str = ""
    evidence: dict[str, list[list[int]]] = Field(default_factory=dict)
    confidence: float = 0.0

    @staticmethod
    def make_id(article_id: str, trigger_start: int, sub_event_type: str) -> str:
        raw = f"{article_id}|{trigger_start}|{sub_event_type}"
        return "r-" + hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]
