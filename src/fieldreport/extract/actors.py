"""Actors: who did what to whom.

Three layers, all driven by data files in ``fieldreport/data``:

* :class:`ActorDictionary` -- named actors (``actors/dictionary.yaml`` plus user files given to
  :meth:`ActorDictionary.load` or named by ``$FIELDREPORT_ACTORS``), the state forces of every country
  (generated from ``shared/demonyms.yaml`` and ``actors/state.yaml``: names, regime periods, force nouns,
  nicknames such as "IDF") and generic actors whose country comes from the event's place
  (``actors/generic.yaml``: ``Protesters (India)``, ``Civilians (Syria)``, ``Unidentified Armed Group (X)``).
* :meth:`ActorExtractor.find` -- actor mentions in a parsed ``Doc`` (offsets into ``doc_text(doc)``): dictionary
  aliases (Aho-Corasick, longest match wins; short acronyms case-sensitive), demonym + force-noun phrases
  ("Russian jets", "Syrian government troops", "Israel's air force"), bare force nouns ("the army"),
  generic nouns ("gunmen", "villagers"), "Hamas-linked gunmen" / "Iran-backed militias", and organisations
  the dictionary does not know (spaCy ORG/NORP or capitalised runs), kept with a guessed inter code.
* :meth:`ActorExtractor.roles` -- actor1 / actor2 (and associated actors) of one event trigger, read from
  the dependency parse (``actors/roles.yaml`` holds the words it relies on), completed by a claim of
  responsibility or the authorities' suspect elsewhere in the text, then adjusted to ACLED's conventions
  for the sub-event type (protesters first; police as actor2 when they intervene; civilian victims;
  unnamed attackers as ``Unidentified Armed Group (X)``).

Typical use::

    ex = ActorExtractor()
    mentions = ex.find(doc, "SYR", 2017)
    roles = ex.roles(doc, trig_start, trig_end, mentions, "SYR", "Air/drone strike", 2017)
    roles.actor1.actor.name  # "Military Forces of Russia (2000-)"
    ex.inter_for(roles.actor1.actor, "SYR")  # 8: a foreign state's forces
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick
import yaml
from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc, Span, Token

from fieldreport.data import load_yaml
from fieldreport.settings import ENV_ACTORS, Settings
from fieldreport.schema.records import Actor, ActorMention
from fieldreport.schema.taxonomy import EVENT_TYPES, sub_event_types_of
from fieldreport.text.lexicon import SPEECH_LEMMAS
from fieldreport.text.spans import doc_text


STATE_KINDS = ("military", "police", "government")
_STATE_PREFIX = {"military": "Military Forces of", "police": "Police Forces of", "government": "Government of"}
CIVILIAN_KINDS = frozenset({"civilians", "students", "journalists", "workers", "teachers"})
_GROUP_KINDS = frozenset({"students", "journalists", "workers", "teachers"})
_VIOLENT_TYPES = sub_event_types_of("armed")
_PROTEST_TYPES = frozenset(EVENT_TYPES["Protests"])
_INTERVENTION_TYPES = frozenset({"Protest with intervention", "Excessive force against protesters"})
_RIOT_TYPES = frozenset({"Violent demonstration", "Mob violence"})
_REMOTE_TYPES = frozenset(
    {
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    }
)  # fmt: skip
_VAC_TYPES = frozenset({"Sexual violence", "Attack", "Abduction/forced disappearance"})
_DESTRUCTION_TYPES = frozenset({"Looting/property destruction"})
_SYMMETRIC_TYPES = frozenset({"Armed clash"})
# where actor1 is an armed side that may be named in an earlier sentence of the report
_ARMED_SIDE_TYPES = _VIOLENT_TYPES | _VAC_TYPES | _DESTRUCTION_TYPES
_KINDS_ARMED = ("military", "police", "rebel", "militia", "identity", "unidentified", "external", "other")
# "youths from the village of Ganro", "villagers of Kika": where a communal militia comes from
_FROM_PLACE = re.compile(
    r"\s+(?:from|of)\s+(?:the\s+)?(?:(?:village|town|city|locality|community|commune|hamlet|quarter|neighbou?rhood)"
    r"\s+of\s+)?(?P<place>[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,2})"
)
_PATIENT_PREPS = frozenset({"on", "against", "at", "upon", "targeting", "toward", "towards", "into"})
_AGENT_PREPS_NOUN = frozenset({"by", "from"})
_WORD = re.compile(r"\w", re.UNICODE)
_STATE_MODS = re.compile(r"\b(?:army|military|government|regime|security|police|navy|naval|state|presidential)\b")
_GENERIC_KINDS = frozenset({"unidentified", "pirates", "rebels", "protesters", "rioters", *CIVILIAN_KINDS})
_PAREN_ACRONYM = re.compile(r"\s*\(([A-Z][A-Z0-9&-]{1,9})\)")
_NP_DEPS = frozenset({"compound", "amod", "poss", "nmod", "appos", "conj", "nummod", "det", "quantmod", "npadvmod"})
_SPACES = re.compile(r"[\s-]+")
_YEARS_END = re.compile(r"\s*\(\d{4}-(?:\d{4})?\)\s*$")
_ORG_LINK = frozenset({"of", "for", "the", "and", "-", "al", "el", "ad", "ul", "e"})


class Roles(BaseModel):
    """The sides of one event: actor1 acted, actor2 was acted upon (either may be missing)."""

    model_config = ConfigDict(extra="forbid")

    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    assoc_actor_1: ActorMention | None = None
    assoc_actor_2: ActorMention | None = None


@dataclass
class ActorEntry:
    """One dictionary entry (see the schema at the top of ``actors/dictionary.yaml``)."""

    name: str
    inter: int | None = None
    country: str | None = None
    kind: str = "other"
    aliases: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    by_country: dict[str, str] = field(default_factory=dict)
    split: str | None = None
    local_aliases: list[str] = field(default_factory=list)
    became: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any], source: str = "") -> ActorEntry:
        if not isinstance(d, dict) or not d.get("name"):
            raise ValueError(f"{source}: every actor needs a 'name' (got {d!r})")
        inter = d.get("inter")
        if inter is not None and not (isinstance(inter, int) and 1 <= inter <= 8):
            raise ValueError(f"{source}: actor {d['name']!r} has inter {inter!r}; inter codes are 1..8")
        unknown = set(d) - {
            "name", "inter", "country", "kind", "aliases", "acronyms", "by_country", "split", "local_aliases", "became"
        }  # fmt: skip
        if unknown:
            raise ValueError(f"{source}: actor {d['name']!r} has unknown keys {sorted(unknown)}")
        return cls(
            name=str(d["name"]),
            inter=inter,
            country=d.get("country"),
            kind=str(d.get("kind") or "other"),
            aliases=[str(a) for a in d.get("aliases") or []],
            acronyms=[str(a) for a in d.get("acronyms") or []],
            by_country={str(k): str(v) for k, v in (d.get("by_country") or {}).items()},
            split=d.get("split"),
            local_aliases=[str(a) for a in d.get("local_aliases") or []],
            became=dict(d["became"]) if d.get("became") else None,
        )

    def actor(self) -> Actor:
        return Actor(name=self.name, inter=self.inter, country=self.country, kind=self.kind)


@dataclass
class _Generic:
    template: str
    inter: int
    kind: str
    words: list[str]
    by_country: dict[str, str] = field(default_factory=dict)


@dataclass
class _Unit:
    """A sub-unit or de-facto authority written after a state's name (``actors/state.yaml: units``)."""

    suffix: str
    kind: str
    words: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    by_country: dict[str, dict[str, str]] = field(default_factory=dict)
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    years: str | None = None
    inter: int = 1

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> _Unit:
        if d.get("kind") not in ("military", "police"):
            raise ValueError(f"actors/state.yaml: unit {d.get('suffix')!r} needs kind military or police")
        return cls(
            suffix=str(d["suffix"]),
            kind=str(d["kind"]),
            words=[str(w).lower() for w in d.get("words") or []],
            countries=list(d.get("countries") or []),
            by_country={str(k): dict(v) for k, v in (d.get("by_country") or {}).items()},
            country=d.get("country"),
            aliases=[str(a) for a in d.get("aliases") or []],
            acronyms=[str(a) for a in d.get("acronyms") or []],
            years=d.get("years"),
            inter=int(d.get("inter") or 1),
        )

    def applies(self, iso3: str | None) -> bool:
        return not self.countries or iso3 in self.countries


class ActorDictionary:
    """Named, state and generic actors, with their aliases. Build it with :meth:`load`."""

    def __init__(
        self,
        entries: Iterable[ActorEntry],
        countries: dict[str, dict[str, Any]],
        state: dict[str, Any],
        generic: dict[str, Any],
        period_naming: str = "event",
    ) -> None:
        if period_naming not in ("event", "closed"):
            raise ValueError(f"period_naming must be 'event' or 'closed', not {period_naming!r}")
        self.period_naming = period_naming
        self.countries = countries
        self.state = state
        self.entries: dict[str, ActorEntry] = {}
        for e in entries:  # a later entry with the same name replaces the earlier one
            self.entries[e.name] = e
        self.with_the: set[str] = set(state.get("with_the") or [])
        self.regimes: dict[str, list[dict[str, int | None]]] = state.get("regimes") or {}
        self.generics: list[_Generic] = [
            _Generic(
                g["name"], int(g["inter"]), g["kind"], [w.lower() for w in g["words"]], dict(g.get("by_country") or {})
            )
            for g in generic.get("generic") or []
        ]
        self.generic_by_kind = {g.kind: g for g in self.generics}
        self.identity_heads: list[str] = [w.lower() for w in generic.get("identity_militia_heads") or []]
        self.affiliate_nouns: list[str] = [w.lower() for w in generic.get("affiliate_nouns") or []]
        self.guess_rules: list[dict[str, Any]] = generic.get("guess") or []
        self.criminal: dict[str, Any] = generic.get("criminal") or {}
        self.armed_civilians: list[dict[str, Any]] = generic.get("armed_civilians") or []
        self.joint: dict[str, Any] = generic.get("joint") or {}
        # demonym / country-name surface -> candidate ISO3 codes
        self.demonyms: dict[str, list[str]] = {}
        self.country_names: dict[str, list[str]] = {}
        for iso3, c in countries.items():
            for d in c.get("demonyms") or []:
                self.demonyms.setdefault(d, []).append(iso3)
            for n in [c["name"], *(c.get("aliases") or [])]:
                if len(n) > 3 or n.isupper():
                    if iso3 not in self.country_names.setdefault(n, []):
                        self.country_names[n].append(iso3)
        self.prefer: dict[str, str] = state.get("prefer") or {}
        self.units: list[_Unit] = [_Unit.from_dict(u) for u in state.get("units") or []]
        self.air_force: dict[str, Any] = state.get("air_force") or {}

    # ------------------------------------------------------------------------------------------
    @classmethod
    def load(
        cls, extra_paths: Sequence[str | Path] | None = None, use_env: bool = True, period_naming: str = "event"
    ) -> ActorDictionary:
        """The shipped dictionary plus user files (same schema as ``actors/dictionary.yaml``).

        ``extra_paths`` are read in order, then the file named by ``$FIELDREPORT_ACTORS`` (when
        ``use_env``). An entry whose name is already known replaces the shipped one.
        ``period_naming``: ``"event"`` names state forces as they were named when the event happened
        (``Military Forces of the United States (2021-)`` for 2023); ``"closed"`` closes ended periods
        (``(2021-2025)``), as a data set revised today reads.
        """
        entries = [ActorEntry.from_dict(d, "actors/dictionary.yaml") for d in load_yaml("actors/dictionary.yaml")["actors"]]
        paths = [Path(p) for p in extra_paths or []]
        env = Settings.from_env().actors if use_env else None
        if env:
            paths.append(Path(env))
        for p in paths:
            if not p.exists():
                raise FileNotFoundError(f"actor file {str(p)!r} does not exist (given as extra path or ${ENV_ACTORS})")
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            items = data.get("actors") if isinstance(data, dict) else data
            if not isinstance(items, list):
                raise ValueError(f"{p}: expected a mapping with an 'actors' list (see fieldreport/data/actors/dictionary.yaml)")
            entries.extend(ActorEntry.from_dict(d, str(p)) for d in items)
        return cls(
            entries,
            load_yaml("shared/demonyms.yaml"),
            load_yaml("actors/state.yaml"),
            load_yaml("actors/generic.yaml"),
            period_naming=period_naming,
        )

    # ------------------------------------------------------------------------------------------
    def country_name(self, iso3: str | None) -> str | None:
        if not iso3 or iso3 not in self.countries:
            return None
        return str(self.countries[iso3]["name"])

    def regime_years(self, iso3: str, year: int | None = None) -> str | None:
        """``"2000-"`` (or ``"2000-2024"`` with closed naming) for the regime in power in ``year`` (default: now)."""
        periods = self.regimes.get(iso3) or []
        chosen = None
        if year is None:
            chosen = periods[-1] if periods else None
        else:
            for p in periods:  # the newest period that covers the year
                start, end = p.get("start"), p.get("end")
                if start is not None and start <= year and (end is None or year <= end):
                    chosen = p
        if not chosen:
            return None
        end = chosen.get("end")
        if end is None or self.period_naming == "event":
            return f"{chosen['start']}-"
        return f"{chosen['start']}-{end}"

    def state_actor(
        self, iso3: str, kind: str = "military", year: int | None = None, suffix: str | None = None,
        years: str | None = None,
    ) -> Actor:
        """``Military Forces of Russia (2000-)``, ``Police Forces of India (2014-)``, ``Government of X``;
        with ``suffix`` a sub-unit: ``Military Forces of Brazil (2023-) Military Police``."""
        name = self.country_name(iso3) or iso3
        the = "the " if iso3 in self.with_the else ""
        years = years or self.regime_years(iso3, year)
        full = f"{_STATE_PREFIX[kind]} {the}{name}" + (f" ({years})" if years else "")
        if suffix:
            full = f"{full} {suffix}"
        return Actor(name=full, inter=1, country=iso3, kind=kind)

    def unit_actor(self, unit: _Unit, iso3: str | None, year: int | None = None) -> Actor | None:
        """The unit as named in ``iso3`` (a unit of one state names that state whatever ``iso3`` is)."""
        iso3 = unit.country or iso3
        if not iso3 or not unit.applies(iso3):
            return None
        over = unit.by_country.get(iso3) or {}
        kind = over.get("kind") or unit.kind
        actor = self.state_actor(iso3, kind, year, suffix=over.get("suffix") or unit.suffix, years=unit.years)
        return actor if unit.inter == 1 else actor.model_copy(update={"inter": unit.inter})

    def with_unit(self, actor: Actor, suffix: str) -> Actor:
        """A state force's actor with a sub-unit written after it (``... (2000-) Air Force``); unchanged if it has one."""
        if actor.kind not in ("military", "police") or not actor.country:
            return actor
        base = self.state_actor(actor.country, actor.kind).name
        plain = _YEARS_END.sub("", base)
        if _YEARS_END.sub("", actor.name) != plain:
            return actor  # a unit already, or a name the dictionary did not make
        return actor.model_copy(update={"name": f"{actor.name} {suffix}"})

    def generic_actor(self, kind: str, iso3: str | None) -> Actor:
        """``Civilians (Syria)``; without a country, the bare word (``Civilians``)."""
        g = self.generic_by_kind[kind]
        if iso3 in g.by_country and g.by_country[iso3] in self.entries:
            return self.entries[g.by_country[iso3]].actor()
        cname = self.country_name(iso3)
        name = g.template.format(country=cname) if cname else g.template.split(" (")[0]
        return Actor(name=name, inter=g.inter, country=iso3 if cname else None, kind=g.kind)

    def resolve(self, entry: ActorEntry, country_iso3: str | None, year: int | None = None) -> Actor:
        """The entry's actor as named for an event in ``country_iso3`` (split-by-country groups) in ``year``
        (unknown: now): a group that ``became`` another actor is named as it became from that year on."""
        b = entry.became
        if b and (year is None or year >= int(b["year"])) and not (country_iso3 and country_iso3 in entry.by_country):
            return Actor(
                name=str(b["name"]), inter=int(b.get("inter") or entry.inter or 1), country=b.get("country") or entry.country,
                kind=str(b.get("kind") or entry.kind),
            )
        if country_iso3 and country_iso3 in entry.by_country:
            target = entry.by_country[country_iso3]
            if target in self.entries and target != entry.name:
                return self.entries[target].actor()
            return Actor(name=target, inter=entry.inter, country=country_iso3, kind=entry.kind)
        if entry.split and country_iso3 and country_iso3 != entry.country and self.country_name(country_iso3):
            name = entry.split.format(country=self.country_name(country_iso3))
            if name in self.entries:
                return self.entries[name].actor()
            return Actor(name=name, inter=entry.inter, country=country_iso3, kind=entry.kind)
        return entry.actor()

    def pick_country(self, demonym: str, country_iso3: str | None) -> str:
        cands = self.demonyms.get(demonym) or self.country_names[demonym]
        if country_iso3 in cands:
            return country_iso3  # type: ignore[return-value]
        if demonym in self.prefer:
            return self.prefer[demonym]
        return cands[0]

    def all_actors(self) -> list[tuple[str, Actor]]:
        """(surface, actor) pairs for search: named entries and their aliases, and every state's forces."""
        out: list[tuple[str, Actor]] = []
        for e in self.entries.values():
            a = e.actor()
            for s in [e.name, *e.aliases, *e.acronyms]:
                out.append((s, a))
        for iso3 in self.countries:
            for kind in STATE_KINDS:
                a = self.state_actor(iso3, kind)
                out.append((a.name, a))
        for u in self.units:  # units of one state ("Houthis", "Popular Mobilization Forces")
            a = self.unit_actor(u, None) if u.country else None
            if a is not None:
                out.extend((s, a) for s in [a.name, *u.aliases, *u.acronyms])
        return out

    def guess(self, name: str) -> tuple[int, str] | None:
        """A guessed (inter, kind) for an organisation name, or None when it does not look armed/political."""
        low = f" {re.sub(r'[^a-z0-9-]+', ' ', name.lower())} "
        for rule in self.guess_rules:
            for w in rule["words"]:
                if f" {w} " in low:
                    return int(rule["inter"]), str(rule["kind"])
        return None


# ----------------------------------------------------------------------------------------------


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first, with flexible inner whitespace/hyphens."""
    uniq = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in uniq)


def _word_re(words: Iterable[str] | None) -> re.Pattern[str] | None:
    """Any of ``words`` as a whole word, any case (None when there are none)."""
    alt = _alt(words or [])
    return re.compile(rf"(?<![\w-])(?i:{alt})(?![\w-])") if alt else None


_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-"})


def _fold(text: str) -> str:
    """Curly apostrophes and typographic hyphens as ASCII (same length, so offsets hold)."""
    return text.translate(_FOLD)


def _lower_same_length(text: str) -> str:
    """``text.lower()`` that keeps every offset (characters whose lowercase is longer stay as they are)."""
    folded = _fold(text)
    low = folded.lower()
    if len(low) == len(folded) and "\u03a3" not in folded:  # (capital sigma lowers by its context)
        return low  # no character lowered to more than one: the same string, built at C speed
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in _fold(text))


def _bounded(text: str, start: int, end: int) -> bool:
    """The span does not cut a word on either side."""
    if start > 0 and _WORD.match(text[start - 1]) and _WORD.match(text[start]):
        return False
    return not (end < len(text) and _WORD.match(text[end]) and _WORD.match(text[end - 1]))


@dataclass(order=True)
class _Cand:
    sort_key: tuple[int, int, int]
    start: int = field(compare=False)
    end: int = field(compare=False)
    actor: Actor = field(compare=False)


class ActorExtractor:
    """Finds actor mentions in a ``Doc`` and reads actor1/actor2 of an event trigger from the parse."""

    def __init__(self, dictionary: ActorDictionary | None = None) -> None:
        self.dict = dictionary or ActorDictionary.load()
        d = self.dict
        self._search_pairs: list[tuple[str, Actor]] | None = None
        self._ci = ahocorasick.Automaton()
        self._cs = ahocorasick.Automaton()
        ci: dict[str, list[str]] = {}
        cs: dict[str, list[str]] = {}
        local: set[str] = set()  # surfaces that name an actor only in its own country

        def put(table: dict[str, list[str]], surface: str, key: str) -> None:
            keys = table.setdefault(surface, [])
            if key not in keys:
                keys.append(key)

        for e in d.entries.values():
            for a in [e.name, *e.aliases]:
                if len(a) <= 4 and a.isupper():
                    put(cs, a, e.name)
                else:
                    put(ci, _lower_same_length(a), e.name)
            for a in e.acronyms:
                put(cs, a, e.name)
            for a in e.local_aliases:
                put(ci, _lower_same_length(a), e.name)
                local.add(_lower_same_length(a))
        # state nicknames ("IDF", "Tatmadaw")
        for kind, per_country in (d.state.get("aliases") or {}).items():
            for iso3, names in per_country.items():
                for n in names:
                    key = f"\x00state:{kind}:{iso3}"
                    if len(n) <= 5 and n.replace("-", "").isupper():
                        put(cs, n, key)
                    else:
                        put(ci, _lower_same_length(n), key)
        # units of one state by their own names ("Houthi forces", "Popular Mobilization Forces", "CRPF")
        for i, u in enumerate(d.units):
            key = f"\x00unit:{i}"
            for n in u.aliases:
                put(ci, _lower_same_length(n), key)
            for n in u.acronyms:
                put(cs, n, key)
        # short acronyms that mean other things elsewhere ("KIA": killed in action): only in their home country
        self._ambiguous: set[str] = set(d.state.get("ambiguous_acronyms") or [])
        for k, keys in ci.items():
            self._ci.add_word(k, (len(k), tuple(keys), k in local))
        for k, keys in cs.items():
            self._cs.add_word(k, (len(k), tuple(keys), k in self._ambiguous))
        self._ci.make_automaton()
        self._cs.make_automaton()

        heads = d.state.get("heads") or {}
        self._head_kind: dict[str, str] = {}
        for kind in ("government", "police", "military"):  # later kinds win on a shared word
            for w in heads.get(kind) or []:
                self._head_kind[w.lower()] = kind
        # unit nouns ("military police", "gendarmes", "customs officers"): heads of their force's kind
        self._unit_words: list[tuple[str, _Unit]] = sorted(
            ((w, u) for u in d.units for w in u.words), key=lambda x: -len(x[0])
        )
        unit_heads = {w: u.kind for w, u in self._unit_words}
        for w, kind in unit_heads.items():
            self._head_kind.setdefault(w, kind)
        self._generic_word: dict[str, str] = {}
        for g in d.generics:
            for w in g.words:
                self._generic_word.setdefault(w, g.kind)
        bare = d.state.get("bare") or {}
        self._bare_kind: dict[str, str] = {
            w.lower(): k for k in ("government", "police", "military") for w in bare.get(k) or []
        }
        for w, kind in unit_heads.items():
            self._bare_kind.setdefault(w, kind)
        mods = _alt(m.lower() for m in d.state.get("modifiers") or [])
        # demonyms, possessive country names ("Israel's") and abbreviations used as adjectives ("U.S. drone")
        abbrevs = [n for n in d.country_names if n.replace(".", "").isupper() and len(n) <= 5]
        dem_surfaces = (
            list(d.demonyms) + abbrevs + [f"{n}'s" for n in d.country_names] + [f"{n}\u2019s" for n in d.country_names]
        )
        dem = _alt(dem_surfaces)
        head_alt = _alt(list(self._head_kind) + list(self._generic_word))
        sep = r"(?:\s*,\s*|\s+(?:and|&)\s+)"
        # "Russian and Syrian government jets", "Israel's air force", "Syrian civilians"
        self._dem_re = re.compile(
            rf"(?<![\w-])(?P<dems>(?:{dem})(?:{sep}(?:{dem}))*)(?:\s+|-)"
            rf"(?P<mods>(?i:(?:(?:{mods})(?:\s+|-|\s*-\s*))*))(?P<head>(?i:{head_alt}))(?![\w-])"
        )
        self._one_dem_re = re.compile(rf"(?:{dem})")
        bare_alt = _alt(list(self._bare_kind) + list(self._generic_word))
        self._bare_re = re.compile(
            rf"(?<![\w-])(?P<mods>(?i:(?:(?:{mods})(?:\s+|-|\s*-\s*))*))(?P<head>(?i:{bare_alt}))(?![\w-])"
        )
        # "two Palestinians", "Afghans": people of a country (civilians unless they act as a force)
        self._plural_dem: dict[str, str] = {x: x for x in d.demonyms if x.endswith("s") and x[:-1] in d.demonyms}
        self._plural_re = re.compile(rf"(?<![\w-])(?:{_alt(self._plural_dem)})(?![\w-])") if self._plural_dem else None
        self._country_re = re.compile(rf"(?<![\w-])(?:{_alt(d.country_names)})(?![\w-])")
        # names a split-by-country group can take, back to its entry ("Islamic State (Iraq)" -> Islamic State)
        self._split_of: dict[str, ActorEntry] = {}
        self._split_res: list[tuple[re.Pattern[str], ActorEntry]] = []
        for e in d.entries.values():
            if e.split or e.by_country:
                self._split_of[e.name] = e
            if e.split:
                pat = re.escape(e.split).replace(re.escape("{country}"), ".+")
                self._split_res.append((re.compile(pat), e))
        cfg = load_yaml("actors/roles.yaml")
        self._symmetric = frozenset(cfg.get("symmetric_lemmas") or [])
        self._defence = frozenset(cfg.get("defence_lemmas") or [])
        self._defence_particles = frozenset(cfg.get("defence_particles") or [])
        self._defence_needs_particle = frozenset(cfg.get("defence_needs_particle") or [])
        self._earlier_sentences = int(cfg.get("earlier_sentences") or 0)
        self._own_activity = frozenset(cfg.get("own_activity_types") or [])
        acr = cfg.get("unknown_acronyms") or {}
        self._acronym_inter = int(acr.get("inter") or 3)
        self._acronym_verbs = frozenset(acr.get("verbs") or [])
        self._acronym_preps = frozenset(acr.get("preps") or [])
        # acronyms that name no armed side (units, bodies, media, the dead): never guessed as actors
        self._acronym_skip = frozenset(acr.get("not_actors") or [])
        self._planter_verbs = frozenset(cfg.get("planter_verbs") or [])
        self._planter_types = frozenset(cfg.get("planter_types") or [])
        self._crowd_police = _word_re(cfg.get("crowd_control_police"))
        self._measures = _word_re(cfg.get("authority_measures"))
        self._event_nouns = frozenset(cfg.get("event_nouns") or [])
        self._not_ethnic = frozenset(w.lower() for w in cfg.get("not_ethnic") or [])
        self._claim_verbs = frozenset(cfg.get("claim_verbs") or [])
        self._claim_objects = frozenset(cfg.get("claim_objects") or [])
        self._say_verbs = SPEECH_LEMMAS
        self._blame_verbs = frozenset(cfg.get("blame_verbs") or [])
        self._protesters_first = frozenset(cfg.get("protesters_first") or [])
        self._mutual = frozenset(cfg.get("mutual_violence") or [])
        icp = cfg.get("interception") or {}
        self._icp_types = frozenset(icp.get("sub_event_types") or [])
        self._icp_weapons = _word_re(icp.get("weapons"))
        self._icp_owner: str | None = icp.get("unknown_owner")
        self._icp_by_interceptor: dict[str, str] = dict(icp.get("owner_by_interceptor") or {})
        self._among_re = _word_re(cfg.get("among_one_side"))
        self._casualty_re = _word_re(cfg.get("casualty_words"))
        self._no_casualty_re = _word_re(cfg.get("no_casualties"))
        crim = d.criminal
        self._crim_words = _word_re(crim.get("words"))
        self._crim_cues = _word_re(crim.get("cues"))
        self._armed_civ: list[tuple[re.Pattern[str], dict[str, Any]]] = [
            (re.compile(rf"(?i:(?<![\w-])(?:{_alt(a.get('words') or [])}))$"), a)
            for a in d.armed_civilians if a.get("words")
        ]
        af = d.air_force
        self._af_suffix: str | None = af.get("suffix")
        self._af_states = frozenset(af.get("states") or [])
        self._af_events = frozenset(af.get("event_countries") or [])
        self._af_types = frozenset(af.get("sub_event_types") or [])
        self._af_with = frozenset(af.get("with_air_weapons") or [])
        self._af_words = _word_re(af.get("air_weapons"))
        self._af_heads = re.compile(rf"(?<![\w-])(?i:{_alt(af.get('weapon_heads') or [])})$") if af else None
        coded = cfg.get("coded_as") or []
        after = cfg.get("coded_as_after") or []
        forms = []
        if coded:  # "(coded as X)"
            forms.append(rf"(?i:{_alt(coded)})\s+(?P<name>[^)\]]{{2,80}}?)")
        if after:  # "(X is suspected)"
            forms.append(rf"(?P<name2>[^)\]]{{2,80}}?)\s+(?i:{_alt(after)})")
        self._coded_as_re = re.compile(rf"\s*[(\[]\s*(?:{'|'.join(forms)})\s*[)\]]") if forms else None
        joint = d.joint
        seps = _alt(joint.get("separators") or [])
        self._joint_gap = re.compile(rf"\s*(?:{seps})\s*", re.I) if seps else None
        self._joint_order: dict[frozenset[str], tuple[str, str]] = {
            frozenset(pair): (pair[0], pair[1]) for pair in joint.get("order") or [] if len(pair) == 2
        }
        linked = _alt(cfg.get("affiliated") or [])
        backed = _alt(cfg.get("backed") or [])
        self._affiliate_gap = re.compile(rf"\s*|-(?:{linked}|{backed})\s*|\s+-?(?:{linked})\s+", re.I)
        self._backed_gap = re.compile(rf"-(?:{backed})\s*", re.I)
        self._modifier_gap = re.compile(
            rf"-(?:{linked}|{backed})\s+(?:(?:jihadist|islamist|militant|armed|rebel)\s+)?"
            rf"(?:(?:group|organisation|organization|movement|faction|network|outfit|coalition|alliance)\s+)?",
            re.I,
        )
        affiliates = _alt(w.lower() for w in d.affiliate_nouns)
        self._affiliate_re = re.compile(rf"(?:-(?:{linked})\s*|\s+)(?i:{affiliates})(?![\w-])")
        self._identity_re = re.compile(rf"^(?i:{_alt(d.identity_heads)})\b")

    # ------------------------------------------------------------------------------------------
    # Mentions

    def find(self, doc: Doc, country_iso3: str | None = None, year: int | None = None) -> list[ActorMention]:
        """Actor mentions in ``doc``, sorted by offset, non-overlapping (the longest match wins).

        ``country_iso3`` is the event's country: it names generic actors (``Civilians (Syria)``), bare
        force nouns ("the army") and split-by-country groups; ``year`` picks the regime period of
        state forces (default: the current one).
        """
        text = doc_text(doc)
        cands: list[_Cand] = []

        def add(start: int, end: int, actor: Actor, prio: int) -> None:
            # longest first, then lower prio number, then leftmost
            cands.append(_Cand((-(end - start), prio, start), start, end, actor))

        low = _lower_same_length(text)
        for auto, hay in ((self._ci, low), (self._cs, _fold(text))):
            for end_idx, (n, keys, ambiguous) in auto.iter(hay):
                start, end = end_idx - n + 1, end_idx + 1
                if not _bounded(text, start, end):
                    continue
                actor = self._keys_actor(keys, ambiguous, country_iso3, year)
                if actor is not None:
                    add(start, end, actor, 0)

        for m in self._dem_re.finditer(text):
            head = re.sub(r"\s+", " ", m.group("head").lower())
            mods = m.group("mods").lower()
            dems = [(x.start(), x.end(), x.group()) for x in self._one_dem_re.finditer(m.group("dems"))]
            base = m.start("dems")
            for i, (s, e, surface) in enumerate(dems):
                iso3 = self.dict.pick_country(re.sub(r"['\u2019]s$", "", surface), country_iso3)
                actor = self._head_actor(head, mods, iso3, year)
                if actor is None:
                    continue
                if i == len(dems) - 1:
                    add(base + s, m.end(), actor, 1)
                else:
                    add(base + s, base + e, actor, 1)
        for m in self._bare_re.finditer(text):
            head = re.sub(r"\s+", " ", m.group("head").lower())
            mods = m.group("mods").lower()
            start = m.start("head") if not mods.strip() else m.start()
            actor = self._bare_actor(head, mods, country_iso3, year)
            if actor is not None:
                add(start, m.end(), actor, 3)
        if self._plural_re is not None:
            for m in self._plural_re.finditer(text):
                iso3 = self.dict.pick_country(m.group(), country_iso3)
                add(m.start(), m.end(), self.dict.generic_actor("civilians", iso3), 5)
        for m in self._country_re.finditer(text):
            iso3 = self.dict.pick_country(m.group(), country_iso3)
            add(m.start(), m.end(), self.dict.state_actor(iso3, "government", year), 4)

        chosen = self._merge_joint(self._merge_affiliates(self._select(cands), text), text)
        for u in self._unknown_orgs(doc, chosen, country_iso3):
            # a guessed name may swallow generic words it contains ("Dinka militiamen"), nothing else
            inside = [c for c in chosen if u.start < c.end and c.start < u.end]
            generic = ("unidentified", *CIVILIAN_KINDS) if u.actor.kind == "identity" else ("unidentified",)
            if all(c.actor.kind in generic and u.start <= c.start and c.end <= u.end for c in inside):
                chosen = [c for c in chosen if all(c is not x for x in inside)]
                chosen.append(u)
        chosen = self._coded_as(sorted(chosen, key=lambda c: c.start), text, country_iso3)
        return [ActorMention(start=c.start, end=c.end, text=text[c.start : c.end], actor=c.actor) for c in chosen]

    @staticmethod
    def _select(cands: list[_Cand]) -> list[_Cand]:
        taken: list[tuple[int, int]] = []
        out: list[_Cand] = []
        for c in sorted(cands):
            if any(c.start < e and s < c.end for s, e in taken):
                continue
            taken.append((c.start, c.end))
            out.append(c)
        return out

    def _merge_affiliates(self, chosen: list[_Cand], text: str) -> list[_Cand]:
        """"Hamas-linked gunmen", "Hezbollah guerrillas", "IS cells" name one actor; "Iran-backed militias" not Iran."""
        chosen = sorted(chosen, key=lambda c: c.start)
        out: list[_Cand] = []
        i = 0
        while i < len(chosen):
            c = chosen[i]
            nxt = chosen[i + 1] if i + 1 < len(chosen) else None
            if nxt is not None and nxt.actor.kind in ("unidentified", "rebels") and c.actor.kind not in _GENERIC_KINDS:
                gap = text[c.end : nxt.start]
                if self._backed_gap.fullmatch(gap):
                    out.append(nxt)  # the backer is not the actor
                    i += 2
                    continue
                if self._affiliate_gap.fullmatch(gap) and c.actor.kind not in STATE_KINDS:
                    out.append(_Cand(c.sort_key, c.start, nxt.end, c.actor))
                    i += 2
                    continue
            if nxt is not None and self._modifier_gap.fullmatch(text[c.end : nxt.start]):
                i += 1  # "the al Qaeda-linked Al Shabaab": the first name only describes the second
                continue
            if c.actor.kind not in _GENERIC_KINDS and c.actor.kind not in STATE_KINDS:
                m = self._affiliate_re.match(text, c.end)
                if m and (nxt is None or nxt.start >= m.end()):
                    c = _Cand(c.sort_key, c.start, m.end(), c.actor)
            out.append(c)
            i += 1
        return out

    def _coded_as(self, chosen: list[_Cand], text: str, country_iso3: str | None) -> list[_Cand]:
        """A coder's statement after a generic word, "militants (coded as TTP)": the mention is the actor it names."""
        if self._coded_as_re is None:
            return chosen
        out: list[_Cand] = []
        drop: set[int] = set()
        for i, c in enumerate(chosen):
            if i in drop:
                continue
            m = self._coded_as_re.match(text, c.end)
            if m is None or c.actor.kind not in _GENERIC_KINDS:
                out.append(c)
                continue
            group = "name" if m.group("name") is not None else "name2"
            lo, hi = m.start(group), m.end(group)
            inside = [j for j, x in enumerate(chosen) if lo <= x.start and x.end <= hi]
            named = [chosen[j] for j in inside if chosen[j].actor.kind not in _GENERIC_KINDS]
            actor: Actor | None = named[0].actor if named else None
            said = m.group(group).strip()
            if actor is None and self._identity_re.search(said.lower()) is None:
                kind = self._coded_kinds(said)
                if kind is not None:
                    cname = self.dict.country_name(country_iso3)
                    name = said.title() + (f" ({cname})" if cname and "(" not in said else "")
                    actor = Actor(name=name, inter=kind[0], country=country_iso3, kind=kind[1], guessed=True)
            if actor is None:
                out.append(c)
                continue
            drop.update(inside)
            out.append(_Cand(c.sort_key, c.start, c.end, actor))
        return out

    def _coded_kinds(self, said: str) -> tuple[int, str] | None:
        """The inter code and kind of a name a coder wrote ("Darfur communal militia"): identity militias by their
        words, else the guess rules for organisations."""
        low = said.lower()
        if any(w in low for w in ("communal militia", "ethnic militia", "tribal militia", "clan militia")):
            return 4, "identity"
        return self.dict.guess(said)

    def _merge_joint(self, chosen: list[_Cand], text: str) -> list[_Cand]:
        """"ISWAP or Boko Haram", "IS/BH": two named groups the report cannot tell apart are one joint actor."""
        if self._joint_gap is None:
            return chosen
        named = frozenset({"rebel", "militia", "identity", "political", "external", "other"})
        out: list[_Cand] = []
        i = 0
        while i < len(chosen):
            c = chosen[i]
            nxt = chosen[i + 1] if i + 1 < len(chosen) else None
            if (
                nxt is not None
                and c.actor.kind in named
                and nxt.actor.kind in named
                and c.actor.name != nxt.actor.name
                and self._joint_gap.fullmatch(text[c.end : nxt.start])
            ):
                first, second = c.actor, nxt.actor
                order = self._joint_order.get(frozenset({first.name, second.name}))
                if order is not None and order[0] == second.name:
                    first, second = second, first
                actor = first.model_copy(update={"name": f"{first.name} and/or {second.name}", "guessed": False})
                out.append(_Cand(c.sort_key, c.start, nxt.end, actor))
                i += 2
                continue
            out.append(c)
            i += 1
        return out

    def _keys_actor(
        self, keys: tuple[str, ...], ambiguous: bool, country_iso3: str | None, year: int | None
    ) -> Actor | None:
        """The actor a surface names: the reading at home in the event's country first ("SNA" in Somalia)."""
        actors = [a for a in (self._key_actor(k, country_iso3, year) for k in keys) if a is not None]
        home = [a for a in actors if a.country == country_iso3]
        if home:
            return home[0]
        if ambiguous and country_iso3 is not None:
            return None
        return actors[0] if actors else None

    def _key_actor(self, key: str, country_iso3: str | None, year: int | None) -> Actor | None:
        if key.startswith("\x00state:"):
            _, kind, iso3 = key[1:].split(":")
            return self.dict.state_actor(iso3, kind, year)
        if key.startswith("\x00unit:"):
            return self.dict.unit_actor(self.dict.units[int(key.split(":")[1])], country_iso3, year)
        entry = self.dict.entries.get(key)
        return self.dict.resolve(entry, country_iso3, year) if entry else None

    def _unit(self, mods: str, head: str, iso3: str | None, year: int | None) -> Actor | None:
        """A sub-unit named by the phrase's last words ("Brazilian military police", "the gendarmes")."""
        phrase = " " + _SPACES.sub(" ", (mods + " " + head).strip())
        for w, u in self._unit_words:
            if phrase.endswith(f" {w}") and u.country is None:
                actor = self.dict.unit_actor(u, iso3, year)
                if actor is not None:
                    return actor
        return None

    def _head_actor(self, head: str, mods: str, iso3: str, year: int | None) -> Actor | None:
        unit = self._unit(mods, head, iso3, year)
        if unit is not None:
            return unit
        if head in self._generic_word:
            kind = self._generic_word[head]
            if kind == "unidentified" and _STATE_MODS.search(mods):  # "Syrian army fighters", "government militias"
                return self.dict.state_actor(iso3, "police" if "police" in mods else "military", year)
            if mods.strip() and kind not in ("unidentified", "rebels"):  # "Syrian government civilians" makes no sense
                return None
            return self.dict.generic_actor(kind, iso3)
        kind = self._head_kind.get(head)
        if kind is None:
            return None
        if "police" in mods or "riot" in mods:
            kind = "police"
        return self.dict.state_actor(iso3, kind, year)

    def _bare_actor(self, head: str, mods: str, country_iso3: str | None, year: int | None) -> Actor | None:
        phrase = _SPACES.sub(" ", f"{mods} {head}".strip())
        if mods.strip() and phrase in self._generic_word:  # "armed men" is one word of its own, not "men"
            return self.dict.generic_actor(self._generic_word[phrase], country_iso3)
        if head in self._bare_kind:
            if not country_iso3:
                return None
            unit = self._unit(mods, head, country_iso3, year)
            if unit is not None:
                return unit
            kind = self._bare_kind[head]
            if "police" in mods or "riot" in mods:
                kind = "police"
            return self.dict.state_actor(country_iso3, kind, year)
        if head in self._generic_word:
            kind = self._generic_word[head]
            if kind == "unidentified" and _STATE_MODS.search(mods):
                if not country_iso3:
                    return None
                return self.dict.state_actor(country_iso3, "police" if "police" in mods else "military", year)
            return self.dict.generic_actor(kind, country_iso3)
        return None

    def _unknown_orgs(self, doc: Doc, chosen: list[_Cand], country_iso3: str | None) -> list[_Cand]:
        """spaCy ORG/NORP entities the dictionary does not know, kept with a guessed inter code."""
        out: list[_Cand] = []
        taken = [(c.start, c.end) for c in chosen if c.actor.kind != "unidentified"]
        text = doc_text(doc)
        for ent in doc.ents:
            if ent.label_ not in ("ORG", "NORP"):
                continue
            s, e = ent.start_char, ent.end_char
            if any(s < te and ts < e for ts, te in taken):
                continue
            name = re.sub(r"^(?:the|The)\s+", "", ent.text).strip()
            name = re.sub(r"['\u2019]s$", "", name)
            if not name or name in self.dict.country_names or name in self.dict.demonyms:
                continue
            actor: Actor | None = None
            if ent.label_ == "NORP":
                m = self._identity_re.match(text[e:].lstrip())
                if m and name.lower() not in self._not_ethnic:  # "Dinka militiamen" -> Dinka Ethnic Militia (South Sudan)
                    end = e + (len(text[e:]) - len(text[e:].lstrip())) + m.end()
                    cname = self.dict.country_name(country_iso3)
                    aname = f"{name} Ethnic Militia" + (f" ({cname})" if cname else "")
                    actor = Actor(name=aname, inter=4, country=country_iso3, kind="identity", guessed=True)
                    e = end
            else:
                g = self.dict.guess(name)
                if g:
                    actor = Actor(name=name, inter=g[0], country=country_iso3, kind=g[1], guessed=True)
            if actor is not None:
                out.append(_Cand((0, 9, s), s, e, actor))
                taken.append((s, e))
        heads = set(self.dict.identity_heads)
        # a people's name before "youths" or "farmers" takes the generic word into the militia's name
        taken_people = [(c.start, c.end) for c in chosen if c.actor.kind not in ("unidentified", *CIVILIAN_KINDS)]
        taken_people += [(c.start, c.end) for c in out]
        for t in doc[:-1]:  # "Dinka militiamen", "Nuer youths": a capitalised name before a militia noun
            nxt = doc[t.i + 1]
            if not (t.is_title and nxt.lower_ in heads and t.pos_ in ("PROPN", "ADJ", "NOUN")):
                continue
            if t.lower_ in self._not_ethnic or t.text in self.dict.demonyms or t.text in self.dict.country_names:
                continue
            if t.is_sent_start and t.pos_ != "PROPN" and self._generic_word.get(nxt.lower_) in CIVILIAN_KINDS:
                continue  # "Women farmers ..." at the head of a sentence is no people's name
            s, e = t.idx, nxt.idx + len(nxt.text)
            if any(s < te and ts < e for ts, te in taken_people):
                continue
            cname = self.dict.country_name(country_iso3)
            aname = f"{t.text} Ethnic Militia" + (f" ({cname})" if cname else "")
            actor = Actor(name=aname, inter=4, country=country_iso3, kind="identity", guessed=True)
            out.append(_Cand((0, 9, s), s, e, actor))
            taken.append((s, e))
            taken_people.append((s, e))
        for s, e in self._proper_chunks(doc):  # names the small NER model missed
            if any(s < te and ts < e for ts, te in taken):
                continue
            name = text[s:e]
            g = self.dict.guess(name)
            if g and name not in self.dict.country_names:
                actor = Actor(name=name, inter=g[0], country=country_iso3, kind=g[1], guessed=True)
                out.append(_Cand((0, 9, s), s, e, actor))
                taken.append((s, e))
        for t in doc:  # "EPLC clashed against M23": an acronym the dictionary does not know, acting as a side
            if not self._unknown_acronym(t):
                continue
            s, e = t.idx, t.idx + len(t.text)
            if any(s < te and ts < e for ts, te in taken):
                continue
            actor = Actor(name=t.text, inter=self._acronym_inter, country=country_iso3, kind="militia", guessed=True)
            out.append(_Cand((0, 9, s), s, e, actor))
            taken.append((s, e))
        for c in out:  # "Citizens Coalition for Change (CCC)" -> "CCC: Citizens Coalition for Change", ACLED's style
            m = _PAREN_ACRONYM.match(text, c.end)
            if m and c.actor.kind != "identity" and not c.actor.name.startswith(m.group(1)):
                c.actor = c.actor.model_copy(update={"name": f"{m.group(1)}: {c.actor.name}"})
        return out

    def _unknown_acronym(self, t: Token) -> bool:
        """An all-capital word of 2-6 letters that is the subject of a verb of fighting or the object of "against",
        "with", "between" or "by" under one, and names no country."""
        w = t.text
        if not (2 <= len(w) <= 6 and w.isupper() and w.replace("-", "").isalpha()):
            return False
        if w in self.dict.country_names or w in self._acronym_skip:
            return False
        if t.ent_type_ in ("LOC", "FAC", "DATE"):
            return False
        if self._dateline(t):  # "BAMAKO, Oct 15 -": a news dateline's city in capitals, not a group
            return False
        head = t.head
        if t.dep_ in ("nsubj", "conj") and head.lemma_.lower() in self._acronym_verbs:
            return t.dep_ == "nsubj" or head.dep_ == "nsubj"
        if t.dep_ == "pobj" and head.lower_ in self._acronym_preps:
            gov = head.head
            return gov.lemma_.lower() in self._acronym_verbs or gov.lemma_.lower() in self._symmetric
        return False

    @staticmethod
    def _dateline(t: Token) -> bool:
        """The capitalised place that opens a paragraph before a comma, a bracket or a dash (a dateline)."""
        text = doc_text(t.doc)
        line_start = text.rfind("\n", 0, t.idx) + 1
        if text[line_start:t.idx].strip(" \t\"'*_-"):
            return False
        return text[t.idx + len(t.text):t.idx + len(t.text) + 2].lstrip()[:1] in (",", "(", "-", "\u2013", "\u2014")

    @staticmethod
    def _proper_chunks(doc: Doc) -> list[tuple[int, int]]:
        """Runs of two or more capitalised words ("Tigray Liberation Brigade", "Front for the Liberation of X")."""
        out: list[tuple[int, int]] = []
        i, n = 0, len(doc)
        while i < n:
            t = doc[i]
            if t.is_title and t.pos_ in ("PROPN", "NOUN", "ADJ") and t.lower_ != "the":
                j = i
                while j + 1 < n and (
                    doc[j + 1].is_title or (doc[j + 1].lower_ in _ORG_LINK and j + 2 < n and doc[j + 2].is_title)
                ):
                    j += 1
                if j > i:
                    out.append((doc[i].idx, doc[j].idx + len(doc[j].text)))
                i = j + 1
            else:
                i += 1
        return out

    # ------------------------------------------------------------------------------------------
    # Search

    def search(self, query: str, limit: int = 10) -> list[Actor]:
        """Dictionary actors whose name or alias is close to ``query`` (fuzzy, best first).

        Words may come in any order ("police india"); an exact alias ("Daesh") ranks first.
        """
        from rapidfuzz import fuzz, process, utils

        if self._search_pairs is None:
            pairs = self.dict.all_actors()
            for iso3, c in self.dict.countries.items():  # "Indian police", "Russia military"
                for kind, word in (("military", "army military"), ("police", "police"), ("government", "government")):
                    actor = self.dict.state_actor(iso3, kind)
                    for surface in [c["name"], *(c.get("demonyms") or [])]:
                        pairs.append((f"{surface} {word}", actor))
            self._search_pairs = pairs
        pairs = self._search_pairs
        surfaces = [p[0] for p in pairs]
        q = utils.default_process(query)
        hits = process.extract(
            q, surfaces, scorer=fuzz.token_set_ratio, processor=utils.default_process, limit=limit * 20
        )
        ranked = sorted(hits, key=lambda h: (-h[1], -fuzz.ratio(q, utils.default_process(h[0]))))
        out: list[Actor] = []
        seen: set[str] = set()
        for _surface, _score, idx in ranked:
            a = pairs[idx][1]
            if a.name not in seen:
                seen.add(a.name)
                out.append(a)
            if len(out) >= limit:
                break
        return out

    # ------------------------------------------------------------------------------------------
    # Inter codes

    @staticmethod
    def inter_for(actor: Actor | None, event_country_iso3: str | None) -> int | None:
        """The actor's inter code in an event in ``event_country_iso3``: a state's forces abroad are 8."""
        if actor is None:
            return None
        if actor.inter == 1 and actor.country and event_country_iso3 and actor.country != event_country_iso3:
            return 8
        return actor.inter

    # ------------------------------------------------------------------------------------------
    # Roles

    def roles(
        self,
        doc: Doc,
        trigger_start: int,
        trigger_end: int,
        mentions: Sequence[ActorMention],
        country_iso3: str | None = None,
        sub_event_type: str | None = None,
        year: int | None = None,
    ) -> Roles:
        """actor1/actor2 (+ associated actors) of the event whose trigger is ``doc_text(doc)[trigger_start:trigger_end]``.

        Reads the parse (active and passive clauses, nominal triggers with "by"/"on"/"between",
        appositions, relative clauses, conjunctions), falls back to the nearest mentions in the
        sentence, then applies ACLED's conventions for ``sub_event_type``.
        """
        trigger_start = max(0, min(trigger_start, len(doc_text(doc))))
        trigger_end = max(trigger_start, min(trigger_end, len(doc_text(doc))))
        span = doc.char_span(trigger_start, trigger_end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return Roles()
        trig = span.root
        try:
            sent = trig.sent
        except ValueError:  # a pipeline without sentence boundaries: the whole text is one sentence
            sent = doc[:]
        ms = [m for m in mentions if m.start >= sent.start_char and m.end <= sent.end_char]
        agents, patients = self._syntax(trig, span, ms, country_iso3, year)
        agents = [self._localise(m, country_iso3, year) for m in agents]
        patients = [self._localise(m, country_iso3, year) for m in patients]
        a1, assoc1 = self._first_two(agents)
        a2, assoc2 = self._first_two([p for p in patients if a1 is None or p.start != a1.start])
        if a1 is None:
            a1 = self._demonym_modifier(trig, country_iso3, year)
        if self._is_defence(trig):
            # "the army repelled the attack": the repelled side is actor1, the side that repelled it actor2
            attacker = a2 if a2 is not None and a2.actor.kind not in CIVILIAN_KINDS else None
            if attacker is None:
                attacker = self._earlier_side(doc, mentions, sent, trigger_start, exclude=a1, country_iso3=country_iso3,
                                              year=year)  # fmt: skip
            a1, a2, assoc1, assoc2 = attacker, a1, assoc2, assoc1
        symmetric = trig.lemma_.lower() in self._symmetric
        if symmetric and a1 is not None and a2 is None and assoc1 is not None and assoc1.actor.name != a1.actor.name:
            a2, assoc1 = assoc1, None  # "X and Y clashed": two sides, not allies
        if sub_event_type in _VIOLENT_TYPES and (a1 is None or a1.actor.kind == "unidentified"):
            # nobody named in the sentence: a claim of responsibility or the authorities' suspect elsewhere
            named = self._responsible(doc, mentions, exclude=a2)
            if named is not None:
                a1 = self._localise(named, country_iso3, year)
        # fallbacks: nearest plausible mentions in the sentence
        used = {id(x) for x in (a1, a2, assoc1, assoc2) if x is not None}
        if a1 is None:
            before = [m for m in ms if m.end <= trigger_start and id(m) not in used and not self._weak(m)]
            before = [m for m in before if m.actor.kind not in CIVILIAN_KINDS]
            before = [m for m in before if a2 is None or m.actor.name != a2.actor.name]
            if before:
                # "the military attacked the TNLA camps and both sides exchanged fire": the subject that acted first
                subj = [m for m in before if self._is_subject(doc, m)]
                a1 = subj[0] if subj else before[-1]
                if a2 is None and symmetric:
                    other = [m for m in before if m.start > a1.start and m.actor.name != a1.actor.name]
                    a2 = self._localise(other[0], country_iso3, year) if other else None
                a1 = self._localise(a1, country_iso3, year)  # a mention read for another country of the article
        if a1 is None:
            # a trigger that only names the event ("Property destruction: on Monday, X burned ..."): the subject of
            # the clause that tells it acted
            subj = [m for m in ms if m.start >= trigger_end and id(m) not in used and self._is_subject(doc, m)]
            if subj:
                a1 = self._localise(subj[0], country_iso3, year)
                if a2 is not None and a2.start == a1.start:
                    a2 = None
        if a1 is None and sub_event_type in _ARMED_SIDE_TYPES:
            # "a group of pastoralists armed with machetes attacked a farmer" parsed astray: herders, farmers or
            # villagers named before the trigger acted (the conventions make them a communal or ethnic militia)
            armed = [m for m in ms if m.end <= trigger_start and m.actor.kind == "civilians" and self._arms_word(m)
                     and (a2 is None or m.start != a2.start) and self._heads_clause(doc, m)]  # fmt: skip
            if armed:
                a1 = self._localise(armed[-1], country_iso3, year)
        if a1 is None and sub_event_type in _ARMED_SIDE_TYPES:
            # "They exchanged fire with the army": the side that acted in the report's earlier sentences
            a1 = self._earlier_side(doc, mentions, sent, trigger_start, exclude=a2, country_iso3=country_iso3, year=year)
            if sub_event_type in _SYMMETRIC_TYPES and a2 is not None:
                # "X attacked a Y unit. Two X fighters were killed in the clash": the dead are the attackers, the
                # side they attacked the other
                first = self._earlier_side(doc, mentions, sent, trigger_start, exclude=None, country_iso3=country_iso3,
                                           year=year)  # fmt: skip
                if first is not None and first.actor.name == a2.actor.name and a1 is not None:
                    a1, a2 = first, a1
        if a2 is None and sub_event_type not in _PROTEST_TYPES:
            after = [m for m in ms if m.start >= trigger_end and not self._weak(m) and m.actor.kind != "protesters"]
            after = [m for m in after if a1 is None or (m.start != a1.start and m.actor.name != a1.actor.name)]
            if after:
                a2 = self._localise(after[0], country_iso3, year)
        if a2 is None and a1 is not None and sub_event_type in _SYMMETRIC_TYPES:
            # "X stormed a police station. Four X fighters died in the ensuing clash": the other side named before
            a2 = self._earlier_side(doc, mentions, sent, trigger_start, exclude=a1, country_iso3=country_iso3, year=year)
        if a2 is None and sub_event_type in _REMOTE_TYPES:
            # "12 people were killed when a car bomb exploded": the victims named anywhere in the sentence
            victims = [m for m in ms if m.actor.kind in CIVILIAN_KINDS]
            if victims:
                a2 = self._localise(victims[0], country_iso3, year)
        if a1 is not None and a1.text in self._plural_dem and sub_event_type in _VIOLENT_TYPES and a1.actor.country:
            # "the Russians shelled the town": a people acting in war is its state's forces
            a1 = a1.model_copy(update={"actor": self.dict.state_actor(a1.actor.country, "military", year)})
        a1 = self._violent_state(a1, sub_event_type)
        a2 = self._violent_state(a2, sub_event_type)
        roles = Roles(actor1=a1, actor2=a2, assoc_actor_1=assoc1, assoc_actor_2=assoc2)
        every = _Localised(self, mentions, country_iso3, year)
        return self._conventions(roles, doc, span, ms, every, country_iso3, sub_event_type, year)

    def _is_defence(self, trig: Token) -> bool:
        """The trigger tells of a side defending itself ("repelled", "fended off", "beat back")."""
        lemma = trig.lemma_.lower()
        if lemma not in self._defence:
            return False
        if lemma in self._defence_needs_particle:
            return any(c.lower_ in self._defence_particles for c in trig.children)
        return True

    def _earlier_side(
        self,
        doc: Doc,
        mentions: Sequence[ActorMention],
        sent: Span,
        trigger_start: int,
        exclude: ActorMention | None,
        country_iso3: str | None,
        year: int | None,
    ) -> ActorMention | None:
        """The side that acted before the trigger: a mention earlier in its sentence, else the subject (failing that
        the first armed mention) of the nearest earlier sentence, up to ``earlier_sentences`` back."""

        def usable(m: ActorMention) -> bool:
            if self._weak(m) or m.actor.kind in CIVILIAN_KINDS or m.actor.kind in ("protesters", "government"):
                return False
            return exclude is None or m.actor.name != exclude.actor.name

        before = [m for m in mentions if sent.start_char <= m.start and m.end <= trigger_start and usable(m)]
        if before:
            return self._localise(before[0], country_iso3, year)
        prev = sent.start
        for _ in range(self._earlier_sentences):
            if prev <= 0:
                break
            earlier = doc[prev - 1].sent
            ms = [m for m in mentions if earlier.start_char <= m.start and m.end <= earlier.end_char and usable(m)]
            if ms:
                # the subject's phrase, its named group before a generic word ("rebels of the ADF")
                subj = [m for t in earlier if self._acting_subject(t) for m in self._mentions_under(t, ms)]
                speakers = [m for t in earlier if self._speaking_subject(t) for m in self._mentions_under(t, ms)]
                ms = [m for m in ms if all(m is not x for x in speakers)]  # who said it is no side of the event
                if not ms:
                    prev = earlier.start
                    continue
                subj.sort(key=lambda m: m.actor.kind in _GENERIC_KINDS)
                return self._localise((subj or ms)[0], country_iso3, year)
            prev = earlier.start
        if sent.start == 0 and sent.end < len(doc):
            # a headline or lead ("Drone strike hits Sumy") is told by the sentence that follows: its subject, unless
            # that sentence reports what someone said (a side's counter-claim names no side of the event)
            lead = doc[sent.end].sent
            ms = [m for m in mentions if lead.start_char <= m.start and m.end <= lead.end_char and usable(m)]
            lead_all = [m for m in mentions if lead.start_char <= m.start and m.end <= lead.end_char]
            subj = [m for t in lead if self._acting_subject(t) and not self._said_by_a_side(t, lead_all)
                    for m in self._mentions_under(t, ms)]  # fmt: skip
            if subj:
                subj.sort(key=lambda m: m.actor.kind in _GENERIC_KINDS)
                return self._localise(subj[0], country_iso3, year)
        return None

    def _acting_subject(self, t: Token) -> bool:
        """The subject of a verb that is not one of saying ("X said", "X claimed" tell who spoke, not who acted)."""
        return t.dep_ == "nsubj" and t.head.pos_ in ("VERB", "AUX") and t.head.lemma_.lower() not in self._say_verbs

    def _speaking_subject(self, t: Token) -> bool:
        return t.dep_ == "nsubj" and t.head.lemma_.lower() in self._say_verbs

    def _said_by_a_side(self, t: Token, ms: Sequence[ActorMention]) -> bool:
        """The token's clause is what a side of the conflict said ("Russia's defence ministry said [Ukrainian forces
        had shelled ...]"): a claim, not the event's own telling (a governor or witness quoted is not a side)."""
        v = t.head
        for _ in range(6):
            if v.dep_ in ("ccomp", "xcomp", "conj") and v.head.lemma_.lower() in self._say_verbs:
                speakers = [c for c in v.head.children if c.dep_ == "nsubj"]
                sides = [m for c in speakers for m in self._mentions_under(c, ms)]
                return any(m.actor.kind not in _GENERIC_KINDS for m in sides)
            if v.head.i == v.i:
                return False
            v = v.head
        return False

    def _responsible(
        self, doc: Doc, mentions: Sequence[ActorMention], exclude: ActorMention | None
    ) -> ActorMention | None:
        """The named actor that claimed the attack or that the authorities blamed, anywhere in the text."""
        named = [m for m in mentions if m.actor.kind not in _GENERIC_KINDS and not self._weak(m)]
        if exclude is not None:
            named = [m for m in named if m.actor.name != exclude.actor.name]
        if not named:
            return None
        for t in doc:
            lemma = t.lemma_.lower()
            subj: Token | None = None
            if lemma in self._claim_verbs:
                objs = [c for c in t.children if c.dep_ in ("dobj", "attr")]
                if not any(o.lemma_.lower() in self._claim_objects for o in objs):
                    continue
                subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.pos_ == "PRON" and t.head.lemma_.lower() in self._say_verbs:
                    subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)  # "X said it carried out"
            elif lemma in self._blame_verbs:
                # "police suspected X", "the attack was blamed on X"
                subj = next((c for c in t.children if c.dep_ == "dobj"), None)
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ in ("on", "to"):
                        subj = next((p for p in c.children if p.dep_ == "pobj"), subj)
            if subj is None:
                continue
            found = [m for m in self._mentions_under(subj, named)]
            if found:
                return found[0]
        return None

    def _localise(self, m: ActorMention, iso3: str | None, year: int | None) -> ActorMention:
        """Name the mention for the event's country when ``find`` used another one (a multi-country article).

        Only words that carry no country of their own move: "the army", "gunmen", "ISIS"; never
        "Syrian troops" or "IDF".
        """
        if iso3 is None or m.actor.country == iso3:
            return m
        actor: Actor | None = None
        entry = self._split_of.get(m.actor.name)
        if entry is None:
            entry = next((e for r, e in self._split_res if r.fullmatch(m.actor.name)), None)
        if entry is not None:
            actor = self.dict.resolve(entry, iso3)
        elif self._one_dem_re.search(_fold(m.text)) is None and self._country_re.search(m.text) is None:
            bare = self._bare_re.fullmatch(m.text)
            if bare is not None and (m.actor.kind in STATE_KINDS or m.actor.kind in _GENERIC_KINDS):
                head = re.sub(r"\s+", " ", bare.group("head").lower())
                actor = self._bare_actor(head, bare.group("mods").lower(), iso3, year)
        if actor is None or actor.name == m.actor.name:
            return m
        return m.model_copy(update={"actor": actor})

    # -- syntax -----------------------------------------------------------------------------------

    def _syntax(
        self, trig: Token, span: Span, ms: Sequence[ActorMention], iso3: str | None = None, year: int | None = None
    ) -> tuple[list[ActorMention], list[ActorMention]]:
        """Agents and patients of ``trig`` read from the parse, nearest first."""
        agents: list[ActorMention] = []
        patients: list[ActorMention] = []

        def add(target: list[ActorMention], tok: Token | None) -> None:
            if tok is None:
                return
            for m in self._mentions_under(tok, ms):
                if all(m is not x for x in target):
                    target.append(m)

        children = list(trig.children)
        # "a group of herders attacked and wounded a farmer": a participle with an object is active, whatever the
        # small parser made of it
        has_object = any(c.dep_ == "dobj" for c in children) or any(
            c.dep_ == "conj" and any(g.dep_ == "dobj" for g in c.children) for c in children
        )
        # "X, supported by Y, clashed with Z": the small parser hangs "clashed" on X as a participle; verbs of two
        # sides fighting are intransitive and never passive without an auxiliary
        participle = trig.tag_ == "VBN" and trig.dep_ in ("acl", "amod") and trig.lemma_.lower() not in self._symmetric
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children) or (participle and not has_object)
        is_verb = trig.pos_ in ("VERB", "AUX") or (trig.pos_ != "NOUN" and trig.dep_ == "ROOT")
        if trig.tag_ == "VBG" and trig.dep_ == "pobj":
            is_verb = False  # a gerund after a preposition is the event's noun ("killed in shelling")
        if is_verb:
            for c in children:
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            add(agents, p)
                elif c.dep_ == "nsubj" and not passive:
                    add(agents, c)
                elif c.dep_ in ("nsubjpass",) or (c.dep_ == "nsubj" and passive):
                    add(patients, c)
                elif c.dep_ in ("dobj", "dative", "attr", "oprd"):
                    add(patients, c)
                elif c.dep_ == "prep" and (c.lower_ in _PATIENT_PREPS or c.lower_ == "to"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            add(patients, p)
                elif (
                    c.dep_ == "prep"
                    and c.lower_ in ("with", "between", "alongside")
                    and trig.lemma_.lower() in self._symmetric
                ):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            add(patients, p)
            # object of "opened fire on", "launched an attack on": the noun's preps
            for c in children:
                if c.dep_ == "dobj":
                    for cc in c.children:
                        if cc.dep_ == "prep" and cc.lower_ in _PATIENT_PREPS:
                            for p in cc.children:
                                if p.dep_ == "pobj":
                                    add(patients, p)
            if not agents:
                # relative clause: "the militants who attacked ..." / "civilians who were killed by ..."
                if trig.dep_ == "relcl":
                    add(patients if passive else agents, trig.head)
                elif trig.dep_ in ("acl",) and passive:
                    add(patients, trig.head)
                elif trig.dep_ in ("acl",) and (trig.tag_ == "VBG" or participle):
                    add(agents, trig.head)
                elif (
                    trig.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp")
                    and trig.head.pos_ in ("VERB", "AUX")
                    and not any(c.dep_ in ("nsubj", "nsubjpass", "csubj") and c.pos_ != "PRON" for c in children)
                ):  # "X stormed the village, killing ...", "X said it had struck ...": the subject is shared
                    head = trig.head
                    for c in head.children:
                        if c.dep_ == "nsubj" and not passive:
                            add(agents, c)
                        elif c.dep_ == "agent":
                            for p in c.children:
                                if p.dep_ == "pobj":
                                    add(agents, p)
                    if not agents and head.dep_ in ("relcl", "acl") and not passive and head.tag_ != "VBN" or (
                        not agents and head.dep_ == "acl" and head.tag_ == "VBN" and has_object
                    ):
                        add(agents, head.head)
            if not agents:
                # "killed in an air strike by X", "died during clashes with X": the event noun decides
                for c in children:
                    if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "during", "after", "amid", "by", "following"):
                        for p in c.children:
                            if p.dep_ == "pobj" and p.lemma_.lower() in self._event_nouns:
                                a, pa = self._syntax(p, p.doc[p.i : p.i + 1], ms, iso3, year)
                                if not a and patients and p.lemma_.lower() in self._symmetric:
                                    # "rebels killed in clashes with X": X killed them
                                    a = [x for x in pa if all(x is not y for y in patients)]
                                    pa = []
                                agents.extend(x for x in a if all(x is not y for y in agents))
                                if not patients:
                                    patients.extend(x for x in pa if all(x is not y for y in agents))
        else:  # nominal trigger: "an air strike by X on Y", "clashes between X and Y"
            for c in children:
                if c.dep_ == "prep" and c.lower_ in _AGENT_PREPS_NOUN:
                    for p in c.children:
                        if p.dep_ == "pobj":
                            add(agents, p)
                elif c.dep_ == "prep" and c.lower_ == "between":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            found = sorted(self._mentions_under(p, ms), key=lambda m: m.start)
                            if found:
                                agents.append(found[0])
                                patients.extend(found[1:2])
                elif c.dep_ == "prep" and c.lower_ in _PATIENT_PREPS | {"of", "with"}:
                    for p in c.children:
                        if p.dep_ == "pobj":
                            add(patients, p)
                elif c.dep_ in ("poss", "compound", "nmod", "amod"):
                    add(agents, c)
                elif c.dep_ == "acl":  # "an attack targeting Y"
                    for p in c.children:
                        if p.dep_ == "dobj":
                            add(patients, p)
                        elif p.dep_ == "agent":
                            for q in p.children:
                                if q.dep_ == "pobj":
                                    add(agents, q)
            # "an exchange of shelling between X and Y", "a wave of attacks by X": the governing noun's phrases
            if not agents and trig.dep_ == "pobj" and trig.head.lower_ == "of" and trig.head.head.pos_ == "NOUN":
                gov = trig.head.head
                rest = [m for m in ms if not (m.start <= gov.idx < m.end)]
                a, pa = self._syntax(gov, gov.doc[gov.i : gov.i + 1], rest, iso3, year)
                agents.extend(a)
                patients.extend(x for x in pa if all(x is not y for y in patients) and all(x is not y for y in agents))
            if not agents:  # "a Ukrainian shelling attack"
                dm = self._demonym_modifier(trig, iso3, year)
                if dm is not None:
                    agents.append(dm)
            # the trigger inside a mention ("Russian air strikes" is both the mention and the trigger)
            for m in ms:
                if m.start <= span.start_char < m.end and all(m is not x for x in agents):
                    agents.insert(0, m)
            head = trig.head
            if trig.dep_ in ("dobj", "pobj") and head.pos_ in ("VERB", "AUX", "ADP"):
                verb = head.head if head.pos_ == "ADP" else head
                no_object = not any(c.dep_ == "dobj" for c in verb.children)
                verb_passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
                    verb.tag_ == "VBN" and no_object and (
                        verb.dep_ in ("acl", "relcl")
                        # a headline's "six soldiers killed in shelling": a participle with no auxiliary
                        or (verb.dep_ == "ROOT" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children))
                    )
                )
                if head.pos_ == "ADP" and verb_passive and verb.pos_ == "VERB":
                    # "six soldiers killed in shelling", "soldiers were wounded in an ambush": the victims
                    for c in verb.children:
                        if c.dep_ in ("nsubjpass", "nsubj"):
                            add(patients, c)
                        elif c.dep_ == "agent" and not agents:
                            for p in c.children:
                                if p.dep_ == "pobj":
                                    add(agents, p)
                    if verb.dep_ in ("acl", "relcl"):
                        add(patients, verb.head)
                else:
                    # "X launched an attack on Y", "X carried out strikes"
                    for c in verb.children:
                        if c.dep_ == "nsubj" and not agents:
                            add(agents, c)
                        elif c.dep_ == "agent" and not agents:
                            for p in c.children:
                                if p.dep_ == "pobj":
                                    add(agents, p)
                    if not agents and verb.dep_ == "relcl":
                        add(agents, verb.head)
            elif trig.dep_ in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
                # "An air strike by X killed five civilians"
                for c in head.children:
                    if c.dep_ in ("dobj",) and not patients:
                        add(patients, c)
                    elif c.dep_ == "prep" and c.lower_ in _PATIENT_PREPS and not patients:
                        for p in c.children:
                            if p.dep_ == "pobj":
                                add(patients, p)
        return agents, patients

    def _mentions_under(self, tok: Token, ms: Sequence[ActorMention]) -> list[ActorMention]:
        """Mentions on ``tok`` or reachable through its noun-phrase children (appositions, "of", conjuncts)."""
        out: list[ActorMention] = []
        conj: set[int] = set()  # mentions reached through a conjunct: another side, never before the head's own
        seen: set[int] = set()
        queue: list[tuple[Token, int, bool, bool]] = [(tok, 0, False, False)]  # token, depth, via a preposition, a conjunct
        while queue:
            t, depth, via_prep, via_conj = queue.pop(0)
            if t.i in seen:
                continue
            seen.add(t.i)
            for m in ms:
                if m.start <= t.idx < m.end and all(m is not x for x in out):
                    if via_prep and self._weak(m):
                        continue  # a country name inside a phrase ("positions of the army in Syria") is a place
                    out.append(m)
                    if via_conj:
                        conj.add(id(m))
            if depth >= 4:
                continue
            for c in t.children:
                if c.dep_ in _NP_DEPS:
                    queue.append((c, depth + 1, via_prep, via_conj or c.dep_ == "conj"))
                elif c.dep_ == "prep" and c.lower_ in ("of", "from", "including", "among", "belonging"):
                    queue.extend((p, depth + 1, True, via_conj) for p in c.children if p.dep_ == "pobj")
        # named actors before generic ones ("fighters of the X Brigade"), then in reading order
        out.sort(key=lambda m: (self._weak(m), id(m) in conj, m.actor.kind == "unidentified", m.start))
        return out

    def _among(self, span: Span) -> bool:
        """The event's sentence tells of one kind of side fighting itself ("among", "one another", "rival")."""
        if self._among_re is None:
            return False
        try:
            sent = span.root.sent
        except ValueError:
            sent = span.doc[:]
        return self._among_re.search(sent.text) is not None

    def _two_sided(self, span: Span) -> Token | None:
        """The word of the event's sentence that tells of two sides fighting each other ("clashed", "a fight")."""
        try:
            sent = span.root.sent
        except ValueError:
            sent = span.doc[:]
        return next((t for t in sent if t.lemma_.lower() in self._mutual), None)

    def _is_subject(self, doc: Doc, m: ActorMention) -> bool:
        """The mention is the subject of an active verb (not a country name standing for a place)."""
        if self._weak(m):
            return False
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        while root.dep_ in ("compound", "amod", "pobj", "prep") and root.head.i != root.i and root.head.pos_ != "VERB":
            root = root.head  # "a group of farmers": the group is the subject
        if root.dep_ == "appos" and root.head.dep_ == "ROOT" and root.head.pos_ in ("NOUN", "PROPN"):
            return True  # "Looting: on Monday, a farmer ...": the parser hangs the clause on the label
        return root.dep_ == "nsubj" and root.head.pos_ in ("VERB", "AUX")

    @staticmethod
    def _first_two(found: list[ActorMention]) -> tuple[ActorMention | None, ActorMention | None]:
        if not found:
            return None, None
        first = found[0]
        for m in found[1:]:
            generic = "unidentified" in (m.actor.kind, first.actor.kind)
            if m.actor.name != first.actor.name and not generic:
                return first, m
        return first, None

    def _weak(self, m: ActorMention) -> bool:
        """Country names: actors only when the parse says so, never by proximity."""
        return m.actor.kind == "government" and m.text in self.dict.country_names

    def _demonym_modifier(self, trig: Token, country_iso3: str | None, year: int | None) -> ActorMention | None:
        """"a Russian air strike", "an Israeli raid": the demonym modifying a nominal trigger."""
        tokens = [trig, *trig.children] if trig.pos_ in ("NOUN", "PROPN") else []
        for t in tokens:
            if t is not trig and t.dep_ not in ("amod", "compound", "nmod"):
                continue
            if t.text in self.dict.demonyms:
                iso3 = self.dict.pick_country(t.text, country_iso3)
                actor = self.dict.state_actor(iso3, "military", year)
                return ActorMention(start=t.idx, end=t.idx + len(t.text), text=t.text, actor=actor)
        return None

    @staticmethod
    def _violent_state(m: ActorMention | None, sub_event_type: str | None) -> ActorMention | None:
        """A government (country name) that fights is its military."""
        if m is None or sub_event_type not in _VIOLENT_TYPES or not m.actor.name.startswith("Government of"):
            return m
        name = m.actor.name.replace("Government of", "Military Forces of", 1)
        actor = m.actor.model_copy(update={"name": name, "kind": "military"})
        return m.model_copy(update={"actor": actor})

    # -- conventions ------------------------------------------------------------------------------

    @staticmethod
    def _synth(actor: Actor, start: int, end: int, doc: Doc, every: _Localised) -> ActorMention:
        """An actor the conventions imply ("Protesters (Kenya)" for a march, "Civilians (X)" as victims).

        Its evidence is the nearest words elsewhere in the text that name the same actor ("the
        marchers" two sentences on); failing that, the trigger the inference was drawn from.
        """
        same = every.named(actor.name)
        if same:
            return min(same, key=lambda m: abs(m.start - start))
        return ActorMention(start=start, end=end, text=doc_text(doc)[start:end], actor=actor)

    def _conventions(
        self,
        r: Roles,
        doc: Doc,
        span: Span,
        ms: Sequence[ActorMention],
        every: _Localised,
        iso3: str | None,
        sub: str | None,
        year: int | None,
    ) -> Roles:
        """ACLED's conventions for the sub-event type (``ms``: the sentence's mentions; ``every``: the text's)."""
        d = self.dict
        ts, te = span.start_char, span.end_char
        a1, a2, s1, s2 = r.actor1, r.actor2, r.assoc_actor_1, r.assoc_actor_2
        if sub in _PROTEST_TYPES or sub in _RIOT_TYPES:
            kind = "protesters" if sub in _PROTEST_TYPES else "rioters"
            if a1 is None or a1.actor.kind != kind:
                same = [m for m in ms if m.actor.kind == kind]
                if a1 is not None and a1.actor.kind not in ("military", "police", "government") and s1 is None:
                    s1 = a1  # students, a party, a union: associated with the protesters
                elif a1 is not None and a1.actor.kind in ("military", "police") and a2 is None:
                    a2 = a1
                a1 = same[0] if same else self._synth(d.generic_actor(kind, iso3), ts, te, doc, every)
            if s1 is not None and s1.actor.kind == "civilians":
                s1 = None  # "farmers", "residents" protesting are the protesters themselves
            if a1.actor.country is None and iso3:  # "protesters" read before the country was known
                a1 = a1.model_copy(update={"actor": d.generic_actor(kind, iso3)})
            if sub == "Mob violence":
                a2 = self._people_as_victims(a2, iso3)  # a mob's victims are civilians, whatever their people
            if sub in _PROTEST_TYPES:
                if sub in _INTERVENTION_TYPES:
                    if a2 is None or a2.actor.kind not in ("police", "military"):
                        force = [m for m in ms if m.actor.kind in ("police", "military")]
                        a2 = force[0] if force else self._police(iso3, year, ts, te, doc, every)
                    if sub not in self._protesters_first:
                        # a codebook that names the force that used lethal force first
                        a1, a2, s1, s2 = a2, a1, s2, s1
                else:
                    a2, s2 = None, None
            elif sub == "Mob violence" and (a2 is None or a2.actor.kind in CIVILIAN_KINDS):
                mutual = self._two_sided(span)
                if mutual is not None:
                    # two crowds or communities fighting each other: rioters on both sides (the evidence: the word)
                    a2 = ActorMention(start=mutual.idx, end=mutual.idx + len(mutual.text), text=mutual.text,
                                      actor=d.generic_actor("rioters", iso3))  # fmt: skip
                else:
                    a2, s2 = self._civilians(a2, s2, iso3, ts, te, doc, every)
            elif sub == "Violent demonstration" and a2 is None:
                # the police or army that faced the demonstrators, named anywhere in the report
                force = every.of_kinds(frozenset({"police", "military"}))
                force = [m for m in force if m.actor.country in (None, iso3)]
                if force:
                    a2 = force[0]
        elif sub in _VAC_TYPES:
            armed = self._armed_civilian(a1, doc, iso3)
            if armed is not None:
                a1, assoc = armed
                s1 = s1 or assoc
            a2 = self._people_as_victims(a2, iso3)
            if a2 is None or a2.actor.kind in CIVILIAN_KINDS or a2.actor.kind in ("protesters",):
                a2, s2 = self._civilians(a2, s2, iso3, ts, te, doc, every)
            if a1 is None or a1.actor.kind in CIVILIAN_KINDS:
                unid = [m for m in ms if m.actor.kind == "unidentified"]
                a1 = unid[0] if unid else self._synth(d.generic_actor("unidentified", iso3), ts, te, doc, every)
        elif sub in self._own_activity:
            if a1 is None and iso3 and self._measures is not None:
                try:
                    sent = span.root.sent
                except ValueError:
                    sent = doc[:]
                w = self._measures.search(sent.text)
                if w is not None:  # "a curfew was put in place": the government's measure
                    s0 = sent.start_char + w.start()
                    a1 = self._synth(d.state_actor(iso3, "government", year), s0, s0 + len(w.group()), doc, every)
            if a1 is None:  # "the house was surrounded by police": a state force that acts in the sentence
                force = [m for m in ms if m.actor.kind in ("police", "military") and m.actor.country in (None, iso3)
                         and (self._is_subject(doc, m) or self._is_agent(doc, m))]  # fmt: skip
                if force:
                    a1 = self._localise(force[0], iso3, year)
                    a2 = None if a2 is not None and a2.start == a1.start else a2
            if a1 is None and a2 is not None:  # "members of an armed group were seen in X": the group's own activity
                a1, a2, s1, s2 = a2, None, s2, None
        elif sub == "Arrests":
            if a1 is None or a1.actor.kind in CIVILIAN_KINDS:
                force = [m for m in ms if m.actor.kind in ("police", "military")]
                a1 = force[0] if force else self._police(iso3, year, ts, te, doc, every)
        elif sub in _VIOLENT_TYPES:
            if a1 is None:
                unid = [m for m in ms if m.actor.kind == "unidentified"]
                if unid:
                    a1 = unid[0]
            if a2 is None and sub in _REMOTE_TYPES:
                a2 = self._remote_victims(doc, ts, te, every, iso3)
            # the sub-event type says who took the ground: the state ("regains") or not ("overtakes")
            state1 = a1 is not None and a1.actor.inter == 1
            state2 = a2 is not None and a2.actor.inter == 1
            if (sub == "Government regains territory" and state2 and not state1) or (
                sub == "Non-state actor overtakes territory" and state1 and a2 is not None and not state2
            ):
                a1, a2, s1, s2 = a2, a1, s2, s1
        if sub in self._planter_types:
            planter = self._planter(doc, span, ms, every)
            if planter is not None and (a1 is None or planter.actor.name != a1.actor.name):
                if a1 is not None and (a2 is None or a2.actor.name == planter.actor.name):
                    a2 = a1  # the side that struck the device is the one it hit
                elif a2 is not None and a2.actor.name == planter.actor.name:
                    a2 = None
                a1 = planter
        if sub in _PROTEST_TYPES or sub in _RIOT_TYPES:
            a1 = self._crowd_control(a1, iso3, year)
            a2 = self._crowd_control(a2, iso3, year)
        if sub in _VIOLENT_TYPES or sub in _DESTRUCTION_TYPES:
            armed = self._armed_civilian(a1, doc, iso3)
            if armed is not None:
                a1, assoc = armed
                s1 = s1 or assoc
            if sub in _SYMMETRIC_TYPES:
                armed = self._armed_civilian(a2, doc, iso3)
                if armed is not None:
                    a2, assoc = armed
                    s2 = s2 or assoc
            if sub in _DESTRUCTION_TYPES:
                a2 = self._people_as_victims(a2, iso3)
            if sub in _DESTRUCTION_TYPES and (a2 is None or a2.actor.kind in CIVILIAN_KINDS):
                a2, s2 = self._civilians(a2, s2, iso3, ts, te, doc, every)
            if a1 is not None and a2 is not None and a2.actor.kind in _GENERIC_KINDS:
                if a1.actor.kind in CIVILIAN_KINDS and sub in _VAC_TYPES | _DESTRUCTION_TYPES:
                    a1 = self._synth(d.generic_actor("unidentified", iso3), ts, te, doc, every)
            a1 = self._criminal(a1, doc, iso3)
            a2 = self._criminal(a2, doc, iso3)
        if sub in self._icp_types and a2 is None and self._icp_owner in d.entries and self._icp_weapons is not None:
            # "shot down four drones": the drones' side, unnamed
            w = self._icp_weapons.search(doc_text(doc))
            if w is not None:
                actor = d.entries[self._icp_owner].actor()
                state = a1 is not None and a1.actor.inter == 1
                enemy = self._icp_by_interceptor.get(a1.actor.country or "") if a1 is not None and state else None
                if enemy:  # the other state of a two-state war
                    actor = d.state_actor(enemy, "military", year)
                    if self._af_suffix and enemy in self._af_states:
                        actor = d.with_unit(actor, self._af_suffix)
                a2 = ActorMention(start=w.start(), end=w.end(), text=w.group(), actor=actor)
        air = sub in self._af_types or (sub in self._af_with and self._air_weapon_in_clause(doc, span))
        a1 = self._air_force(a1, air, iso3, first=True)
        a2 = self._air_force(a2, air, iso3, first=False)
        if a1 is not None and a2 is not None and a1.actor.name == a2.actor.name and a1.start == a2.start:
            if not (sub == "Mob violence" and a2.actor.kind == "rioters"):  # rioters fighting rioters: both sides
                a2 = None
        if sub in _SYMMETRIC_TYPES and a1 is not None and a2 is None and self._among(span):
            a2 = a1  # "clashes among unknown gunmen": one kind of side fighting itself
        return Roles(actor1=a1, actor2=a2, assoc_actor_1=s1, assoc_actor_2=s2)

    def _planter(self, doc: Doc, span: Span, ms: Sequence[ActorMention], every: _Localised) -> ActorMention | None:
        """The side that planted or laid the explosive ("an IED planted by X", "X laid mines"), in the event's sentence
        or the next one."""
        try:
            sent = span.root.sent
        except ValueError:
            sent = doc[:]
        sents = [sent] + ([doc[sent.end].sent] if sent.end < len(doc) else [])
        armed = every.of_kinds(frozenset(_KINDS_ARMED))
        for s_ in sents:
            local = [m for m in armed if s_.start_char <= m.start and m.end <= s_.end_char and not self._weak(m)]
            if not local:
                continue
            for t in s_:
                if t.pos_ != "VERB" or t.lemma_.lower() not in self._planter_verbs:
                    continue
                passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in t.children) or (
                    t.tag_ == "VBN" and t.dep_ in ("acl", "amod", "relcl")
                )
                heads = [p for c in t.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
                if not passive:
                    heads += [c for c in t.children if c.dep_ == "nsubj"]
                for h in heads:
                    found = self._mentions_under(h, local)
                    if found:
                        return found[0]
        return None

    def _crowd_control(self, m: ActorMention | None, iso3: str | None, year: int | None) -> ActorMention | None:
        """"Security forces" that police a protest or riot are the police."""
        if m is None or m.actor.kind != "military" or self._crowd_police is None or not m.actor.country:
            return m
        if self._crowd_police.fullmatch(_SPACES.sub(" ", m.text.strip())) is None:
            return m
        return m.model_copy(update={"actor": self.dict.state_actor(m.actor.country, "police", year)})

    def _people_as_victims(self, m: ActorMention | None, iso3: str | None) -> ActorMention | None:
        """A people's herders or farmers attacked ("gunmen killed Fulani herders"): the victims are civilians, not the
        people's militia the same words name when they attack."""
        if m is None or m.actor.kind != "identity":
            return m
        last = _SPACES.sub(" ", m.text.strip().lower()).split(" ")[-1]
        if self._generic_word.get(last) not in CIVILIAN_KINDS:
            return m
        return m.model_copy(update={"actor": self.dict.generic_actor("civilians", iso3 or m.actor.country)})

    @staticmethod
    def _mention_root(doc: Doc, m: ActorMention) -> Token | None:
        """The syntactic head of the mention's words, or None when they do not fall on tokens."""
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        return None if span is None else span.root

    @classmethod
    def _is_agent(cls, doc: Doc, m: ActorMention) -> bool:
        """The mention is the agent of a passive verb ("surrounded by police")."""
        root = cls._mention_root(doc, m)
        return root is not None and root.dep_ == "pobj" and root.head.dep_ == "agent"

    @classmethod
    def _heads_clause(cls, doc: Doc, m: ActorMention) -> bool:
        """The mention's phrase ("a group of farmers") is a subject, or the root the parser left the clause on."""
        root = cls._mention_root(doc, m)
        if root is None:
            return False
        while root.dep_ in ("compound", "amod", "pobj", "prep") and root.head.i != root.i and root.head.pos_ != "VERB":
            root = root.head
        return root.dep_ in ("nsubj", "ROOT") and (root.dep_ == "nsubj" or root.pos_ in ("NOUN", "PROPN"))

    def _arms_word(self, m: ActorMention) -> bool:
        """The mention is a word for civilians who take up arms (``armed_civilians`` in actors/generic.yaml)."""
        said = _SPACES.sub(" ", m.text.strip().lower())
        return any(pat.search(said) for pat, _ in self._armed_civ)

    def _armed_civilian(
        self, m: ActorMention | None, doc: Doc, iso3: str | None
    ) -> tuple[ActorMention, ActorMention | None] | None:
        """Farmers, villagers or herders who attack: a communal or ethnic militia, and who they are as associate."""
        if m is None or m.actor.kind != "civilians":
            return None
        text = doc_text(doc)
        said = _SPACES.sub(" ", m.text.strip().lower())
        for pat, spec in self._armed_civ:
            hit = pat.search(said)
            if hit is None:
                continue
            country = iso3 or m.actor.country
            cname = self.dict.country_name(country) or ""
            name = spec["name"].format(country=cname)
            place = _FROM_PLACE.match(text, m.end)
            if place is not None and spec.get("named"):
                name = spec["named"].format(place=place.group("place"), country=cname)
            if not cname:
                name = name.replace(" ()", "")
            actor = Actor(name=name, inter=int(spec["inter"]), country=country, kind=str(spec.get("kind") or "identity"))
            militia = m.model_copy(update={"actor": actor})
            assoc = None
            tmpl = (spec.get("associate") or {}).get(hit.group().lower())
            if tmpl:
                a = Actor(name=tmpl.format(country=cname).replace(" ()", ""), inter=7, country=country, kind="civilians")
                assoc = m.model_copy(update={"actor": a})
            return militia, assoc
        return None

    def _criminal(self, m: ActorMention | None, doc: Doc, iso3: str | None) -> ActorMention | None:
        """Unnamed attackers in organised crime: ``Unidentified Gang (X)`` (``criminal`` in actors/generic.yaml)."""
        crim = self.dict.criminal
        if m is None or m.actor.kind != "unidentified" or not crim.get("name"):
            return m
        country = m.actor.country or iso3
        if m.actor.name != self.dict.generic_actor("unidentified", country).name:
            return m
        if crim.get("countries") and country not in crim["countries"]:
            return m
        cname = self.dict.country_name(country)
        if not cname:
            return m
        if self._crim_words is not None and self._crim_words.search(m.text):
            name = crim["name"].format(country=cname)
        elif self._crim_cues is not None and self._crim_cues.search(doc_text(doc)):
            name = (crim.get("by_country") or {}).get(country) or crim["name"].format(country=cname)
        else:
            return m
        return m.model_copy(update={"actor": m.actor.model_copy(update={"name": name})})

    def _air_weapon_in_clause(self, doc: Doc, span: Span) -> bool:
        """An air weapon told in the event's own clause ("shelled the village and struck it with drones"), not in a
        clause with its own subject ("..., and a drone hit a block in another city")."""
        if self._af_words is None:
            return False
        try:
            sent = span.root.sent
        except ValueError:
            sent = doc[:]
        for w in self._af_words.finditer(sent.text):
            wspan = doc.char_span(sent.start_char + w.start(), sent.start_char + w.end(), alignment_mode="expand")
            if wspan is None:
                continue
            tok = wspan.root
            v = tok
            while v.pos_ not in ("VERB", "AUX") and v.head.i != v.i:
                v = v.head
            if v.i == span.root.i:
                return True
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.i == v.i:
                continue  # the weapon is the subject of another clause
            if not any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
                return True
        return False

    def _air_force(self, m: ActorMention | None, air: bool, iso3: str | None, first: bool) -> ActorMention | None:
        """A state's air and drone strikes coded to its air force where the codebook does so (``air_force``)."""
        if m is None or not self._af_suffix or iso3 not in self._af_events or m.actor.country not in self._af_states:
            return m
        if m.actor.kind != "military":
            return m
        by_weapon = self._af_heads is not None and self._af_heads.search(m.text.strip()) is not None
        if not ((first and air) or by_weapon):
            return m
        actor = self.dict.with_unit(m.actor, self._af_suffix)
        return m if actor is m.actor else m.model_copy(update={"actor": actor})

    def _remote_victims(
        self, doc: Doc, ts: int, te: int, every: _Localised, iso3: str | None
    ) -> ActorMention | None:
        """Victims of remote violence not named in its sentence: civilians anywhere in the text, else people killed
        or hurt (casualty words) when no armed side was hit."""
        civ = every.of_kinds(CIVILIAN_KINDS)
        if civ:
            m = civ[0]
            if m.actor.kind != "civilians" or m.actor.country is None:
                m = m.model_copy(update={"actor": self.dict.generic_actor("civilians", m.actor.country or iso3)})
            return m
        if self._casualty_re is None:
            return None
        text = doc_text(doc)
        if self._no_casualty_re is not None:
            text = self._no_casualty_re.sub(lambda x: " " * len(x.group()), text)
        hit = self._casualty_re.search(text)
        if hit is None:
            return None
        return ActorMention(
            start=hit.start(), end=hit.end(), text=hit.group(), actor=self.dict.generic_actor("civilians", iso3)
        )

    def _police(
        self, iso3: str | None, year: int | None, ts: int, te: int, doc: Doc, every: _Localised
    ) -> ActorMention | None:
        """The police of the event's country, implied (arrests, dispersed protests)."""
        return self._synth(self.dict.state_actor(iso3, "police", year), ts, te, doc, every) if iso3 else None

    def _civilians(
        self,
        a2: ActorMention | None,
        s2: ActorMention | None,
        iso3: str | None,
        ts: int,
        te: int,
        doc: Doc,
        every: _Localised,
    ) -> tuple[ActorMention, ActorMention | None]:
        """Victims who are civilians: actor2 ``Civilians (X)``, a named group (students...) as associate."""
        d = self.dict
        if a2 is None:
            return self._synth(d.generic_actor("civilians", iso3), ts, te, doc, every), s2
        country = a2.actor.country or iso3
        if a2.actor.kind in _GROUP_KINDS or a2.actor.kind == "protesters":
            civ = a2.model_copy(update={"actor": d.generic_actor("civilians", country)})
            return civ, a2
        if a2.actor.kind == "civilians" and a2.actor.country is None and iso3:
            return a2.model_copy(update={"actor": d.generic_actor("civilians", iso3)}), s2
        return a2, s2


class _Localised:
    """The text's mentions named for the event's country, computed only if a convention needs them."""

    def __init__(self, ex: ActorExtractor, mentions: Sequence[ActorMention], iso3: str | None, year: int | None):
        self._ex, self._raw, self._iso3, self._year = ex, mentions, iso3, year
        self._done: list[ActorMention] | None = None

    def _all(self) -> list[ActorMention]:
        if self._done is None:
            self._done = [self._ex._localise(m, self._iso3, self._year) for m in self._raw]
        return self._done

    def named(self, name: str) -> list[ActorMention]:
        return [m for m in self._all() if m.actor.name == name]

    def of_kinds(self, kinds: frozenset[str]) -> list[ActorMention]:
        return [m for m in self._all() if m.actor.kind in kinds]

    def localised(self, m: ActorMention) -> ActorMention:
        return self._ex._localise(m, self._iso3, self._year)


_DEFAULT: ActorExtractor | None = None


def default_extractor() -> ActorExtractor:
    """A shared :class:`ActorExtractor` over the shipped dictionary (and ``$FIELDREPORT_ACTORS``)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ActorExtractor()
    return _DEFAULT
