"""Places: toponyms in the text -> gazetteer candidates -> the chosen place; event location.

Recognition joins two sources: spaCy's GPE/LOC/FAC entities, and a gazetteer matcher that looks
up every run of up to five capitalised words (``place_key`` folds spelling variants, so "Deir
Ezzor" is found as well as "Deir ez-Zor") to catch places the statistical model misses ("Gao",
"El Fasher"). A gazetteer-only match must look like a name (capitalised, a proper noun, not in the
stoplist), must not sit inside a person or organisation name ("Paris Police Department"), and
must not be a person by context ("Mr Jordan", "Jordan said").

Disambiguation scores every candidate of a mention with evidence that is named in
``PlaceMention.reason``: the "X, Y" and "X in Y province" patterns, the article's country and
region focus (countries, regions, demonyms and unambiguous places it mentions), distance to the
other places of the article, the spelling (main name or alternate name), the population, and
feature words ("Idlib province" wants an admin1, "the town of X" a settlement).

Rules added for the geoparsing corpora (each pinned by a test with a sentence of our own): a
name is scored against the focus that the *other* names give (a lone "Alexandria" does not vote
for Egypt); names listed before "counties"/"parishes" are counties; a legislator's "D-Ga." /
"(R-Marietta)" names a state or home town; a town and a county that contains it support each
other; "Georgia" in a US story is the state; "Washington" is the capital, not the state; world
regions, seas and oceans come from ``places/regions.yaml``; "Lake X" / "Mount X" / "X Avenue"
stay unresolved rather than resolved to X; acronyms of countries ("UAE", "EU"); a major place
that "says" something ("Tamil Nadu said") is still a place; demonyms that the model labels
PERSON, LANGUAGE or GPE ("Azerbaijani soldiers", "the English city", "anti-Russian").
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from fieldreport.data import load_yaml
from fieldreport.geo.gazetteer import (
    F_ADMIN1,
    F_ADMIN2,
    F_CITY,
    F_COUNTRY,
    F_OTHER,
    Gazetteer,
    default_gazetteer,
    haversine_km,
)
from fieldreport.geo.normalize import light_key, place_key
from fieldreport.schema.records import Place, PlaceMention
from fieldreport.text.lexicon import SPEECH_FORMS
from fieldreport.text.spans import dateline_end, doc_text

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Entity labels that a gazetteer match never overrides, even when it is exactly the entity.
_NEVER_PLACE = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "LANGUAGE"}
# Entities that a gazetteer-only match may not be part of.
BLOCK_LABELS = {"PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE",
                "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
# Entities whose names may hold a place name or a demonym that the corpora annotate ("the
# American Legion", "the Texas Department of Transportation"), reported with ``embedded``.
_NAMED_THINGS = {"ORG", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
MAX_NGRAM = 5
# Direction words before a name ("North Georgia"): dropped when the whole name is unknown.
_DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
               "central", "upper", "lower", "northeast", "northwest", "southeast", "southwest",
               "northeastern", "northwestern", "southeastern", "southwestern", "greater", "downtown"}
# Arabic article spellings that are also English words: only hyphenated ("as-Suwayda") do they
# start a name.
_ENGLISH_ARTICLE_LOOKALIKES = {"as", "an", "at", "ad", "en", "es", "us", "un", "il"}
_SETTLEMENT_NOUNS = {"village", "villages", "town", "towns", "city", "district", "neighbourhood",
                     "neighborhood", "suburb", "area", "camp", "hamlet", "settlement", "municipality",
                     "outskirts", "countryside", "region", "province", "governorate", "quarter",
                     "subdistrict", "township", "locality", "county", "parish"}
MAX_CANDIDATES = 60
# A name listed before another: "Akatakou, Koko, and Malomi (Bante, Collines)"
_LISTED_BEFORE = re.compile(r"([A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2})(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)$")
# Nouns between a name and its qualifier: "Alpha-Kpara village (Djougou, Donga)"
_QUALIFIED_NOUNS = {"village", "town", "city", "area", "neighbourhood", "neighborhood", "camp",
                    "district", "commune", "arrondissement", "subdistrict", "subdivision",
                    "municipality", "locality", "hamlet", "settlement", "region", "province",
                    "department", "county", "quarter", "suburb", "sector", "market", "border"}
# A qualifier in parentheses after a name: "(Malanville, Alibori)", "(coded to Kursk (Kursk))"
_QUALIFIER = re.compile(r"\(\s*(?:coded (?:to|as)\s+)?([A-Z][^()\n]{0,80}?)\s*\)")
# ACLED's "City - Part" names: a run of capitalised words, a spaced dash, another run ("Dhaka -
# Mirpur", "Rio de Janeiro - North Zone"); see PlaceExtractor._city_parts.
_NAME_RUN = r"[A-Z][\w'’.]*(?:[ ](?:[A-Z0-9][\w'’.]*|de|do|da|dos|del|al|el|la|le))*"
_CITY_PART = re.compile(rf"(?<![\w-])({_NAME_RUN}) [-–] ({_NAME_RUN})")
# "pro-Russia", "anti-Kyiv": a country or capital after these names a stance, not a place where
# anything happened (the mention is kept for geoparsing, with reason "stance; ...")
_STANCE = re.compile(r"\b(?:pro|anti)-?$", re.I)
# A coder's note that names the event's place: "(coded to Baquba)", "Kofoni, coded to Mekrou",
# "(location coded to Kobo town, ...)", "location coded as Alfakoara" (ACLED's notes); the name
# follows at once.
_CODED_TO = re.compile(r"\bcoded (?:to|as)\s+(?:the\s+)?$", re.I)
# Plural division words that close a list of names: "Barrow, Jackson and Madison counties".
_PLURAL_ADMIN2 = {"counties": "County", "parishes": "Parish", "boroughs": "Borough"}
# A US legislator's party and home ("Sen. Jane Roe, D-Ga.", "(R-Marietta)"): the part after
# the party letter is a state or the member's home town or county.
_PARTY_HOME = re.compile(
    r"(?:,\s*|\(\s*)(?:D|R|I|DFL)\s?-\s?"
    r"([A-Z][A-Za-z]*\.?(?:\s?[A-Z][A-Za-z]*\.?)?)(?=\s*[,;)\s]|\s*$)")
_CONNECTORS = {"al", "el", "ad", "ar", "as", "az", "ash", "at", "an", "ez", "es", "ed", "de", "del",
               "la", "le", "les", "los", "las", "du", "des", "da", "do", "dos", "di", "of", "on",
               "upon", "-", "'", "’", "the", "en", "y", "i", "am", "an der", "sur", "ul", "ur"}


@dataclass
class _Rules:
    stop: frozenset[str]
    risky: frozenset[str]
    locative: frozenset[str]
    titles: frozenset[str]
    person_verbs: frozenset[str]
    modifiers: frozenset[str]
    verb_adverbs: frozenset[str]
    object_preps: frozenset[str]
    place_nouns: frozenset[str]
    precise_preps: frozenset[str]
    near_preps: frozenset[str]
    speech_verbs: frozenset[str]
    admin1_words: frozenset[str]
    admin2_words: frozenset[str]
    non_settlement: frozenset[str]
    facility: frozenset[str]
    feature_words: frozenset[str]
    us_abbrev: dict[str, str]
    continents: dict[str, str]
    city_aliases: dict[str, str]
    region_adjectives: dict[str, str]
    demonyms: dict[str, list[str]]  # lower-case demonym/name -> ISO2 codes
    state_words: frozenset[str]
    street_words: frozenset[str]
    place_suffixes: frozenset[str]
    country_cues: re.Pattern | None
    cue_country: dict[str, str]  # lower-case cue phrase -> ISO2
    cue_weight: float
    cue_cap: float
    generic_divisions: frozenset[str]
    generic_words: frozenset[str]  # light keys of generic_divisions and gulf-like words
    group_heads: frozenset[str]
    min_confidence: float = 0.0  # below it a name between far-apart homonyms is left unresolved
    rival_km: float = 161.0  # a homonym at least this far from the choice is a rival
    sure_population: int = 500_000  # a city this large is the reading of its name, doubt or not

    @classmethod
    def load(cls) -> "_Rules":
        r = load_yaml("places/rules.yaml")
        g = load_yaml("places/regions.yaml")
        ev = r["event_prepositions"]
        return cls(
            stop=frozenset(r["stop_toponyms"]),
            risky=frozenset(r["risky_names"]),
            locative=frozenset(r["locative_prepositions"]),
            titles=frozenset(r["person_titles"]),
            person_verbs=frozenset(r["person_verbs"]),
            modifiers=frozenset(r["place_modifiers"]),
            verb_adverbs=frozenset(r["verb_adverbs"]),
            object_preps=frozenset(r["object_prepositions"]) | frozenset(r["locative_prepositions"]),
            place_nouns=frozenset(r["place_nouns"]),
            precise_preps=frozenset(ev["precise"]),
            near_preps=frozenset(ev["near"]),
            speech_verbs=SPEECH_FORMS | frozenset(ev["speech_words_extra"]),
            admin1_words=frozenset(g["admin1_words"]),
            admin2_words=frozenset(g["admin2_words"]),
            non_settlement=frozenset(g["non_settlement_words"]),
            facility=frozenset(g.get("facility_words") or []),
            feature_words=frozenset(r.get("feature_name_words") or []),
            us_abbrev=dict(g["us_state_abbreviations"]),
            continents=dict(g.get("continent_adjectives") or {}),
            city_aliases=dict(g.get("city_aliases") or {}),
            region_adjectives=dict(g.get("region_adjectives") or {}),
            demonyms=_demonym_table(),
            state_words=frozenset(r.get("state_institution_words") or []),
            street_words=frozenset(r.get("street_words") or []),
            place_suffixes=frozenset(r.get("place_suffixes") or []),
            country_cues=re.compile(r"\b(?:" + "|".join(
                re.escape(p) for p in sorted(cues, key=len, reverse=True)) + r")\b",
                re.IGNORECASE) if (cues := {p: cc for cc, ps in (r.get("country_cues") or {}).items()
                                            for p in ps}) else None,
            cue_country=cues,
            cue_weight=float(r.get("country_cue_weight", 0.5)),
            cue_cap=float(r.get("country_cue_cap", 1.5)),
            generic_divisions=frozenset(r.get("generic_divisions") or []),
            generic_words=frozenset(light_key(w) for w in (r.get("generic_divisions") or [])
                                    + (r.get("generic_place_words") or [])),
            group_heads=frozenset(r.get("group_name_heads") or []),
            min_confidence=float((r.get("ambiguity") or {}).get("min_confidence", 0.0)),
            rival_km=float((r.get("ambiguity") or {}).get("rival_km", 161.0)),
            sure_population=int((r.get("ambiguity") or {}).get("sure_population", 500_000)),
        )


def _demonym_table() -> dict[str, list[str]]:
    """Lower-case demonym -> ISO2 codes, from ``data/shared/demonyms.yaml`` (the actors engineer's
    table) when present, else from simple suffix rules over country names."""
    out: dict[str, list[str]] = defaultdict(list)
    try:
        table = load_yaml("shared/demonyms.yaml") or {}
    except FileNotFoundError:
        table = {}
    for _iso3, row in table.items():
        if not isinstance(row, dict) or not row.get("iso2"):
            continue
        for d in row.get("demonyms") or []:
            if row["iso2"] not in out[d.lower()]:
                out[d.lower()].append(row["iso2"])
    if not out:  # fallback: Syria -> Syrian, Ukraine -> Ukrainian, Iraq -> Iraqi
        import pycountry

        for c in pycountry.countries:
            n = getattr(c, "common_name", None) or c.name
            for form in (n + "n", n + "an", n[:-1] + "ian", n + "i", n + "ese", n[:-1] + "an"):
                out[form.lower()].append(c.alpha_2)
    return dict(out)


@dataclass
class _Mention:
    start: int
    end: int
    tok_start: int
    tok_end: int  # exclusive
    text: str
    source: str  # "ner" or "gazetteer"
    ids: list[int]
    hint: int | None = None  # wanted feature from a following word ("province", "county")
    container: list[int] = field(default_factory=list)  # entries of "X, Y" / "X in Y" Y
    scores: dict[int, float] = field(default_factory=dict)
    parts: dict[int, dict[str, float]] = field(default_factory=dict)
    chosen: int | None = None
    reason: str = ""
    embedded: bool = False  # inside an organisation's name (reported only with embedded=True)
    listed: bool = False  # a name of a "X, Y and Z counties" list: a second-level division
    qualifier: bool = False  # a name inside another's qualifier: "(Malanville, Alibori)"
    peers: set[str] = field(default_factory=set)  # keys of the other names of its list
    qual: list[int] = field(default_factory=list)  # the qualifier's own entries, narrowest first
    qual_a1: list[int] = field(default_factory=list)  # its province (or country) entries
    score: float = 0.0


class PlaceExtractor:
    """Finds place mentions in a parsed ``Doc``, resolves them, and locates events.

    ``PlaceExtractor.default()`` is built once per process (gazetteer + rules).
    """

    # weights of the disambiguation evidence (see ``_features``)
    w_pop = 0.9
    w_country = 2.5
    w_near = 2.0
    w_coh = 1.5
    w_region = 1.5
    w_contain = 2.0
    # share of a name's own evidence taken out of the focus it is scored against (1.0: only
    # the other names count; a lone "Alexandria" must not vote for Egypt with its own weight)
    own_share = 0.8
    # amount of country evidence from the other names at which the country focus counts fully
    focus_evidence_full = 1.0
    # a name with more town or county candidates than this ("Washington": 60) lies near
    # everything and in every state: it gives no evidence of where the other names are
    max_witness_candidates = 8
    max_witness_counties = 24
    # a place name inside an organisation's name that the article names nowhere else must be a
    # country, a first-level division or a city at least this large (see _drop_weak_embedded)
    embedded_min_pop = 100_000

    def __init__(self, gazetteer: Gazetteer, *, demonyms: bool = True, embedded: bool = False):
        """``demonyms``: also report country adjectives and demonyms ("Syrian", "Ukrainians")
        as mentions of their country, as the geoparsing corpora annotate them; their
        ``reason`` starts with "demonym" and ``event_location`` never picks them.
        ``embedded``: also report place names inside organisation names ("Paris" in "Paris
        Police Department"), as LGL and GeoWebNews annotate them; off by default (such a name
        is not where anything happened); their ``reason`` starts with "inside a name"."""
        self.gazetteer = gazetteer
        self.rules = _Rules.load()
        self.demonyms = demonyms
        self.embedded = embedded
        g = gazetteer
        # country name key -> ISO2 for the focus; ISO2 -> country entry
        self._country_entry: dict[str, int] = {}
        for i in range(len(g)):
            if g.feat[i] == F_COUNTRY:
                self._country_entry[g.iso2(i)] = i
        self._abbrev_admin1: dict[str, list[int]] = {}
        for ab, state in self.rules.us_abbrev.items():
            ids = [i for i in g.lookup(state) if g.feat[i] == F_ADMIN1 and g.iso2(i) == "US"]
            if not ids and state == "District of Columbia":
                ids = [i for i in g.lookup("Washington") if g.iso2(i) == "US"
                       and g.feat[i] == F_CITY and (g.admin1(i) or "").startswith("Washington,")]
            if ids:
                self._abbrev_admin1[ab] = ids

    @classmethod
    def default(cls) -> "PlaceExtractor":
        """The process-wide extractor over the default gazetteer (cached)."""
        return _default_extractor()

    # ------------------------------------------------------------------------------------------
    # public API

    def embedding(self, embedded: bool) -> "PlaceExtractor":
        """This extractor with ``embedded`` set as asked (a shallow copy sharing the gazetteer
        and rules, made once)."""
        if embedded == self.embedded:
            return self
        twin = self.__dict__.get("_twin")
        if twin is None:
            twin = object.__new__(type(self))
            twin.__dict__.update({k: v for k, v in self.__dict__.items() if k != "_twin"})
            twin.embedded = embedded
            twin._twin = self
            self._twin = twin
        return twin

    def find(self, doc: Doc, demonyms: bool | None = None,
             embedded: bool | None = None) -> list[PlaceMention]:
        """Place mentions of ``doc`` in text order; resolved ones have ``.place`` set.

        ``demonyms`` (default: the extractor's setting) also reports "Syrian", "Ukrainians" as
        mentions of their country, as the geoparsing corpora annotate them. ``fieldreport
        places`` reports them unless ``--no-demonyms``; the event location never takes one
        (a demonym names a side, not a place: "Russian jets struck Idlib").
        ``embedded`` (default: the extractor's setting) also reports place names inside
        organisation names ("Texas" in "Texas Department of Corrections"), as LGL and
        GeoWebNews annotate them; ``fieldreport places`` reports them unless
        ``--no-embedded``; the event pipeline never does."""
        if embedded is not None and embedded != self.embedded:
            return self.embedding(embedded).find(doc, demonyms)
        mentions = self._recognise(doc)
        self._city_parts(doc, mentions)
        self._qualifiers(doc, mentions)
        self._patterns(doc, mentions)
        self._resolve(doc, mentions)
        self._foreign_homonyms(mentions)
        self._qualified_fallback(mentions)
        if self.demonyms if demonyms is None else demonyms:
            mentions = sorted(mentions + self._demonym_mentions(doc, mentions), key=lambda m: m.start)
        out = []
        for m in mentions:
            place = self.gazetteer.place(m.chosen) if m.chosen is not None else None
            if place is None and m.qual:
                place = self._coded_to(m)
            if m.qualifier:
                m.reason = "qualifier of a place; " + m.reason
            elif place is not None and not m.reason.startswith("demonym") and _STANCE.search(doc_text(doc), max(0, m.start - 5), m.start):
                m.reason = "stance; " + m.reason  # "pro-Russia rebels": a side's stance, not a place
            out.append(
                PlaceMention(start=m.start, end=m.end, text=m.text, place=place,
                             score=round(m.score, 3), reason=m.reason)
            )
        return out

    def event_location(
        self, doc: Doc, mentions: list[PlaceMention], trigger_start: int, trigger_end: int
    ) -> tuple[PlaceMention | None, int | None, str]:
        """See :func:`event_location`."""
        return event_location(doc, mentions, trigger_start, trigger_end, rules=self.rules)

    # ------------------------------------------------------------------------------------------
    # recognition

    def _recognise(self, doc: Doc) -> list[_Mention]:
        g = self.gazetteer
        taken = [False] * len(doc)
        mentions: list[_Mention] = []
        blocked = [None] * len(doc)  # label of a non-place entity covering the token
        for ent in doc.ents:
            if ent.label_ in BLOCK_LABELS:
                for t in range(ent.start, ent.end):
                    blocked[t] = ent
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS:
                continue
            span = _trim(ent)
            if span is None:
                continue
            m = self._ner_mention(doc, span)
            if m is None:
                continue
            mentions.append(m)
            for t in range(m.tok_start, m.tok_end):
                taken[t] = True
        for m in self._party_homes(doc, taken):
            mentions.append(m)
        # gazetteer matcher over runs of capitalised words
        i = 0
        n = len(doc)
        while i < n:
            tok = doc[i]
            if taken[i] or not _starts_name(tok):
                i += 1
                continue
            ab = self._abbrev(tok.text, doc, tok.idx) if i > 0 and doc[i - 1].text == "," else []
            if ab:
                text = tok.text
                mentions.append(_Mention(tok.idx, tok.idx + len(text), i, i + 1, text, "gazetteer", ab))
                taken[i] = True
                i += 1
                continue
            best = None
            j_max = min(n, i + MAX_NGRAM)
            for j in range(j_max, i, -1):
                if any(taken[k] for k in range(i, j)) or doc[j - 1].is_sent_start and j - 1 > i:
                    continue
                last = doc[j - 1]
                if not (last.text[:1].isupper() or last.text[:1].isdigit()):
                    continue
                if any(not (doc[k].text[:1].isupper() or doc[k].lower_ in _CONNECTORS)
                       for k in range(i, j)):
                    continue
                if j - i > 1 and tok.lower_ in _ENGLISH_ARTICLE_LOOKALIKES and doc[i + 1].text != "-":
                    continue  # "As Harding showed": English "As", not the article as-
                text = doc_text(doc)[tok.idx : last.idx + len(last.text)]
                key = place_key(text)
                if g.has_key(key):
                    best = (j, text, key)
                    break
            if best is None:
                i += 1
                continue
            j, text, key = best
            m = _Mention(tok.idx, tok.idx + len(text), i, j, text, "gazetteer", g.lookup_key(key))
            if self._accept_gazetteer(doc, m, blocked):
                mentions.append(m)
                for t in range(i, j):
                    taken[t] = True
                i = j
            else:
                i += 1
        self._listed_divisions(doc, taken, mentions)
        mentions.extend(self._unknown_settlements(doc, taken, blocked))
        mentions = self._drop_person_names(doc, mentions)
        mentions = self._drop_group_names(doc, mentions)
        mentions = self._drop_weak_embedded(mentions)
        mentions = self._drop_saints(doc, mentions)
        mentions.sort(key=lambda m: m.start)
        for m in mentions:
            m.hint = F_ADMIN2 if m.listed else self._feature_hint(doc, m)
            if len(m.ids) > MAX_CANDIDATES:
                m.ids = sorted(m.ids, key=lambda k: -g.pop[k])[:MAX_CANDIDATES]
        return mentions

    def _party_homes(self, doc: Doc, taken: list[bool]) -> list[_Mention]:
        """The home of a US legislator written after the party letter: "Rep. Jane Roe, D-Ga.",
        "Sen. John Doe (R-Marietta)". A state abbreviation resolves to the state; any other
        name to its US candidates (towns and counties)."""
        g = self.gazetteer
        text = doc_text(doc)
        out: list[_Mention] = []
        for mt in _PARTY_HOME.finditer(text):
            name = mt.group(1).strip()
            start = mt.start(1)
            end = start + len(name)
            ids: list[int] = []
            for form in (name, name + ".", name.replace(" ", ""), name.replace(" ", "") + "."):
                if form in self._abbrev_admin1:
                    ids = list(self._abbrev_admin1[form])
                    break
            if not ids:
                if name.rstrip(".").lower() in self.rules.stop:
                    continue
                ids = [i for i in g.lookup(name.rstrip(".")) if g.iso2(i) == "US"
                       and g.feat[i] in (F_CITY, F_ADMIN2, F_ADMIN1)]
            if not ids:
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or any(taken[t] for t in range(span.start, span.end)):
                continue
            m = _Mention(start, end, span.start, span.end, name, "party", ids)
            out.append(m)
            for t in range(span.start, span.end):
                taken[t] = True
        return out

    def _listed_divisions(self, doc: Doc, taken: list[bool], mentions: list[_Mention]) -> None:
        """Names listed before a plural division word are divisions: "Barrow, Jackson and
        Madison counties", "Rapides and Avoyelles parishes". Each name becomes (or, when
        already found, is narrowed to) the second-level divisions "Jackson County" etc."""
        g = self.gazetteer
        by_span = {(m.tok_start, m.tok_end): m for m in mentions}
        for k in range(1, len(doc)):
            word = _PLURAL_ADMIN2.get(doc[k].lower_)
            if word is None:
                continue
            e = k
            while e > 0:
                a = e
                while a > 0 and e - a < 3 and doc[a - 1].text[:1].isupper() \
                        and doc[a - 1].text[:1].isalpha() and not doc[a - 1].is_sent_start:
                    a -= 1
                if a > 0 and e - a < 3 and doc[a - 1].is_sent_start and doc[a - 1].text[:1].isupper():
                    a -= 1
                if a == e:
                    break
                name = doc[a:e]
                ids = [i for i in g.lookup(f"{name.text} {word}") if g.feat[i] == F_ADMIN2]
                if ids:
                    m = by_span.get((a, e))
                    if m is not None:
                        m.ids, m.listed = ids, True
                    elif not any(taken[t] for t in range(a, e)):
                        m = _Mention(name.start_char, name.end_char, a, e, name.text, "listed", ids)
                        m.listed = True
                        mentions.append(m)
                        for t in range(a, e):
                            taken[t] = True
                # step back over the separator: ",", "and", "or", ", and"
                p = a
                seps = 0
                while p > 0 and doc[p - 1].lower_ in (",", "and", "or", "&") and seps < 2:
                    p -= 1
                    seps += 1
                if seps == 0:
                    break
                e = p

    def _drop_group_names(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """A region written right after an armed group's name is part of that name ("IS Sahel",
        "Islamic State Khorasan", "ISIS-Levant"): the group's branch, not a place."""
        heads = self.rules.group_heads
        keep = []
        for m in mentions:
            k = m.tok_start - 1
            if k >= 0 and doc[k].text in ("-", "–"):
                k -= 1
            prev1 = doc[k].text if k >= 0 else ""
            prev2 = f"{doc[k - 1].text} {prev1}".lower() if k >= 1 else ""
            if (prev1.isupper() and prev1.lower() in heads) or prev2 in heads:
                continue
            keep.append(m)
        return keep

    def _drop_saints(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """"St. Mary's High School", "St. Michael's pupils", "St. John's Health System": a
        saint's name in the possessive names a church, school or hospital after the saint,
        not the small town of that name (a city of 100,000 keeps it: "St. John's" in
        Newfoundland)."""
        g = self.gazetteer
        keep = []
        for m in mentions:
            first = m.text.split()[0].lower() if m.text.split() else ""
            if first in ("st.", "st", "saint", "ste.", "ste", "san", "santa") and len(m.text.split()) > 1:
                nxt = doc[m.tok_end] if m.tok_end < len(doc) else None
                poss = m.text.endswith(("'s", "’s")) or (nxt is not None and nxt.text in ("'s", "’s"))
                if poss and not any(g.feat[i] in (F_COUNTRY, F_ADMIN1) or g.pop[i] >= 100_000
                                    for i in m.ids):
                    continue
            keep.append(m)
        return keep

    def _drop_weak_embedded(self, mentions: list[_Mention]) -> list[_Mention]:
        """A name inside an organisation's name ("Polk School Gymnasium", "the Webb Center",
        "Story School") is a place only with evidence of its own: the article names the same
        place outside any name ("Dublin police ... in Dublin"), or it is a country, a
        first-level division or a city of 100,000 spelled as its main name ("Texas Department
        of Transportation", "the Toronto Police Service"), or a county by its full name ("the
        Walker County Fair"). A surname or a word that is also a small town is left out."""
        if not any(m.embedded for m in mentions):
            return mentions
        g = self.gazetteer
        free = {light_key(m.text) for m in mentions if not m.embedded}
        keep = []
        for m in mentions:
            letters = m.text.replace(".", "")
            acronym = letters.isalpha() and letters.isupper() and len(letters) <= 4
            # "the Walker County Commissioners Court": a county that the name spells as one
            county = m.text.split()[-1].lower() in self.rules.admin2_words and len(m.text.split()) > 1
            if m.embedded and light_key(m.text) not in free and not any(
                    county and g.feat[i] == F_ADMIN2 and g.exact_name(i, m.text) or
                    (g.feat[i] in (F_COUNTRY, F_ADMIN1) or g.pop[i] >= self.embedded_min_pop)
                    and g.exact_name(i, m.text)
                    # "U.S. Department of Health", "EU Commission": a country's or union's acronym
                    or acronym and g.feat[i] in (F_COUNTRY, F_OTHER) and g.pop[i] >= 1_000_000
                    for i in m.ids):
                continue
            keep.append(m)
        return keep

    def _drop_person_names(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """A one-word name that the article also uses inside a person's full name ("Andy
        Trapani ... Trapani said") is that person, unless a preposition makes it a place ("in
        Trapani") or it names a country or first-level region."""
        g = self.gazetteer
        names: set[str] = set()
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent) >= 2:
                names.add(ent[-1].lower_)
                names.add(ent[0].lower_)
        if not names:
            return mentions
        keep = []
        for m in mentions:
            if m.listed or m.source == "party":
                keep.append(m)
                continue
            if m.tok_end - m.tok_start == 1 and m.text.lower() in names:
                prev = doc[m.tok_start - 1].lower_ if m.tok_start else ""
                if prev not in self.rules.locative and not any(
                        g.feat[i] in (F_COUNTRY, F_ADMIN1) for i in m.ids):
                    continue
            keep.append(m)
        return keep

    def _unknown_settlements(self, doc: Doc, taken: list[bool], blocked: list) -> list[_Mention]:
        """Names the gazetteer does not know, shown to be places by their words: "the village
        of Boloum", "the Alhoula area", "Giro district", "fighting in Dhuluiya". They stay
        unresolved (``place`` is None) and their ``reason`` starts with "unknown"."""
        out: list[_Mention] = []
        n = len(doc)
        stop = self.rules.stop

        def name_run(a: int, limit: int = 4) -> int:
            e = a
            while e < n and e - a < limit and not taken[e] and (
                    doc[e].text[:1].isupper() or (e > a and doc[e].lower_ in _CONNECTORS)
                    or (e > a and doc[e].text == "-")):
                if e > a and doc[e].is_sent_start:
                    break
                e += 1
            while e > a and not doc[e - 1].text[:1].isupper():
                e -= 1
            return e

        def ok(a: int, e: int) -> bool:
            if e <= a:
                return False
            span = doc[a:e]
            if any(t.lower_ in self.rules.non_settlement for t in span):
                return False  # "Huntsville High School": an organisation
            if e - a > 1 and self.gazetteer.has_key(place_key(doc[a : e - 1].text)):
                return False  # a known place with more words after it
            low = span.text.lower()
            if low in stop or place_key(span.text) in stop or len(place_key(span.text)) < 3:
                return False
            if low in self.rules.demonyms or low.rstrip("s") in self.rules.demonyms:
                return False  # "a British city": a demonym, not an unknown place
            if any(t.lower_ in stop and len(span) == 1 for t in span):
                return False
            for t in range(a, e):
                ent = blocked[t]
                if ent is not None and (ent.start < a or ent.end > e) and ent.label_ in (
                        "ORG", "PERSON", "NORP", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"):
                    return False
                if ent is not None and ent.label_ in ("DATE", "TIME", "MONEY", "CARDINAL",
                                                      "ORDINAL", "QUANTITY", "PERCENT"):
                    return False
            return True

        def add(a: int, e: int, why: str) -> None:
            span = doc[a:e]
            um = _Mention(span.start_char, span.end_char, a, e, span.text, "pattern", [])
            um.reason = why
            out.append(um)
            for t in range(a, e):
                taken[t] = True

        for k in range(n):
            w = doc[k].lower_
            # "the village of X"
            if w == "of" and 0 < k < n - 1 and doc[k - 1].lower_ in _SETTLEMENT_NOUNS:
                e = name_run(k + 1)
                if ok(k + 1, e):
                    add(k + 1, e, f"unknown place after '{doc[k - 1].text} of'")
                continue
            # "X district", "the Alhoula area", "Al-Manishiyah District"
            if w in _SETTLEMENT_NOUNS and k > 0 and not taken[k - 1] and doc[k - 1].text[:1].isupper():
                a = k - 1
                while a > 0 and k - a < 4 and not taken[a - 1] and not doc[a].is_sent_start and (
                        doc[a - 1].text[:1].isupper() or doc[a - 1].lower_ in _CONNECTORS
                        or doc[a - 1].text == "-"):
                    a -= 1
                while a < k and not doc[a].text[:1].isupper():
                    a += 1
                e = k + 1 if doc[k].text[:1].isupper() else k
                if ok(a, k):
                    add(a, e, f"unknown place before '{doc[k].text}'")
                continue
            # "fighting in Dhuluiya", "an airfield at Iranamadu"
            if w in ("in", "at", "near", "outside", "into") and k < n - 1 and not taken[k + 1] \
                    and _propn(doc[k + 1]) and not doc[k + 1].is_sent_start:
                e = name_run(k + 1)
                if ok(k + 1, e) and (not _tagged(doc) or all(
                        doc[t].pos_ in ("PROPN", "ADP", "DET", "PUNCT") for t in range(k + 1, e))):
                    add(k + 1, e, f"unknown place after '{doc[k].text}'")
        return out

    def _ner_mention(self, doc: Doc, span: Span) -> _Mention | None:
        g = self.gazetteer
        text = span.text
        ids = g.lookup(self.rules.city_aliases.get(text, text))
        if not ids and len(span) > 1 and text.lower() in self.rules.demonyms:
            return None  # "Sri Lankan" taken for a place: a demonym (see _demonym_mentions)
        start, end, ts, te = span.start_char, span.end_char, span.start, span.end
        state: list[int] = []
        if not ids and text in self._abbrev_admin1 and "." in text:
            state = ids = list(self._abbrev_admin1[text])  # "in Ga.", "a Mass. promoter"
        if not ids and len(span) > 1:
            # "Idlib province", "Donetsk region": drop a trailing division word
            last = span[-1].lower_
            if last in self.rules.admin1_words or last in self.rules.admin2_words:
                sub = span[:-1]
                ids = g.lookup(sub.text)
        if not ids and len(span) > 1 and span[0].lower_ in _DIRECTIONS:
            sub = span[1:]  # "North Georgia", "Eastern Ukraine": the named place itself
            hit = _sized(g, g.lookup(sub.text))
            if hit:
                ids, start, end, ts, te, text = hit, sub.start_char, sub.end_char, sub.start, sub.end, sub.text
        if not ids and text in self.rules.city_aliases:
            ids = g.lookup(self.rules.city_aliases[text])
        if not ids and len(span) > 1 and any(t.lower_ in self.rules.feature_words for t in span):
            # "Lake Vermont", "Mount Hood", "Hampton Avenue": another feature than the place
            # named inside it; kept as an unresolved mention
            return _Mention(start, end, ts, te, text, "ner", [])
        if not ids and len(span) > 1 and span[-1].lower_ in self.rules.street_words and not any(
                g.feat[i] in (F_COUNTRY, F_ADMIN1) or g.pop[i] >= 50_000
                for i in g.lookup(span[:-1].text)):
            # "Main Street", "Dublin Road": a street named after a small place is no mention of
            # it ("Baghdad Street" still names Baghdad); kept as an unresolved mention
            return _Mention(start, end, ts, te, text, "ner", [])
        if not ids and len(span) > 1:
            # the longest run inside the entity that the gazetteer knows ("the Gaza Strip")
            for size in range(len(span) - 1, 0, -1):
                for a in range(0, len(span) - size + 1):
                    sub = span[a : a + size]
                    if not sub[0].text[:1].isupper() or sub.text.lower() in self.rules.stop \
                            or not sub[-1].text[-1:].isalnum():
                        continue
                    hit = _sized(g, g.lookup(sub.text))
                    if hit:
                        ids, start, end, ts, te, text = (
                            hit, sub.start_char, sub.end_char, sub.start, sub.end, sub.text)
                        break
                if ids:
                    break
        abbrev = self._abbrev(text, doc, start) or state
        if abbrev:
            ids = abbrev
        elif len(place_key(text).replace(" ", "")) <= 2 and not text.replace(".", "").isupper():
            return None  # "Al-", "US" written as a fragment: too short to look up
        looked = self.rules.city_aliases.get(text, text)  # "D.C." is looked up by its full name
        if ids and not abbrev:
            lk = light_key(looked)
            ids = [i for i in ids if not light_key(g.names[i]).endswith(" " + lk)]  # "Fort Myers"
        if ids and not abbrev and not any(g.exact_name(i, looked) for i in ids):
            # only alternate spellings matched: keep the substantial candidates
            lk = light_key(looked)
            ids = [i for i in ids if g.feat[i] in (F_COUNTRY, F_ADMIN1, F_OTHER)
                   or (len(place_key(text)) > 3 and g.pop[i] >= 10_000)
                   # a district by another of its names ("Balcad"), not by its name without
                   # the division word ("Red River" for Red River County: a river)
                   or (g.feat[i] == F_ADMIN2 and not light_key(g.names[i]).startswith(lk + " "))]
        if ids and _person_subject(doc[ts:te], self.rules) and not any(
                g.feat[i] in (F_COUNTRY, F_ADMIN1) or g.pop[i] >= 100_000 for i in ids):
            return None  # "Conway wrote", "Grayson said": a person

        if not ids and (text.isupper() and len(text) <= 3):
            return None
        low = text.lower()
        if not ids and (low in self.rules.demonyms or low.rstrip("s") in self.rules.demonyms):
            return None  # "the Sri Lankan government": left to the demonym pass
        return _Mention(start, end, ts, te, text, "ner", ids)

    def _demonym_mentions(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """Country (and continent) adjectives and demonyms, resolved to the country: spaCy's
        NORP entities, and capitalised words of the demonym table that the model left
        unlabelled ("Turkish jets"). Words inside an organisation's or a person's name are
        left alone unless ``embedded`` is set."""
        g = self.gazetteer
        spans = [(m.start, m.end) for m in mentions]
        out: list[_Mention] = []
        cands: list[Span] = [ent for ent in doc.ents if ent.label_ == "NORP" or (
            ent.label_ in PLACE_LABELS and ent.text.lower() in self.rules.demonyms)]
        labelled = {t.i for ent in doc.ents for t in ent}
        for ent in doc.ents:  # "anti-Russian", "Russian-European": the demonym part
            if ent.label_ != "NORP" or len(ent) < 2 or not any(t.text == "-" for t in ent):
                continue
            for t in ent:
                if t.text[:1].isupper() and t.lower_ in self.rules.demonyms:
                    cands.append(doc[t.i : t.i + 1])
            cands = [c for c in cands if (c.start, c.end) != (ent.start, ent.end)]
        adjectives = self.rules.region_adjectives
        for ent in doc.ents:  # "the English city", "Azerbaijani soldiers": an adjective that
            nxt = doc[ent.end] if ent.end < len(doc) else None  # the model took for a name
            low = ent.text.lower()
            if ent.label_ in ("LANGUAGE", "PERSON") and len(ent) == 1 \
                    and (low in self.rules.demonyms or low in adjectives) \
                    and nxt is not None and _noun(nxt) and nxt.text[:1].islower():
                cands.append(ent)
        # inside an organisation's or an event's name ("the American Legion", "the Nigerian
        # Armed Forces") a demonym is reported with ``embedded``, as the corpora annotate it
        named = {t.i for ent in doc.ents if ent.label_ in _NAMED_THINGS for t in ent} \
            if self.embedded else set()
        for tok in doc:
            if not tok.text[:1].isupper():
                continue
            low = tok.lower_
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if tok.i in named and (nxt is None or nxt.lower_ not in self.rules.state_words):
                continue  # "American Airlines": not the country; "the Nigerian Army" is
            if nxt is not None and nxt.text[:1].isupper() and nxt.idx == tok.idx + len(tok.text) + 1 \
                    and f"{low} {nxt.lower_}" in self.rules.demonyms \
                    and tok.ent_type_ not in ("NORP", "GPE", "LOC"):
                cands.append(doc[tok.i : tok.i + 2])  # "Sri Lankan" that the model calls a person
                continue
            if tok.i in labelled and tok.i not in named:
                continue
            if low in self.rules.demonyms or low in self.rules.continents or low in adjectives:
                cands.append(doc[tok.i : tok.i + 1])
        for ent in cands:
            if any(a < ent.end_char and ent.start_char < b for a, b in spans):
                continue
            nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
            adjective = (  # "the Slovak architect": a demonym the model took for a person
                nxt is not None and nxt.text[:1].islower() and nxt.is_alpha
                and all(t.ent_type_ == "PERSON" for t in ent)
                and ent[0].ent_iob_ == "B" and (nxt.ent_type_ != "PERSON" or nxt.ent_iob_ == "B"))
            adjective = adjective or (ent.label_ == "LANGUAGE")
            if not self.embedded and not adjective and any(
                    t.ent_type_ in ("ORG", "PERSON", "WORK_OF_ART", "EVENT", "FAC")
                    for t in ent):
                continue
            low = ent.text.lower()
            region = adjectives.get(low) or adjectives.get(low.rstrip("s"))
            if region:
                ids = [i for i in g.lookup(region) if g.feat[i] in (F_ADMIN1, F_OTHER, F_COUNTRY)
                       and g.exact_name(i, region)]
                if len(ids) == 1:
                    m = _Mention(ent.start_char, ent.end_char, ent.start, ent.end, ent.text,
                                 "demonym", ids)
                    m.chosen, m.score, m.reason = ids[0], 0.9, f"demonym of {region}"
                    out.append(m)
                    spans.append((ent.start_char, ent.end_char))
                continue
            cont = self.rules.continents.get(low) or self.rules.continents.get(low.rstrip("s"))
            if cont:
                ids = [i for i in g.lookup(cont) if g.feat[i] == F_OTHER][:1]
                what = cont
            else:
                ccs = self.rules.demonyms.get(low) or (
                    self.rules.demonyms.get(low[:-1]) if low.endswith("s") else None)
                if not ccs:
                    ids = self._region_of_adjective(ent.text)
                    if not ids:
                        continue
                    what = g.names[ids[0]]
                elif len(ccs) > 1:
                    continue  # shared by two countries ("Congolese")
                else:
                    i = self._country_entry.get(ccs[0])
                    ids = [i] if i is not None else []
                    what = g.names[i] if i is not None else ""
            if not ids:
                continue
            m = _Mention(ent.start_char, ent.end_char, ent.start, ent.end, ent.text, "demonym", ids)
            m.chosen, m.score, m.reason = ids[0], 0.9, f"demonym of {what}"
            out.append(m)
            spans.append((ent.start_char, ent.end_char))
        return out

    def _region_of_adjective(self, text: str) -> list[int]:
        """The region or first-level division that an adjective in "-n" names: "Central
        American" -> Central America, "South Ossetian(s)" -> South Ossetia. Only regions,
        countries and first-level divisions spelled exactly so are taken."""
        g = self.gazetteer
        t = text[:-1] if text.endswith("s") else text
        if not t.endswith("n") or len(t) < 6:
            return []
        base = t[:-1]
        return [i for i in g.lookup(base) if g.feat[i] in (F_OTHER, F_COUNTRY, F_ADMIN1)
                and g.exact_name(i, base)][:1]

    def _abbrev(self, text: str, doc: Doc, start: int) -> list[int]:
        """US state entries for an AP/postal abbreviation written after a comma ("Alexandria,
        La."; "W.Va."); empty otherwise."""
        if not re.search(r",\s*$", doc_text(doc)[max(0, start - 3) : start]):
            return []
        if re.match(r"\s*[A-Z][a-z]", doc_text(doc)[start + len(text) : start + len(text) + 4]):
            return []  # "Del Beccaro": a name, not "Del." for Delaware
        for form in (text, text + ".", text.replace(" ", "")):
            if form in self._abbrev_admin1:
                return list(self._abbrev_admin1[form])
        return []

    def _accept_gazetteer(self, doc: Doc, m: _Mention, blocked: list) -> bool:
        """Whether a gazetteer-only match is a place here."""
        g = self.gazetteer
        r = self.rules
        toks = doc[m.tok_start : m.tok_end]
        first = toks[0]
        prev = doc[m.tok_start - 1] if m.tok_start > 0 else None
        nxt = doc[m.tok_end] if m.tok_end < len(doc) else None
        k = m.tok_start - 1
        while k >= 0 and _modifier(doc[k], r) and m.tok_start - k <= 3:
            k -= 1  # "in northern Mali", "at the Gao airport"
        locative = k >= 0 and doc[k].lower_ in r.locative
        # "a Winona man", "Grand Ledge investigators": the name of a town the text spells exactly,
        # before a noun of its people or its offices, is that town whatever the model labels it
        locative = locative or (nxt is not None and nxt.is_lower and nxt.lower_ in r.place_nouns
                                and any(g.exact_name(i, m.text) for i in m.ids))
        # "Gori-based", "a Kano-born officer": the name of a town, spelled exactly
        after = doc[m.tok_end + 1] if m.tok_end + 1 < len(doc) else None
        locative = locative or (nxt is not None and nxt.text == "-" and after is not None
                                and after.lower_ in r.place_suffixes
                                and any(g.exact_name(i, m.text) for i in m.ids))
        low = m.text.lower()
        best_pop = max((g.pop[i] for i in m.ids), default=0)
        big = any(g.feat[i] in (F_COUNTRY, F_ADMIN1) for i in m.ids) or best_pop >= 50_000
        # a country, a first-level region or a city of a million, spelled as its main name, and
        # not a common word or first name: "Tamil Nadu said", "Tbilisi says"
        major = low not in r.stop and low not in r.risky and any(
            (g.feat[i] in (F_COUNTRY, F_ADMIN1) or g.pop[i] >= 1_000_000) and g.exact_name(i, m.text)
            for i in m.ids)
        person_ctx = (prev is not None and prev.lower_.rstrip(".") in r.titles) or _person_subject(toks, r)
        # "CLINTON — A town couple ...", "... 2009 PATASKALA -- City officials": an all-caps
        # name that opens the story before a dash is the dateline, whatever the model says
        letters = [c for c in m.text if c.isalpha()]
        after = doc[m.tok_end + 1] if m.tok_end + 1 < len(doc) else None
        dash = nxt is not None and (nxt.text in ("—", "–", "--", "-", "―") or (
            nxt.text == "," and after is not None and (  # "SEVIERVILLE, Tenn. (AP)"
                after.text in self._abbrev_admin1 or after.ent_type_ == "DATE")))
        if len(letters) >= 4 and m.text.isupper() and dash and (
                prev is None or prev.is_space or first.is_sent_start or prev.like_num
                or prev.text in (".", ":", ")")) and not any(
                blocked[t] is not None and (blocked[t].start < m.tok_start or blocked[t].end > m.tok_end)
                and blocked[t].label_ not in ("PERSON", "ORG") for t in range(m.tok_start, m.tok_end)):
            return True
        # a non-place entity over the match: a longer one swallows it ("Paris Police
        # Department"); one that is exactly the match is the small model's mistake only when
        # the context does not say person; a shorter one means the model split a long name.
        ents = {blocked[t] for t in range(m.tok_start, m.tok_end) if blocked[t] is not None}
        for ent in ents:
            inside = ent.start <= m.tok_start and ent.end >= m.tok_end
            e0 = ent.start + 1 if ent[0].lower_ == "the" else ent.start  # "the Holy See"
            exact = (e0, ent.end) == (m.tok_start, m.tok_end)
            if exact:
                if ent.label_ == "PERSON" and (person_ctx or not (locative or big)) and not (
                        major and (prev is None or prev.lower_.rstrip(".") not in r.titles)):
                    return False  # a major place that "says" something is its government
                if ent.label_ == "ORG" and not (locative or big):
                    return False
                if ent.label_ == "NORP" and len(toks) == 1 and (
                        low in r.demonyms or low.rstrip("s") in r.demonyms or not big):
                    return False
                if ent.label_ in _NEVER_PLACE or (
                        ent.label_ not in ("PERSON", "ORG", "NORP") and not (locative or big)):
                    return False
            elif inside:
                if not (self.embedded and ent.label_ in ("ORG", "FAC", "EVENT", "WORK_OF_ART")
                        and len(ent) > len(toks)):
                    return False
                m.embedded = True
            elif ent.label_ in _NEVER_PLACE:
                return False
        if nxt is not None and nxt.lower_ in r.non_settlement and nxt.text[:1].isupper():
            if not self.embedded:
                return False  # "Paris Police", "Aleppo University": an organisation's name
            m.embedded = True
        if prev is not None and prev.lower_.rstrip(".") in r.titles:
            return False
        if nxt is not None and nxt.text[:1].isupper() and nxt.lower_ in r.street_words and not big:
            return False  # "Main Street", "Cooper Road": a street, not the town of that name
        letters = m.text.replace(".", "")
        if len(toks) == 1 and letters.isalpha() and letters.isupper() and len(letters) <= 4:
            # "UAE", "DPRK", "EU": an acronym of a country or union, never of a small town
            ids = [i for i in m.ids if g.feat[i] in (F_COUNTRY, F_OTHER) and g.pop[i] >= 1_000_000]
            if ids and not (prev is not None and prev.text[:1].isupper() and _propn(prev)
                            and not prev.is_sent_start and prev.lower_ not in r.stop):
                m.ids = ids
                return True
        if (m.text.isupper() and len(m.text) <= 4) or len(place_key(m.text).replace(" ", "")) <= 2:
            return False
        exact = any(g.exact_name(i, m.text) for i in m.ids)
        dateline = m.text.isupper() and nxt is not None and nxt.text in ("—", "-", "–", "(", ",", "--")
        if dateline and (m.tok_start == 0 or doc[m.tok_start - 1].is_space or first.is_sent_start):
            return True  # "CLINTON — ..." datelines
        if nxt is not None and nxt.text[:1].isupper() and _propn(nxt) and not nxt.is_sent_start \
                and nxt.ent_type_ not in ("DATE", "TIME") and nxt.lower_ not in r.facility \
                and nxt.lower_ not in r.stop and not m.embedded:
            # part of a longer name the gazetteer does not know (inside an organisation's name
            # that the model marked, "Ohio Supreme Court", the place leads the name: the
            # embedded filter judges it)
            return False
        if len(toks) == 1:
            if low in r.stop or low in r.risky:
                return False
            if not exact and (len(low) < 4 or not (big or locative)):
                return False  # an alternate spelling alone is weak evidence
            if not _propn(first) and not (locative or big):
                return False
            if first.is_sent_start and not (locative or big):
                return False
            if person_ctx and not big:
                return False
            if not (big or (locative and best_pop >= 1_000)):
                return False
        else:
            if all(t.lower_ in r.stop or t.lower_ in _CONNECTORS for t in toks) and not any(
                    g.feat[i] in (F_COUNTRY, F_OTHER) and g.pop[i] >= 1_000_000
                    and g.exact_name(i, m.text) for i in m.ids):
                return False  # "Great Lakes", "New Hope"; not "the European Union"
        return True

    def _feature_hint(self, doc: Doc, m: _Mention) -> int | None:
        r = self.rules
        nxt = doc[m.tok_end] if m.tok_end < len(doc) else None
        last = doc[m.tok_end - 1].lower_
        if nxt is not None:
            w = nxt.lower_
            if w in r.admin1_words or last in r.admin1_words:
                return F_ADMIN1
            if w in r.admin2_words or last in r.admin2_words:
                return F_ADMIN2
            if w in ("city", "town") and not (m.tok_end + 1 < len(doc) and doc[m.tok_end + 1].lower_ in (
                    "council", "hall", "police", "officials", "authorities", "mayor", "centre", "center")):
                return F_CITY  # "Chittagong city", "Baquba town": the settlement, not the province
        if last in r.admin2_words:
            return F_ADMIN2
        if m.tok_start >= 2:
            p2, p1 = doc[m.tok_start - 2].lower_, doc[m.tok_start - 1].lower_
            if p1 == "of" and p2 in ("town", "city", "village", "villages", "towns", "suburb",
                                     "district", "neighbourhood", "neighborhood", "capital"):
                return F_CITY
            if p1 == "of" and p2 in ("province", "governorate", "state", "region", "oblast"):
                return F_ADMIN1
        if m.tok_start >= 1 and doc[m.tok_start - 1].lower_ in ("town", "city", "village"):
            return F_CITY
        if m.tok_start >= 2 and doc[m.tok_start - 2].lower_ == "coded" and doc[m.tok_start - 1].lower_ in ("to", "as"):
            return F_CITY  # "(coded to Zaporizhia, Zaporizhia)": coders code to a named town
        return None

    # ------------------------------------------------------------------------------------------
    # "X (District, Province)" qualifiers

    def _city_parts(self, doc: Doc, mentions: list[_Mention]) -> None:
        """ACLED's names of a part of a large city, "City - Part" ("Dhaka - Mirpur", "Rio de
        Janeiro - North Zone"): one mention of the whole name, resolved among the city's
        entries (the part lies in it). Two places joined by a dash ("Dhaka - Chittagong", "Gaza
        - Israel") are no such name: the part must not be a country, a province or another
        large town of the same country."""
        g = self.gazetteer
        rules = _event_rules()
        text = doc_text(doc)
        for mt in _CITY_PART.finditer(text):
            words = mt.group(1).split(" ")
            city_ids: list[int] = []
            city_start = mt.start(1)
            for k in range(len(words)):
                name = " ".join(words[k:])
                low = name.lower()
                for w in rules.city_drop_words:
                    if low.endswith(" " + w) and not self._big_towns(g.lookup(name), rules):
                        name = name[: -len(w) - 1]
                        break
                ids = self._big_towns(g.lookup(name), rules)
                if ids:
                    city_ids = ids
                    city_start = mt.start(1) + len(" ".join(words[:k])) + (1 if k else 0)
                    break
            if not city_ids:
                continue
            top_pop = max(g.pop[i] for i in city_ids)
            city_ids = [i for i in city_ids if g.pop[i] * 2 >= top_pop]  # the big city of the name
            part = mt.group(2)
            pids = g.lookup(part)
            ccs = {g.iso2(i) for i in city_ids}

            def km(i: int) -> float:
                return min(haversine_km(g.lat[i], g.lon[i], g.lat[c], g.lon[c]) for c in city_ids)

            inside = any(g.iso2(i) in ccs and km(i) <= 30 for i in pids)  # "Donetsk - Kyivskyi"
            if any(g.feat[i] in (F_COUNTRY, F_ADMIN1) for i in pids) or (not inside and any(
                    g.feat[i] == F_CITY and g.pop[i] >= rules.city_min_pop and g.iso2(i) in ccs
                    and g.exact_name(i, part) for i in pids)):
                continue
            span = doc.char_span(city_start, mt.end(2), alignment_mode="expand")
            if span is None or not len(span):
                continue
            mentions[:] = [m for m in mentions if m.end <= span.start_char or m.start >= span.end_char]
            m = _Mention(span.start_char, span.end_char, span.start, span.end, span.text, "city part",
                         city_ids)
            mentions.append(m)
        mentions.sort(key=lambda m: m.start)

    def _big_towns(self, ids: list[int], rules: "_EventRules") -> list[int]:
        g = self.gazetteer
        return [i for i in ids if g.feat[i] == F_CITY and g.pop[i] >= rules.city_min_pop]

    def _seat_town(self, m: _Mention) -> int | None:
        """A name the gazetteer does not know that is a known town's name and a seat word
        ("Jhenaidah Sadar", "Feni Sadar upazila", "Baquba City"): that town, within the
        qualifier's province when there is one."""
        g = self.gazetteer
        low = m.text.lower()
        for w in _event_rules().seat_words:
            if not low.endswith(" " + w):
                continue
            stem = m.text[: -len(w) - 1].strip(" ,-")
            ids = [i for i in g.lookup(stem) if g.feat[i] in (F_CITY, F_ADMIN2)]
            if m.qual_a1:
                cells = {(g.iso2(i), g.admin1(i) if g.feat[i] == F_ADMIN1 else None) for i in m.qual_a1}
                ids = [i for i in ids if (g.iso2(i), g.admin1(i)) in cells or (g.iso2(i), None) in cells]
            if ids:
                return max(ids, key=lambda i: (g.feat[i] == F_CITY, g.pop[i]))
        return None

    def _qualifier_parts(self, inner: str) -> tuple[list[int], list[int]] | None:
        """Entries of a qualifier's parts: ``(narrowest, province)``. "Malanville, Alibori" ->
        (Malanville's admin2 and town entries in Alibori, Alibori); "Bayern" -> ([], Bavaria);
        "Syria" -> ([], Syria). None when the last part is no division or country (a
        party's initials, a translation, a person's affiliation)."""
        g = self.gazetteer
        parts = [p.strip() for p in inner.split(",") if p.strip()]
        if not 1 <= len(parts) <= 3 or any(len(p) > 40 or not p[:1].isupper() for p in parts):
            return None
        if len(parts) >= 2 and not any(g.feat[i] in (F_ADMIN1, F_COUNTRY) for i in g.lookup(parts[-1])) \
                and any(g.feat[i] == F_ADMIN1 for i in g.lookup(parts[0])):
            parts = parts[::-1]  # "(Donga, Copargo)": the province written first
        last = parts[-1]
        if last.lower() in self.rules.stop and last.lower() not in ("south", "north", "east", "west",
                                                                     "centre", "center"):
            return None
        top = [i for i in g.lookup(last) if g.feat[i] in (F_ADMIN1, F_COUNTRY)]
        if not top and last.lower().split()[-1] in self.rules.admin1_words and " " in last:
            top = [i for i in g.lookup(last.rsplit(" ", 1)[0]) if g.feat[i] == F_ADMIN1]
        if not top:
            # the coder's province is GeoNames' second level ("(Bunya, Mayuge)" in Uganda, the
            # provinces of the Philippines): taken when it names districts of one country only
            top = [i for i in g.lookup(last) if g.feat[i] == F_ADMIN2]
            if len({g.iso2(i) for i in top}) != 1:
                return None
        if len(parts) == 1:
            # "(Rajshahi)": a province and its district of the same name; the coder wrote the
            # district once for both, and the district is the narrower place
            same = [i for i in g.lookup(last) if g.feat[i] == F_ADMIN2 and any(
                g.feat[t] == F_ADMIN1 and (g.iso2(i), g.admin1(i)) == (g.iso2(t), g.admin1(t)) for t in top)]
            return same, top  # several countries' divisions ("(Capital)"): see _qualifiers
        cells = {(g.iso2(i), g.admin1(i) if g.feat[i] == F_ADMIN1 else None) for i in top}

        def inside(i: int) -> bool:
            return (g.iso2(i), g.admin1(i)) in cells or (g.iso2(i), None) in cells

        a = parts[-2]
        a_low = a.lower()
        ids = g.lookup(a)
        for w in ("city", "town", "district"):  # "coded to Tiruvannamalai city"
            if not ids and a_low.endswith(" " + w):
                ids = g.lookup(a[: -len(w) - 1])
        narrow = [i for i in ids if g.feat[i] in (F_ADMIN2, F_CITY, F_ADMIN1) and inside(i)]
        if not narrow:
            # the coder's divisions need not be GeoNames' ("Beit Hanoun (North Gaza, Gaza
            # Strip)"): a division of the same country is taken as the narrower part
            ccs = {g.iso2(i) for i in top}
            narrow = [i for i in ids if g.feat[i] in (F_ADMIN2, F_ADMIN1) and g.iso2(i) in ccs]
            if not narrow:
                # "(Islamabad, FCT)" read as Nigeria's capital territory: the two parts name no
                # place together, so the qualifier is not understood
                strong = any((g.feat[i] in (F_ADMIN1, F_ADMIN2) or g.pop[i] >= 100_000)
                             and g.exact_name(i, a) for i in ids)
                return None if strong else ([], top)  # a hamlet abroad ("Bunya") is no objection
            return sorted(narrow, key=lambda i: (g.feat[i] != F_ADMIN2, -g.pop[i])), top
        narrow_a1 = {(g.iso2(i), g.admin1(i)) for i in narrow}
        top = [i for i in top if g.feat[i] == F_COUNTRY or (g.iso2(i), g.admin1(i)) in narrow_a1] or top
        # the district first, then its seat town, then the rest by size
        narrow.sort(key=lambda i: ({F_ADMIN2: 0, F_CITY: 1, F_ADMIN1: 2}[g.feat[i]], -g.pop[i]))
        return narrow, top

    def _qualifiers(self, doc: Doc, mentions: list[_Mention]) -> None:
        """ACLED-style qualifiers: "Noma Tounga (Malanville, Alibori)", "Piesenkam (Bayern)",
        "coded to Mamassi-Gourma (Karimama, Alibori)". The name before the parenthesis is
        looked for inside the district and province the parenthesis names (its homonyms
        elsewhere are dropped); a name the gazetteer does not know there is coded to the
        district (``_coded_to``). The names inside the parenthesis are marked as qualifiers:
        they describe the place, they are not where anything happened."""
        g = self.gazetteer
        text = doc_text(doc)
        for mt in _QUALIFIER.finditer(text):
            end = mt.start()
            while end > 0 and text[end - 1] == " ":
                end -= 1
            if re.match(r"\(\s*coded", mt.group(0), re.I) and "," not in mt.group(1):
                # "Diyala province (coded to Baquba)": the name is where the coder put the event,
                # no qualifier of the province ("(coded as Gazipur, Dhaka)" after a sub-district
                # is one: the sub-district is coded to Gazipur)
                continue
            city = next((m for m in mentions if m.end == end and m.source == "city part"), None)
            if city is not None:
                # "Dhaka - Dhanmondi (New Market)": the parenthesis names the part's own
                # division, which the city already places (a homonym abroad is not it)
                ccs = {g.iso2(i) for i in city.ids}
                for m in mentions:
                    if mt.start(1) <= m.start and m.end <= mt.end(1):
                        m.qualifier = True
                        m.ids = [i for i in m.ids if g.iso2(i) in ccs]
                continue
            got = self._qualifier_parts(mt.group(1))
            if got is None:
                continue
            narrow, top = got
            end = mt.start()
            while end > 0 and text[end - 1] == " ":
                end -= 1
            left = doc.char_span(max(0, end - 1), end, alignment_mode="expand")
            if left is None or not len(left):
                continue
            e = left.end
            while e > 1 and (doc[e - 1].lower_ in _QUALIFIED_NOUNS
                             or doc[e - 1].lower_ in _event_rules().division_nouns) \
                    and doc[e - 2].text[:1].isupper():
                e -= 1  # "Alpha-Kpara village (Djougou, Donga)": the name before the noun
                end = doc[e - 1].idx + len(doc[e - 1].text)
            x = next((m for m in mentions if m.end == end and not m.qualifier), None)
            if x is None:
                a = e
                while a > 0 and e - a < 4 and not (a < e and doc[a].is_sent_start) and (
                        doc[a - 1].text[:1].isupper() or doc[a - 1].text == "-"
                        or (a < e and doc[a - 1].lower_ in _CONNECTORS and doc[a - 1].lower_ != "of")):
                    a -= 1
                while a < e and not doc[a].text[:1].isupper():
                    a += 1
                if a >= e or (e - a == 1 and doc[a].lower_ in self.rules.stop):
                    continue
                span = doc[a:e]
                if span.text.lower() in self.rules.demonyms:
                    continue
                ids = g.lookup(span.text)
                x = _Mention(span.start_char, span.end_char, a, e, span.text, "qualified", ids)
                # a mention overlapping the name ("Tounga (Malanville" as one entity) gives way
                mentions[:] = [m for m in mentions if m.end <= x.start or m.start >= x.end]
                mentions.append(x)
            cells = {(g.iso2(i), g.admin1(i)) for i in narrow} | {
                (g.iso2(i), g.admin1(i) if g.feat[i] == F_ADMIN1 else None) for i in top}
            generic = len(mt.group(1).split(",")) == 1 and mt.group(1).strip().lower() in self.rules.generic_divisions
            if not narrow and (len({g.iso2(i) for i in top}) > 1 or generic):
                # "(Capital)", "(West)": divisions of several countries; the name itself decides
                fit = [i for i in top if any((g.iso2(j), g.admin1(j)) == (g.iso2(i), g.admin1(i))
                                             for j in x.ids if j not in top)]
                if len({g.iso2(i) for i in fit}) != 1:
                    continue
                top = fit
                cells = {(g.iso2(i), g.admin1(i)) for i in top}

            def inside(i: int) -> bool:
                return (g.iso2(i), g.admin1(i)) in cells or (g.iso2(i), None) in cells

            # a town inside the qualifier's divisions is the place even when the text spells it
            # by a minor alternate name that recognition alone does not trust ("Tyotkino")
            own = [i for i in dict.fromkeys([*x.ids, *g.lookup(x.text)]) if inside(i) and i not in top]
            if not own and x.ids and all(i in top or i in narrow for i in x.ids):
                own = [i for i in x.ids if i in narrow or i in top]  # "Kursk (Kursk)"
            x.ids = own
            x.qual, x.qual_a1 = narrow + top, top
            x.container = narrow[:3] + top
            x.reason = ""
            # the names listed before it share its qualifier: "Akatakou, Koko and Malomi (Bante,
            # Collines)"
            edge = x.start
            for _k in range(8):
                mt2 = _LISTED_BEFORE.search(text, max(0, edge - 60), edge)
                if mt2 is None or mt2.end() != edge:
                    break
                a1_, b1_ = mt2.start(1), mt2.end(1)
                m = next((o for o in mentions if o.start == a1_ and o.end == b1_), None)
                if m is None:
                    if any(o.start < b1_ and a1_ < o.end for o in mentions):
                        break
                    sp = doc.char_span(a1_, b1_)
                    if sp is None or mt2.group(1).lower() in self.rules.stop:
                        break
                    m = _Mention(a1_, b1_, sp.start, sp.end, sp.text, "qualified", g.lookup(sp.text))
                    mentions.append(m)
                m.ids = [i for i in dict.fromkeys([*m.ids, *g.lookup(m.text)]) if inside(i) and i not in top]
                m.qual, m.qual_a1, m.container = list(x.qual), list(top), list(x.container)
                edge = a1_
            # the names inside the parenthesis: qualifiers of x
            a0, b0 = mt.start(1), mt.end(1)
            for m in mentions:
                if a0 <= m.start and m.end <= b0:
                    m.qualifier = True
                    m.ids = [i for i in m.ids if i in narrow or i in top] or m.ids
        mentions.sort(key=lambda m: m.start)

    #: a town of this size abroad is named for itself, not as a homonym of a village at home
    foreign_town_pop = 100_000

    def _strong_country(self, mentions: list[_Mention]) -> str | None:
        """The country that the text itself states: qualifiers ("(Nikki, Borgou)") and
        first-level divisions named by their main name. Countries named (often only talked
        of), demonyms, towns and the actors' words are no part of it. None unless one country
        has a qualifier or two such names and 70 % of that evidence."""
        g = self.gazetteer
        votes: Counter = Counter()
        for m in mentions:
            if m.qualifier:
                continue
            if m.qual_a1:
                for cc in {g.iso2(i) for i in m.qual_a1}:
                    votes[cc] += 2.0
            elif m.chosen is not None and g.feat[m.chosen] == F_ADMIN1 and g.exact_name(m.chosen, m.text):
                votes[g.iso2(m.chosen)] += 1.0  # a province: a country named is often only talked of
        if not votes:
            return None
        cc, top = votes.most_common(1)[0]
        # a qualifier, or two names of the country's own, and no other country as strong
        return cc if top >= 2.0 and top / sum(votes.values()) >= 0.7 else None

    def _foreign_homonyms(self, mentions: list[_Mention]) -> None:
        """A foreign homonym needs evidence of its own: in an article whose text states its
        country (``_strong_country``), a town or district abroad that nothing in the text
        places there (no "X, Country" pattern, no qualifier) and that is no large city is the
        article's own place: its candidate at home when it has one, else an unknown name
        (coded to the nearest named place by ``event_location``)."""
        g = self.gazetteer
        home = self._strong_country(mentions)
        if home is None:
            return
        named = {g.iso2(m.chosen) for m in mentions if m.chosen is not None
                 and g.feat[m.chosen] in (F_COUNTRY, F_ADMIN1)}  # "Beninese ... Niger", "Kano, Nigeria"
        for m in mentions:
            c = m.chosen
            if c is None or m.qualifier or g.iso2(c) == home or g.feat[c] not in (F_CITY, F_ADMIN2) \
                    or g.iso2(c) in named:
                continue
            parts = m.parts.get(c, {})
            if parts.get("pattern", 0.0) > 0 or parts.get("named county", 0.0) > 0 \
                    or parts.get("nearby places", 0.0) >= 1.0 or g.pop[c] >= self.foreign_town_pop:
                continue  # evidence of its own: "X, Country", its county named, its neighbours
            at_home = [i for i in m.ids if g.iso2(i) == home]
            if at_home:
                m.chosen = max(at_home, key=lambda i: m.scores.get(i, 0.0))
                m.reason = f"the text places the article in {home}; a homonym abroad needs evidence"
            else:
                m.chosen = None
                m.reason = f"unknown: its only candidates lie outside {home}, where the text is set"

    def _qualified_fallback(self, mentions: list[_Mention]) -> None:
        """A qualified name whose choice does not lie where its qualifier says is left to the
        qualifier (``_coded_to``)."""
        g = self.gazetteer
        for m in mentions:
            if not m.qual or m.chosen is None:
                continue
            cells = {(g.iso2(i), g.admin1(i)) for i in m.qual if g.feat[i] != F_COUNTRY}
            ccs = {g.iso2(i) for i in m.qual_a1}
            c = m.chosen
            if g.iso2(c) not in ccs or (cells and (g.iso2(c), g.admin1(c)) not in cells):
                m.chosen = None

    def _coded_to(self, m: _Mention) -> Place | None:
        """ACLED's rule for a village the gazetteer does not know: the village's name, at the
        point of the district (or town) its qualifier names, else of its province; the reason
        says which (``event_location`` gives geo_precision 2, or 3 for a province)."""
        g = self.gazetteer
        if not m.qual:
            return None
        i = m.qual[0]
        seat = self._seat_town(m)
        if seat is not None:
            i = seat
        p = g.place(i)
        what = {F_ADMIN2: "district", F_CITY: "town", F_ADMIN1: "province", F_COUNTRY: "country"}.get(
            g.feat[i], "place")
        m.reason = f"unknown place coded to the {what} {g.names[i]} " + (
            "(its name's town)" if seat is not None else "(its qualifier)")
        return Place(geonameid=None, name=m.text, latitude=p.latitude, longitude=p.longitude,
                     country=p.country, iso2=p.iso2, iso3=p.iso3, admin1=p.admin1,
                     admin2=p.admin2 if g.feat[i] in (F_ADMIN2, F_CITY) else None, feature="city")

    # ------------------------------------------------------------------------------------------
    # "X, Y" and "X in Y (province)" patterns

    def _patterns(self, doc: Doc, mentions: list[_Mention]) -> None:
        text = doc_text(doc)
        # lists of names ("stops in Washington, New York and Boston"): peers, not each other's
        # surroundings, so one does not place another near it
        run: list[_Mention] = []
        for a, m in enumerate(mentions + [None]):  # type: ignore[list-item]
            if m is not None and run and re.fullmatch(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)",
                                                   text[run[-1].end : m.start]):
                run.append(m)
                continue
            if len(run) >= 3 or (len(run) == 2 and re.fullmatch(
                    r"\s*(?:and|or)\s+", text[run[0].end : run[1].start])):
                keys = {place_key(x.text) for x in run}
                for x in run:
                    x.peers = keys - {place_key(x.text)}
            run = [m] if m is not None else []
        for a, m in enumerate(mentions):
            after = text[m.end : m.end + 40]
            # "X, Y": Y the next mention, right after a comma
            if a + 1 < len(mentions) and not m.qual:
                y = mentions[a + 1]
                gap = text[m.end : y.start]
                comma = re.fullmatch(r"\s*,\s*", gap)
                if comma and re.match(r"\s+(?:and|or|&)\s+[A-Z]", text[y.end : y.end + 12]):
                    comma = None  # "stops in Washington, New York and Boston": a list of places
                if comma or re.fullmatch(r"\s+in\s+(?:the\s+)?", gap) \
                        or re.fullmatch(r"\s*\(\s*", gap):
                    cont = [i for i in y.ids if self.gazetteer.feat[i] in (F_COUNTRY, F_ADMIN1, F_ADMIN2)]
                    if cont:
                        m.container = cont
                    g = self.gazetteer
                    a1s = [i for i in y.ids if g.feat[i] == F_ADMIN1]
                    if a1s and comma is not None and len({(g.iso2(i), g.admin1(i)) for i in y.ids}) == 1:
                        # "near Vodyane, Donetsk": the province is stated; a homonym elsewhere
                        # is not the place (``_qualified_fallback``)
                        m.qual, m.qual_a1 = list(a1s), list(a1s)
            # "X, La." : AP-style state abbreviations
            mt = re.match(r"\s*,\s*([A-Z][A-Za-z]{0,4}\.(?:[A-Z][a-z]?\.)?|[A-Z]{2})(?![A-Za-z])", after)
            if mt and not m.container:
                ids = self._abbrev_admin1.get(mt.group(1))
                if ids:
                    m.container = ids

    # ------------------------------------------------------------------------------------------
    # disambiguation

    def _focus(self, doc: Doc, mentions: list[_Mention]) -> tuple[Counter, Counter]:
        """Country and admin1 focus of the article: shares of evidence per ISO2 / (ISO2, admin1)."""
        c, a, _by = self._focus_evidence(doc, mentions)
        return _shares(c), _shares(a)

    def _focus_evidence(
        self, doc: Doc, mentions: list[_Mention]
    ) -> tuple[Counter, Counter, dict[str, tuple[Counter, Counter]]]:
        """Raw country and admin1 evidence of the article, and each name's own part of it (keyed
        by ``light_key``), so that a name can be scored against the focus that the *other*
        names give: "Alexandria" alone must not make Egypt the focus of a Louisiana story."""
        g = self.gazetteer
        countries: Counter = Counter()
        admin1s: Counter = Counter()
        by_name: dict[str, tuple[Counter, Counter]] = {}
        for m in mentions:
            if not m.ids:
                continue
            own = by_name.setdefault(light_key(m.text), (Counter(), Counter()))
            before_c, before_a = Counter(countries), Counter(admin1s)
            self._focus_one(m, countries, admin1s)
            own[0].update({k: v - before_c.get(k, 0.0) for k, v in countries.items()
                           if v != before_c.get(k, 0.0)})
            own[1].update({k: v - before_a.get(k, 0.0) for k, v in admin1s.items()
                           if v != before_a.get(k, 0.0)})
            for i in m.container:  # "X, Texas": the text's own statement, shared by all names
                if g.feat[i] == F_ADMIN1:
                    admin1s[(g.iso2(i), g.admin1(i))] += 1.0
        for ent in doc.ents:
            if ent.label_ == "NORP":
                for cc in self.rules.demonyms.get(ent.text.lower(), [])[:2]:
                    countries[cc] += 0.7
        r = self.rules
        if r.country_cues is not None:  # "Police Department", "Board of Selectmen"
            cue = Counter(r.cue_country[x.group(0).lower()] for x in r.country_cues.finditer(doc_text(doc)))
            for cc, n in cue.items():
                countries[cc] += min(r.cue_cap, r.cue_weight * n)
        return countries, admin1s, by_name

    def _focus_one(self, m: _Mention, countries: Counter, admin1s: Counter) -> None:
        """Add one mention's evidence to the country and admin1 focus counters."""
        g = self.gazetteer
        feats = {g.feat[i] for i in m.ids}
        exact = [i for i in m.ids if g.exact_name(i, m.text)] or m.ids
        # districts known only by name (no town of theirs in the data) say nothing of the focus
        exact = [i for i in exact if g.pop[i] or g.feat[i] != F_ADMIN2] or exact
        if F_COUNTRY in feats:
            # "Syria" counts fully; "Georgia" or "Lebanon", also US places, count half
            others = {g.iso2(i) for i in exact if g.feat[i] != F_COUNTRY and g.pop[i] >= 5_000}
            for i in m.ids:
                if g.feat[i] == F_COUNTRY:
                    countries[g.iso2(i)] += 0.5 if others else 1.0
            for cc in others:
                countries[cc] += 0.5 / len(others)
            return
        # weight spread over candidate countries, by population share
        pops = defaultdict(float)  # each country by its largest candidate
        for i in exact:
            pops[g.iso2(i)] = max(pops[g.iso2(i)], float(g.pop[i] + 10))
        tot = sum(pops.values()) or 1.0
        w = 0.5 if len(pops) == 1 else 0.25
        for cc, p in pops.items():
            countries[cc] += w * p / tot
        a1 = {(g.iso2(i), g.admin1(i)) for i in exact if g.admin1(i)}
        if len(a1) == 1 and (F_ADMIN1 in feats or len(exact) == 1):
            admin1s[next(iter(a1))] += 1.0 if F_ADMIN1 in feats else 0.5

    def _resolve(self, doc: Doc, mentions: list[_Mention]) -> None:
        g = self.gazetteer
        all_c, all_a, own = self._focus_evidence(doc, mentions)
        focus_memo: dict[str, tuple[Counter, Counter]] = {}

        def focus_without(key: str) -> tuple[Counter, Counter]:
            """The focus that the article's other names give (leave this name out)."""
            if key not in focus_memo:
                oc, oa = own.get(key, (Counter(), Counter()))
                c = Counter({k: v - self.own_share * oc.get(k, 0.0) for k, v in all_c.items()})
                a = Counter({k: v - self.own_share * oa.get(k, 0.0) for k, v in all_a.items()})
                c, a = +c, +a
                # little evidence from the other names ("Washington" alone) is a weak focus
                sure = min(1.0, sum(c.values()) / self.focus_evidence_full)
                sc = Counter({k: v * sure for k, v in _shares(c).items()})
                focus_memo[key] = (sc, _shares(a))
            return focus_memo[key]
        near_names = self._neighbours(mentions)
        contained = self._containment(mentions)
        for rnd in range(2):
            anchors = self._anchors(mentions) if rnd else []
            memo: dict[tuple, tuple[dict, dict]] = {}  # repeated names are scored once
            for m in mentions:
                if not m.ids:
                    if not m.reason:
                        m.reason = "not in the gazetteer"
                    continue
                sig = (light_key(m.text), m.hint, tuple(m.container), tuple(m.ids), tuple(sorted(m.peers)))
                if sig in memo:
                    parts, scores = memo[sig]
                    m.parts, m.scores = dict(parts), dict(scores)
                else:
                    m.scores.clear()
                    m.parts.clear()
                    countries, admin1s = focus_without(light_key(m.text))
                    for i in m.ids:
                        own_anchors = [a for a in anchors if a[0] not in m.peers]
                        p = self._features(m, i, countries, admin1s, own_anchors, near_names,
                                           contained)
                        m.parts[i] = p
                        m.scores[i] = sum(p.values())
                    memo[sig] = (m.parts, m.scores)
                ranked = sorted(m.ids, key=lambda i: -m.scores[i])
                m.chosen = ranked[0]
                top = m.scores[ranked[0]]
                second = m.scores[ranked[1]] if len(ranked) > 1 else None
                m.score = _confidence(top, second)
                m.reason = _reason(m, ranked, g)
                if m.embedded:
                    m.reason = "inside a name; " + m.reason
        self._leave_doubtful(mentions)
        # drop weak gazetteer-only guesses; leave unresolved division names that are common
        # words ("Coast", "North West", "Mountain") resolved to a division of a country the
        # article is not about (Gulf province of Papua New Guinea)
        keep = []
        for m in mentions:
            if m.chosen is not None and light_key(m.text) in self.rules.generic_words \
                    and g.feat[m.chosen] in (F_ADMIN1, F_ADMIN2) \
                    and m.parts[m.chosen].get("country focus", 0.0) < 0.3 * self.w_country \
                    and not m.parts[m.chosen].get("pattern", 0.0) \
                    and not (m.tok_end < len(doc) and doc[m.tok_end].is_lower and doc[m.tok_end].is_alpha
                             and not doc[m.tok_end].is_stop):
                # (before a lower-case noun, "the Gulf coast city", "the Qalamoun Mountain
                # region", the word is part of a longer description: left as it was)
                if m.text[:1].isupper():  # kept unresolved: still a name here ("the Gulf")
                    m.chosen, m.score = None, 0.0
                    m.reason = "a common word that names a division of a country the article is not about"
                    keep.append(m)
                continue
            if m.chosen is not None and m.source == "gazetteer":
                p = m.parts[m.chosen]
                support = p.get("pattern", 0) + p.get("country focus", 0) + p.get("region focus", 0) \
                    + p.get("nearby places", 0)
                if g.pop[m.chosen] < 1000 and support < 0.5:
                    continue
            keep.append(m)
        mentions[:] = keep

    def _leave_doubtful(self, mentions: list[_Mention]) -> None:
        """Leave unresolved a name whose choice barely beats a homonym far away (rules.yaml
        ``ambiguity``): "Alexandria" in a local story with no county, state or nearby town is
        Virginia's, Louisiana's or Minnesota's by a hair of population; a guess there is wrong
        more often than right. A rival close to the choice (a town and its county) is no doubt."""
        g = self.gazetteer
        floor = self.rules.min_confidence
        if floor <= 0.0:
            return
        for m in mentions:
            if m.chosen is None or len(m.ids) < 2 or not m.scores:
                continue
            c = m.chosen
            if g.feat[c] == F_CITY and g.pop[c] >= self.rules.sure_population:
                continue  # "WASHINGTON —": the capital, whatever small namesake the states pull to
            rivals = [m.scores[i] for i in m.ids if i != c and i in m.scores
                      and g.iso2(i) == g.iso2(c)
                      and haversine_km(g.lat[i], g.lon[i], g.lat[c], g.lon[c]) > self.rules.rival_km]
            if not rivals:
                continue
            conf = _confidence(m.scores[c], max(rivals))
            if conf < floor:
                m.chosen, m.score = None, conf
                m.reason = (f"too ambiguous: homonyms far apart in one country and no evidence between "
                            f"them; {len(m.ids)} candidates")

    def _containment(self, mentions: list[_Mention]) -> set[int]:
        """Candidates that another name of the article contains or lies in, at the county
        level: a town candidate that lies in a county candidate of another name, and that
        county candidate ("Paris ... Henry County": Paris, Tennessee and Henry County,
        Tennessee)."""
        g = self.gazetteer
        towns: dict[tuple, set[str]] = defaultdict(set)
        counties: dict[tuple, set[str]] = defaultdict(set)
        for m in mentions:
            key = light_key(m.text)
            if self._too_ambiguous(m, self.max_witness_counties):
                continue
            for i in m.ids:
                a2 = g.admin2(i)
                if not a2:
                    continue
                cell = (g.iso2(i), g.admin1(i), a2)
                if g.feat[i] == F_CITY:
                    towns[cell].add(key)
                elif g.feat[i] == F_ADMIN2:
                    counties[cell].add(key)
        out: set[int] = set()
        for m in mentions:
            key = light_key(m.text)
            for i in m.ids:
                a2 = g.admin2(i)
                if not a2 or g.feat[i] not in (F_CITY, F_ADMIN2):
                    continue
                cell = (g.iso2(i), g.admin1(i), a2)
                other = counties if g.feat[i] == F_CITY else towns
                if other.get(cell, set()) - {key}:
                    out.add(i)
        return out

    def _neighbours(self, mentions: list[_Mention]) -> dict[int, int]:
        """For each town or county candidate, how many other names of the article have a town
        or county candidate within about 150 km (grid cells of 1.25 degrees and their
        neighbours): local news names places that lie near each other."""
        g = self.gazetteer
        step = 1.25
        cells: dict[tuple[int, int], set[str]] = defaultdict(set)
        by_key: dict[str, list[tuple[int, tuple[int, int]]]] = {}
        for m in mentions:
            if not m.ids:
                continue
            key = place_key(m.text)
            if key in by_key:
                continue
            cands = []
            witness = not self._too_ambiguous(m, self.max_witness_candidates)
            for i in m.ids:
                if g.feat[i] in (F_CITY, F_ADMIN2):
                    c = (int(math.floor(g.lat[i] / step)), int(math.floor(g.lon[i] / step)))
                    cands.append((i, c))
                    if witness:
                        cells[c].add(key)
            by_key[key] = cands
        out: dict[int, int] = {}
        for key, cands in by_key.items():
            for i, (a, b) in cands:
                names: set[str] = set()
                for da in (-1, 0, 1):
                    for db in (-1, 0, 1):
                        names |= cells.get((a + da, b + db), set())
                names.discard(key)
                if names:
                    out[i] = len(names)
        return out

    def _too_ambiguous(self, m: _Mention, limit: int) -> bool:
        g = self.gazetteer
        return sum(1 for i in m.ids if g.feat[i] in (F_CITY, F_ADMIN2)) > limit

    def _anchors(self, mentions: list[_Mention]) -> list[tuple[str, int]]:
        """(name key, entry) of confidently resolved non-country places."""
        g = self.gazetteer
        out: dict[tuple[str, int], None] = {}
        for m in mentions:
            if m.chosen is not None and g.feat[m.chosen] in (F_CITY, F_ADMIN2, F_ADMIN1) and m.score >= 0.6:
                out[(place_key(m.text), m.chosen)] = None
        return list(out)

    def _features(self, m: _Mention, i: int, countries: Counter, admin1s: Counter,
                  anchors: list[tuple[str, int]], near_names: dict[int, int],
                  contained: set[int] | frozenset[int] = frozenset()) -> dict[str, float]:
        g = self.gazetteer
        f = g.feat[i]
        cc = g.iso2(i)
        p: dict[str, float] = {}
        world = f == F_OTHER and not cc  # a sea or a region over several countries (our own list)
        # a city of 100,000 or more is as well known by its other spellings ("Zaporizhzhia" for
        # Zaporizhzhya) as by its main name: a hamlet spelled exactly so does not beat it
        p["exact name"] = 2.0 if world or g.exact_name(i, m.text) or (
            f == F_CITY and g.pop[i] >= 100_000 and _similar(g.names[i], m.text)) else 0.0
        pop = g.pop[i] if f in (F_CITY, F_COUNTRY) else g.pop[i] / 5  # a division sums its towns
        p["population"] = self.w_pop * math.log10(pop + 1)
        p["feature type"] = {F_COUNTRY: 2.5, F_ADMIN1: 0.9, F_ADMIN2: 0.2, F_CITY: 0.0}.get(f, 1.0 if world else -0.5)
        if f == F_COUNTRY and any(
            g.feat[j] == F_ADMIN1 and g.iso2(j) != cc
            and countries.get(g.iso2(j), 0.0) > countries.get(cc, 0.0) for j in m.ids
        ):
            p["feature type"] = 0.9  # "Georgia" in a story set in the US: the state
        if f in (F_ADMIN1, F_ADMIN2) and m.hint is None and any(
            g.feat[j] == F_CITY and g.iso2(j) == cc and g.admin1(j) == g.admin1(i) for j in m.ids
        ):
            p["feature type"] -= 1.5  # "Homs" is the city unless the text says "province"
        if f == F_ADMIN1 and m.hint is None and any(
            g.feat[j] == F_CITY and g.iso2(j) == cc and g.pop[j] >= 500_000
            and g.admin1(j) != g.admin1(i) for j in m.ids
        ):
            p["feature type"] -= 3.0  # "Washington": the capital in its own district, not the state
        if m.hint is not None:
            if f == m.hint:
                p["feature type"] += 2.0
            elif m.hint == F_CITY and f != F_CITY:
                p["feature type"] -= 1.0
        # a region over several countries lies in none: the article's country neither helps nor hurts it
        p["country focus"] = self.w_country * (max(countries.values(), default=0.0) if world else countries.get(cc, 0.0))
        if f != F_COUNTRY:
            a1 = g.admin1(i)
            p["region focus"] = self.w_region * admin1s.get((cc, a1), 0.0) if a1 else 0.0
        if m.container:
            hit = 0.0
            for c in m.container:
                if g.iso2(c) != cc:
                    continue
                fc = g.feat[c]
                if fc == F_COUNTRY:
                    hit = max(hit, 3.0)
                elif fc == F_ADMIN1 and g.admin1(c) == g.admin1(i):
                    hit = max(hit, 5.0)
                elif fc == F_ADMIN2 and g.admin2(c) and g.admin2(c) == g.admin2(i):
                    hit = max(hit, 5.0)
            p["pattern"] = hit
        if anchors and f != F_COUNTRY:
            best = None
            own = place_key(m.text)
            for k, j in anchors:
                if k == own or g.feat[j] == F_COUNTRY:
                    continue
                d = haversine_km(g.lat[i], g.lon[i], g.lat[j], g.lon[j])
                best = d if best is None else min(best, d)
            if best is not None:
                p["nearby places"] = self.w_near * max(0.0, 1.0 - best / 400.0)
        n_near = near_names.get(i, 0)
        if n_near:
            p["nearby places"] = max(p.get("nearby places", 0.0), self.w_coh * min(1.0, n_near / 2))
        if i in contained:
            p["named county"] = self.w_contain
        return p


# ----------------------------------------------------------------------------------------------
# helpers


def _sized(g: Gazetteer, ids: list[int]) -> list[int]:
    """Entries without the districts known only by name (no town of theirs in the data): a part
    of a longer name ("Shabelle" of "Lower Shabelle") is not looked for among those."""
    return [i for i in ids if g.pop[i] or g.feat[i] != F_ADMIN2]


@lru_cache(maxsize=20_000)
def _similar(a: str, b: str) -> bool:
    """Two spellings of one name ("Zaporizhzhya" / "Zaporizhzhia"), not two names ("Baltimore" /
    "Old Town")."""
    from rapidfuzz import fuzz

    return fuzz.ratio(light_key(a), light_key(b)) >= 85


def _shares(c: Counter) -> Counter:
    tot = sum(c.values())
    if not tot:
        return Counter()
    top = max(c.values())
    # share of the evidence, sharpened so that a clear leader counts fully
    return Counter({k: min(1.0, v / tot + (0.3 if v == top else 0.0)) for k, v in c.items()})


def _confidence(top: float, second: float | None) -> float:
    if second is None:
        return 0.95
    return 1.0 / (1.0 + math.exp(-(top - second) * 1.5))


def _reason(m: _Mention, ranked: list[int], g: Gazetteer) -> str:
    win = ranked[0]
    if len(ranked) == 1:
        return f"only candidate for {m.text!r} in the gazetteer"
    # explain the choice against the best candidate elsewhere (another country), which is the
    # choice a reader doubts; else against the runner-up
    second = next((i for i in ranked[1:] if g.iso2(i) != g.iso2(win)), ranked[1])
    pw, ps = m.parts[win], m.parts[second]
    diffs = {k: pw.get(k, 0.0) - ps.get(k, 0.0) for k in set(pw) | set(ps)}
    key = max(diffs, key=lambda k: diffs[k])
    if diffs.get("pattern", 0.0) >= 1.0:
        key = "pattern"  # the text says it outright: name that first
    what = {
        "pattern": "the 'X, Y' / 'X in Y' pattern names its country or region",
        "country focus": f"the article's country focus ({g.iso2(win)})",
        "region focus": f"the article's region focus ({g.admin1(win)})",
        "nearby places": "closest to the article's other places",
        "population": "largest population among the candidates",
        "exact name": "the text spells its main name",
        "feature type": f"feature type ({g.feature(win)})",
        "named county": "lies in (or holds) a county or town the article names",
    }[key]
    return f"{what}; {len(ranked)} candidates"


def _trim(ent: Span) -> Span | None:
    """Drop a leading article and a trailing possessive from an entity."""
    s, e = ent.start, ent.end
    doc = ent.doc
    while s < e and doc[s].lower_ in ("the", "a", "an"):
        s += 1
    while e > s and doc[e - 1].text in ("'s", "’s", "'", "’", ".", ",", "-"):
        e -= 1
    if s >= e:
        return None
    return doc[s:e]


# Cues that read the tagger's and the parser's labels when the pipeline has them, and spelling
# otherwise (the fast pipeline of ``fieldreport places`` runs the entity recogniser only).

def _has(doc: Doc, attr: str) -> bool:
    """Whether the pipeline set ``attr`` ("POS", "DEP") on this Doc; asked once per Doc."""
    key = "fr_has_" + attr
    v = doc.user_data.get(key)
    if v is None:
        v = doc.user_data[key] = doc.has_annotation(attr)
    return v


def _tagged(doc: Doc) -> bool:
    return _has(doc, "POS")


def _propn(tok: Token) -> bool:
    """A proper noun: the tagger's PROPN, or else a capitalised word."""
    return tok.pos_ == "PROPN" if _tagged(tok.doc) else _starts_name(tok)


def _noun(tok: Token) -> bool:
    """A common noun: the tagger's NOUN, or else a lower-case word that is not a stop word."""
    return tok.pos_ == "NOUN" if _tagged(tok.doc) else (tok.is_alpha and tok.is_lower and not tok.is_stop)


def _modifier(tok: Token, r: _Rules) -> bool:
    """A word between a preposition and a name ("in northern Mali", "at the Gao airport")."""
    if _tagged(tok.doc):
        return tok.pos_ in ("ADJ", "DET")
    low = tok.lower_
    return low in r.modifiers or (tok.is_alpha and tok.is_lower and low.endswith("ern"))


def _person_subject(span: Span, r: _Rules) -> bool:
    """The name is the subject of a verb that only people do ("Conway wrote", "said Grayson.")."""
    doc = span.doc
    last = span[-1]
    if _has(doc, "DEP"):
        return last.dep_ in ("nsubj", "nsubjpass") and (
            last.head.lower_ in r.person_verbs or last.head.lemma_ in r.person_verbs)
    if span.start > 0 and doc[span.start - 1].lower_ in r.object_preps:
        return False  # "an official in Goma said": the object of a preposition
    k, skipped = span.end, 0
    while k < len(doc) and skipped < 2 and doc[k].lower_ in r.verb_adverbs:
        k, skipped = k + 1, skipped + 1
    if k < len(doc) and doc[k].lower_ in r.person_verbs:
        return True
    return span.start > 0 and doc[span.start - 1].lower_ in r.person_verbs and (
        span.end == len(doc) or doc[span.end].is_punct)


def _starts_name(tok: Token) -> bool:
    t = tok.text
    if not t[:1].isupper():
        return False
    return not (tok.is_punct or tok.like_num)


@lru_cache(maxsize=1)
def _default_extractor() -> PlaceExtractor:
    return PlaceExtractor(default_gazetteer())


# ----------------------------------------------------------------------------------------------
# event location


def event_location(
    doc: Doc,
    mentions: list[PlaceMention],
    trigger_start: int,
    trigger_end: int,
    *,
    rules: _Rules | None = None,
) -> tuple[PlaceMention | None, int | None, str]:
    """The place where the event at ``doc_text(doc)[trigger_start:trigger_end]`` happened.

    Returns ``(mention, geo_precision, reason)``: precision 1 for the place itself, 2 for "near /
    outside X" or a part of a region ("northern Idlib"), 3 when only a region or a country is
    known. Places attached to the trigger by a preposition win; then places in the trigger's
    sentence that are not where a speaker spoke, the closest first; then the article's most
    mentioned place. The most specific place wins over the one it lies in ("Kufa town near
    Najaf", "Alhoula area in rural Homs"). Demonyms and names inside organisation names are
    never chosen. A name the gazetteer does not know ("the village of Boloum") can be chosen:
    its ``place`` is None, and a caller that needs coordinates takes them from the wider place
    named with it.
    """
    r = rules or _default_rules()
    # the country that the text's qualifiers state ("(Hathazari, Chittagong)"), and the countries
    # it names: a place elsewhere needs the text to name its country
    qual_cc = {m.place.iso2 for m in mentions if m.reason.startswith("qualifier") and m.place is not None
               and m.place.iso2}
    named_cc = {m.place.iso2 for m in mentions if m.place is not None and m.place.feature == "country"}
    home = next(iter(qual_cc)) if len(qual_cc) == 1 else None
    mentions = [m for m in mentions if not m.reason.startswith(("demonym", "inside a name", "qualifier", "stance"))]
    cands = list(mentions)
    if not cands:
        return None, None, "no place mentioned"
    trig = _token_at(doc, trigger_start, trigger_end)
    if trig is None:
        return None, None, "trigger not found in the text"
    sent = trig.sent
    in_sent = [m for m in cands if sent.start_char <= m.start < sent.end_char]

    def precision(m: PlaceMention, near: bool) -> int:
        if m.place is not None and m.place.geonameid is None and m.reason.startswith("unknown place coded to"):
            return 3 if m.reason.startswith(("unknown place coded to the province",
                                             "unknown place coded to the country")) else 2
        feat = m.place.feature if m.place else "city"
        if feat in ("country", "admin1", "other"):
            return 3
        if feat == "admin2":
            return 3 if near else 2
        return 2 if near else 1

    toks = {id(m): _token_at(doc, m.start, m.end) for m in in_sent}
    dateline = dateline_end(doc_text(doc))
    resolved_towns = [m for m in in_sent if m.place is not None and m.place.feature in ("city", "admin2")]
    scored: list[tuple[float, PlaceMention, bool, str]] = []
    # "X, Y" where Y is X's province (or its province's city of the same name): Y only says where
    # X lies; X is the event's place
    wider: set[int] = set()
    narrower: set[int] = set()
    for o, m in zip(in_sent, in_sent[1:]):
        if o.place is not None and m.place is not None and doc_text(doc)[o.end : m.start] == ", " \
                and o.place.feature in ("city", "admin2") and o.place.iso2 == m.place.iso2 \
                and (m.place.feature in ("admin1", "country") or (m.place.admin1 and m.place.admin1 == o.place.admin1)):
            wider.add(id(m))
            narrower.add(id(o))
    for m in in_sent:
        tok = toks[id(m)]
        if tok is None:
            continue
        near = _is_near(doc, tok, r)
        s = 0.0
        why = "same sentence"
        path = _path_to(trig, tok)
        modifier = tok.dep_ in ("compound", "amod", "nmod") and tok.head.pos_ in ("NOUN", "PROPN") and \
            tok.head.lower_ not in _SETTLEMENT_NOUNS
        if path is not None and not modifier:  # "U.S. drone strike": a modifier names a side
            s += 3.0 - 0.3 * path
            why = "attached to the event's verb"
        if m.start < dateline:
            s -= 4.0  # the dateline is where the reporter filed from
        if home is not None and m.place is not None and m.place.iso2 and m.place.iso2 != home \
                and m.place.iso2 not in named_cc:
            s -= 3.0  # "Fatehpur union, Hathazari upazila (Chittagong)": not the Fatehpur in India
        if _CODED_TO.search(doc_text(doc), max(0, m.start - 40), m.start):
            s += 4.0  # "(coded to Baquba)", "location coded as Alfakoara": the coder's own choice
            why = "the place the text says the event is coded to"
        if m.place is not None and m.place.feature in ("admin1", "country") and any(
            (m.place.feature == "country" and t.place.iso3 == m.place.iso3)
            or (m.place.feature == "admin1" and t.place.admin1 == m.place.admin1 and t.place.iso3 == m.place.iso3)
            for t in resolved_towns
        ):
            s -= 1.5  # "Pokrovsk in Donetsk region": the town named within it is where it happened
        if m.place is None and resolved_towns and re.match(
            r"\s+(?:region|province|state|governorate|oblast|district|county)\b", doc_text(doc)[m.end : m.end + 14], re.I
        ):
            s -= 1.0  # "near Afgooye in the Lower Shabelle region": the unknown name is the wider area
        prep = _governing_prep(tok)
        if prep is not None and (prep.lower_ in r.precise_preps or prep.lower_ in r.near_preps):
            s += 1.5
        elif prep is not None and prep.lower_ == "of" and prep.head.lower_ in _SETTLEMENT_NOUNS:
            s += 1.5  # "the town of Pokrovsk"
        elif prep is not None and prep.lower_ in ("of", "from", "to", "toward", "towards"):
            s += 0.5 if prep.lower_ == "of" else 0.2
        elif tok.dep_ in ("nsubj", "nsubjpass", "poss", "agent"):
            s -= 1.0  # a side of the event more often than its place
        elif tok.dep_ in ("compound", "amod", "nmod") and tok.head.pos_ in ("NOUN", "PROPN") and \
                tok.head.lower_ not in _SETTLEMENT_NOUNS:
            s -= 1.0  # a modifier: "U.S. forces", "the Kabul government"
        if near and any(o is not m and toks[id(o)] is not None
                        and not _is_near(doc, toks[id(o)], r) for o in in_sent):
            s -= 0.8  # "Kufa town near Najaf": Najaf is only the reference point
        if prep is not None and _is_frame(prep):
            s -= 1.0  # "In Kandahar, six civilians were killed ... in Maiwand district"
        # a place that another candidate's phrase leads to is the wider one: "Alhoula area in
        # rural Homs", "Baiji, north of Baghdad": the first is where it happened
        for other in in_sent:
            o = toks[id(other)]
            if other is m or o is None or o.i == tok.i:
                continue
            if any(a.i == o.i for a in tok.ancestors) and (other.place is None or m.place is None
                                                           or _rank(m) <= _rank(other)):
                s -= 1.2
                break
        if id(m) in wider:
            s -= 2.5  # "near Petropavlivka, Kharkiv": Kharkiv says where Petropavlivka lies
        elif id(m) in narrower:
            s += 1.0
        if _under_speech(tok, r) and path is None:
            s -= 2.0
            why = "where a speaker spoke"
        feat = m.place.feature if m.place else "city"
        s += {"city": 0.8, "admin2": 0.4, "other": 0.3, "admin1": 0.2, "country": -0.6}[feat]
        if m.place is None and not m.reason.startswith("unknown"):
            s -= 0.3  # a name the gazetteer does not know: less sure it is a place
        dist = abs(m.start - trigger_start)
        s -= dist / 400.0
        scored.append((s, m, near, why))
    if scored:
        scored.sort(key=lambda x: -x[0])
        s, m, near, why = scored[0]
        if m.place is None:
            return _coded_near(doc, cands, m, f"{why}: {m.text!r}")
        return m, precision(m, near), f"{why}: {m.text!r}" + (" (near)" if near else "")
    # fall back to the article's most mentioned resolved place, preferring settlements
    counts = Counter()
    for m in cands:
        if m.place is not None:
            w = {"city": 1.5, "admin2": 1.2, "admin1": 1.0, "other": 0.8, "country": 0.5}[m.place.feature]
            counts[(m.place.geonameid, m.place.name)] += w
    if not counts:
        return None, None, "no resolved place"
    key = counts.most_common(1)[0][0]
    m = next(c for c in cands if c.place is not None and (c.place.geonameid, c.place.name) == key)
    return m, max(2, precision(m, False)), f"the article's most mentioned place: {m.text!r}"


def _coded_near(doc: Doc, cands: list[PlaceMention], unknown: PlaceMention,
                why: str) -> tuple[PlaceMention | None, int | None, str]:
    """ACLED's rule for a place the gazetteer does not know ("the village of Boloum"): keep its
    name, take the point of the nearest named place of its sentence (else of the article), with
    geo_precision 2 (a town or district) or 3 (a province or country). With no named place at
    all, the unknown name is returned unresolved."""
    usable = [m for m in cands if m.place is not None and m.place.geonameid is not None]
    if not usable:
        return unknown, None, why
    span = doc.char_span(unknown.start, unknown.end, alignment_mode="expand")
    sent = span.sent if span is not None and len(span) else None
    same = [m for m in usable if sent is not None and sent.start_char <= m.start < sent.end_char]
    rank = {"city": 0, "admin2": 1, "admin1": 2}
    best = min(same or usable, key=lambda m: (rank.get(m.place.feature, 3), abs(m.start - unknown.start)))
    p = best.place
    small = p.feature in ("city", "admin2")
    coded = Place(geonameid=None, name=unknown.text, latitude=p.latitude, longitude=p.longitude,
                  country=p.country, iso2=p.iso2, iso3=p.iso3, admin1=p.admin1,
                  admin2=p.admin2 if small else None, feature="city")
    what = {"city": "town", "admin2": "district", "admin1": "province"}.get(p.feature, p.feature)
    reason = f"unknown place coded to the {what} {p.name} (the nearest named place)"
    out = unknown.model_copy(update={"place": coded, "reason": reason})
    return out, (2 if small else 3), f"{why}; {reason}"


def _is_frame(prep: Token) -> bool:
    """A fronted, comma-closed prepositional phrase that frames the sentence ("In Kandahar,
    ..."): the place named in it is the wider setting."""
    sent = prep.sent
    if prep.i != sent.start and not (prep.i == sent.start + 1 and doc_is_punct(sent[0])):
        return False
    end = max(t.i for t in prep.subtree)
    return end + 1 < sent.end and prep.doc[end + 1].text == ","


def doc_is_punct(tok: Token) -> bool:
    return tok.is_punct or tok.is_space


def _rank(m: PlaceMention) -> int:
    """Size rank of a mention's place: country 4 ... city 1 (unknown places count as 1)."""
    if m.place is None:
        return 1
    return {"country": 4, "admin1": 3, "admin2": 2, "city": 1, "other": 4}[m.place.feature]


@lru_cache(maxsize=1)
def _default_rules() -> _Rules:
    return _Rules.load()


@dataclass(frozen=True)
class _EventRules:
    """``places/event_location.yaml``: how coders name the place of an event."""

    division_nouns: frozenset[str]
    seat_words: tuple[str, ...]  # longest first
    city_min_pop: int
    city_drop_words: tuple[str, ...]


@lru_cache(maxsize=1)
def _event_rules() -> _EventRules:
    r = load_yaml("places/event_location.yaml")
    return _EventRules(
        division_nouns=frozenset(r["local_division_nouns"]),
        seat_words=tuple(sorted(r["seat_words"], key=len, reverse=True)),
        city_min_pop=int(r["city_part_min_population"]),
        city_drop_words=tuple(sorted(r["city_part_drop_words"], key=len, reverse=True)),
    )


def _token_at(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _governing_prep(tok: Token) -> Token | None:
    # "in Homs" (pobj of "in"), "in the city of Homs", "near the town of X"
    t = tok
    for _ in range(3):
        if t.dep_ == "pobj" and t.head.pos_ == "ADP":
            if t.head.lower_ == "of" and t.head.head.pos_ == "NOUN":
                t = t.head.head
                continue
            return t.head
        if t.dep_ in ("compound", "appos", "conj", "nmod"):
            t = t.head
            continue
        break
    return None


def _is_near(doc: Doc, tok: Token, r: _Rules) -> bool:
    prep = _governing_prep(tok)
    if prep is not None and prep.lower_ in r.near_preps:
        return True
    # "northern Idlib", "the outskirts of Aleppo", "west of Raqqa"
    left = doc[max(0, tok.left_edge.i - 3) : tok.left_edge.i + 1]
    for t in list(left) + list(tok.lefts):
        if t.lower_ in r.near_preps and t.lower_ not in ("around",) and t.i < tok.i:
            return True
    return False


def _path_to(trig: Token, tok: Token) -> int | None:
    """Number of arcs from the trigger down to the place, or None when the place is not in the
    trigger's subtree (through at most 5 arcs and no clause of its own)."""
    t = tok
    steps = 0
    while t.i != trig.i and steps < 6:
        if t.dep_ in ("ccomp", "advcl", "relcl", "parataxis") and t.head.i != trig.i and steps > 0:
            return None
        if t.head.i == t.i:
            return None
        t = t.head
        steps += 1
    return steps if t.i == trig.i else None


def _under_speech(tok: Token, r: _Rules) -> bool:
    t = tok
    for _ in range(4):
        if t.head.i == t.i:
            return False
        t = t.head
        if t.lemma_.lower() in r.speech_verbs or t.lower_ in r.speech_verbs:
            return True
    return False


def mention_to_row(article_id: str, m: PlaceMention) -> dict:
    """One line of ``fieldreport places`` output for a resolved mention (see the contract)."""
    p = m.place
    return {
        "article_id": article_id,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "geonameid": p.geonameid if p else None,
        "name": p.name if p else None,
        "latitude": p.latitude if p else None,
        "longitude": p.longitude if p else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "feature": p.feature if p else None,
    }


def find_places(doc: Doc, extractor: PlaceExtractor | None = None) -> list[PlaceMention]:
    """Convenience: ``PlaceExtractor.default().find(doc)``."""
    return (extractor or PlaceExtractor.default()).find(doc)


__all__: Iterable[str] = [
    "PlaceExtractor", "event_location", "mention_to_row", "find_places",
]
