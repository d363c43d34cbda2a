"""The pipeline: the only place that knows the order of the extractors.

    article ─▶ spaCy Doc ─▶ events (triggers) ─▶ for each event: actors, place, date, numbers, claims
            ─▶ EventRecord with evidence

It is pure: text and metadata in, typed records out; resources (spaCy pipeline, gazetteer, actor
dictionary, lexicons) are loaded once per process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial

from spacy.language import Language
from spacy.tokens import Doc

from fieldreport.text.spans import doc_text, parsed_from, sentences
from fieldreport.assemble import notes as notes_x
from fieldreport.assemble.long_text import extract_long, is_long
from fieldreport.assemble.tolls import toll_told_after
from fieldreport.extract import claims as claims_x
from fieldreport.extract import figures as figures_x
from fieldreport.extract import dates as dates_x
from fieldreport.extract.actors import ActorDictionary, ActorExtractor, default_extractor
from fieldreport.extract.event_types import EventDetector
from fieldreport.extract.places import PlaceExtractor
from fieldreport.sources.outlets import OutletRegistry, default_registry, tied_to_claimant
from fieldreport.schema.records import (
    ActorMention,
    Article,
    Casualties,
    Claim,
    ClaimOut,
    EventCandidate,
    EventRecord,
    Materiel,
    MaterielOut,
    PlaceMention,
)
from fieldreport.text.nlp import check_model, load_nlp, load_places_nlp
from fieldreport.text.windows import pipe_texts

#: How many sentences after its trigger's sentence an event's figures may be read from.
SCOPE_SENTENCES = 3


@dataclass
class _Scope:
    start: int
    end: int
    follow: tuple[int, int] | None = None  # the sentences after a shared sentence, for its first event

    def ranges(self) -> list[tuple[int, int]]:
        return [(self.start, self.end)] + ([self.follow] if self.follow else [])


@dataclass
class _Evidence:
    text: str
    spans: dict[str, list[list[int]]] = field(default_factory=dict)

    def add(self, name: str, start: int | None, end: int | None) -> None:
        if start is None or end is None:
            return
        start, end = _trim(self.text, start, end)
        if end <= start:
            return
        pair = [int(start), int(end)]
        bucket = self.spans.setdefault(name, [])
        if pair not in bucket:
            bucket.append(pair)


class Pipeline:
    """Loads resources once; ``extract(article)`` returns the article's event records, main event first."""

    def __init__(self, model: str | None = None, actors_file: str | None = None, outlets_file: str | None = None) -> None:
        self.model = model
        self.actors_file = actors_file
        self.outlets_file = outlets_file
        check_model(model)  # fail now, with the install hint, when the model is missing

    # Resources load on first use: `fieldreport places` needs neither the event rules nor the actors.

    @cached_property
    def nlp(self) -> Language:
        return load_nlp(self.model)

    @cached_property
    def events(self) -> EventDetector:
        return EventDetector.default()

    @cached_property
    def actors(self) -> ActorExtractor:
        if self.actors_file:
            return ActorExtractor(ActorDictionary.load(extra_paths=[self.actors_file]))
        return default_extractor()

    @cached_property
    def places(self) -> PlaceExtractor:
        return PlaceExtractor.default()

    @cached_property
    def outlets(self) -> OutletRegistry:
        return default_registry([self.outlets_file] if self.outlets_file else None)

    @classmethod
    @lru_cache(maxsize=2)
    def default(cls, model: str | None = None) -> "Pipeline":
        return cls(model)

    @lru_cache(maxsize=256)
    def _country_place(self, iso3: str):
        import pycountry

        c = pycountry.countries.get(alpha_3=iso3)
        g = self.places.gazetteer
        i = g.country_entry(c.alpha_2) if c else None
        return g.place(i) if i is not None else None

    # -- public API --------------------------------------------------------------------------------

    def extract(self, article: Article) -> list[EventRecord]:
        if is_long(article, self.nlp):  # read window by window: linear in length, no spaCy E088
            return extract_long(article, self.nlp, self.process, _same_event)
        return self.process(article, parsed_from(self.nlp(article.text), article.text))

    def extract_many(
        self, articles: Iterable[Article], workers: int = 1, batch_size: int = 16
    ) -> Iterator[tuple[Article, list[EventRecord]]]:
        """Records for each article, in input order. ``workers > 1`` runs the whole pipeline in that many
        processes (each with its own copy of the resources, shared copy-on-write after fork)."""
        batches = _batches(articles, batch_size if workers <= 1 else min(batch_size, 4))
        if workers <= 1:
            for batch in batches:
                yield from self._run_batch(batch)
            return
        self.nlp, self.events, self.actors, self.places, self.outlets  # loaded before the fork, shared copy-on-write
        yield from self._in_workers(_worker_extract, batches, workers)

    def places_nlp(self, parse: bool = False) -> Language:
        """The spaCy pipeline for geoparsing alone: the entity recogniser only (see
        :func:`~fieldreport.text.nlp.load_places_nlp`), or with ``parse`` the full one."""
        return self.nlp if parse else load_places_nlp(self.model)

    def find_places(
        self, articles: list[Article], parse: bool = False, demonyms: bool = True,
        embedded: bool = True,
    ) -> list[tuple[Article, list[PlaceMention]]]:
        """Place mentions of a batch of articles, in one ``nlp.pipe`` call (``demonyms`` and
        ``embedded``: see ``PlaceExtractor.find``)."""
        nlp = self.places_nlp(parse)
        return [(art, self.places.find(doc, demonyms=demonyms, embedded=embedded))
                for art, doc in zip(articles, pipe_texts(nlp, [a.text for a in articles]))]

    def places_many(
        self, articles: Iterable[Article], workers: int = 1, batch_size: int = 16, parse: bool = False,
        demonyms: bool = True, embedded: bool = True,
    ) -> Iterator[tuple[Article, list[PlaceMention]]]:
        """Resolved and unresolved place mentions of each article, in input order (``fieldreport places``).

        Without ``parse`` the spaCy pipeline runs its entity recogniser only, about twice as fast;
        the toponym rules then read spelling where they would read tags and dependencies (same
        scores on LGL and GeoWebNews, see README). ``workers > 1`` runs batches in that many processes."""
        batches = _batches(articles, batch_size)
        if workers <= 1:
            for batch in batches:
                yield from self.find_places(batch, parse, demonyms, embedded)
            return
        self.places_nlp(parse), self.places  # loaded before the fork, shared copy-on-write
        yield from self._in_workers(partial(_worker_places, parse=parse, demonyms=demonyms, embedded=embedded), batches, workers)

    def _in_workers(self, work, batches: Iterator[list[Article]], workers: int) -> Iterator:
        """Run ``work`` on each batch in ``workers`` forked processes; results in input order."""
        global _WORKER_PIPELINE
        _WORKER_PIPELINE = self
        with mp.get_context("fork").Pool(workers, initializer=_ignore_sigint) as pool:
            for done in pool.imap(work, batches):
                yield from done

    def _run_batch(self, batch: list[Article]) -> Iterator[tuple[Article, list[EventRecord]]]:
        short = [a for a in batch if not is_long(a, self.nlp)]
        docs = iter(self.nlp.pipe([a.text for a in short], batch_size=len(short) or 1))
        for art in batch:
            yield art, (self.extract(art) if is_long(art, self.nlp) else self.process(art, parsed_from(next(docs), art.text)))

    # -- the core ----------------------------------------------------------------------------------

    def process(self, article: Article, doc: Doc) -> list[EventRecord]:
        candidates = self.events.detect(doc)
        if not candidates:
            return []
        places = self.places.find(doc)
        focus = _country_focus(places)
        year = article.published.year if article.published else None
        actor_mentions = self.actors.find(doc, focus, year)
        if focus is None:
            # No place names a country: the state forces the text names tell where it happened.
            focus = _actor_focus(actor_mentions)
            if focus is not None:
                actor_mentions = self.actors.find(doc, focus, year)
        dates = dates_x.find_dates(doc, article.published)
        claims = claims_x.find_claims(doc, actor_mentions, outlets=self.outlets)
        source = _Source(self.outlets, article)
        sentence_starts = sorted({c.sentence_start for c in candidates})
        continuing = _continuations(candidates, places, dates)
        shared = Counter(c.sentence_start for c in candidates)
        coding = figures_x.coding_statement(article.text)  # a coder's "fatalities coded as 3"
        records: list[EventRecord] = []
        donors: list[tuple[EventRecord, list[Casualties]]] = []  # every record built, with its killed figures
        tolls: dict[str, list[Casualties]] = {}
        seen_sentences: set[int] = set()
        for cand in candidates:
            if shared[cand.sentence_start] > 1:  # two events told in one sentence: each gets its clause
                scope = _Scope(*figures_x.event_clause(doc, cand.trigger_start, cand.trigger_end))
                if cand.sentence_start not in seen_sentences:
                    # the sentences that follow tell the outcome of the sentence's first (main) event
                    after = _scope(doc, cand, sentence_starts, continuing)
                    if after.end > cand.sentence_end:
                        scope.follow = (cand.sentence_end, after.end)
            else:
                scope = _scope(doc, cand, sentence_starts, continuing)
                if cand.sentence_start == sentence_starts[0]:
                    scope.start = 0  # the lead before the first event's sentence tells that event
            seen_sentences.add(cand.sentence_start)
            rec = self._record(
                article, doc, cand, scope, places, focus, actor_mentions, dates, claims, year,
                coding if not records else None, source, tolls,
            )
            if rec is not None:
                donors.append((rec, tolls.pop(rec.record_id, [])))
            if rec is not None and not any(_same_event(rec, r) for r in records):
                records.append(rec)
        if records and coding is None:
            toll_told_after(records[0], donors, doc)
        # Main event first: the detector orders by importance; confidence breaks no ties it made.
        return records

    def _record(
        self,
        article: Article,
        doc: Doc,
        cand: EventCandidate,
        scope: _Scope,
        places: list[PlaceMention],
        focus: str | None,
        actor_mentions: list[ActorMention],
        dates: list,
        claims: list[Claim],
        year: int | None,
        coding: figures_x.CodingStatement | None = None,
        source: "_Source | None" = None,
        tolls: dict[str, list[Casualties]] | None = None,
    ) -> EventRecord | None:
        source = source or _Source(self.outlets, article)
        ev = _Evidence(article.text)
        ev.add("event_type", cand.trigger_start, cand.trigger_end)
        ev.add("sub_event_type", cand.trigger_start, cand.trigger_end)

        # Where
        loc, geo_precision, _why = self.places.event_location(doc, places, cand.trigger_start, cand.trigger_end)
        if loc is not None and loc.place is None:
            # A name the gazetteer does not know ("the village of Boloum"): code the nearest known place
            # named in the same sentence, else in the article, one step less precise.
            loc, geo_precision = _known_place_near(doc, places, loc)
        place = loc.place if loc is not None else None
        if place is None and focus is not None:
            # Only the country is known: code its representative point, geo_precision 3 (ACLED's rule).
            place = self._country_place(focus)
            geo_precision = 3 if place is not None else None
            # the country's name or demonym, else the actor of that country that told us
            told = [(m.start, m.end) for m in places if m.place is not None and m.place.iso3 == focus]
            told += [(m.start, m.end) for m in actor_mentions if m.actor.country == focus]
            if told and place is not None:
                for name in ("location", "latitude", "longitude", "geo_precision", "country"):
                    ev.add(name, *told[0])
        iso3 = place.iso3 if place else focus
        country = place.country if place else _country_name(focus)
        if loc is not None and place is not None:
            # The place named in the text supports the location and what the gazetteer says of it.
            for name in ("location", "latitude", "longitude", "geonameid", "geo_precision", "admin1", "country"):
                ev.add(name, loc.start, loc.end)
            for m in places:  # the same province or country named elsewhere in the text
                if m.place is None or m is loc:
                    continue
                if m.place.feature == "admin1" and place.admin1 and m.place.admin1 == place.admin1:
                    ev.add("admin1", m.start, m.end)
                if m.place.feature == "country" and m.place.iso3 == place.iso3:
                    ev.add("country", m.start, m.end)

        # Who
        roles = self.actors.roles(
            doc, cand.trigger_start, cand.trigger_end, actor_mentions, iso3, cand.sub_event_type, year
        )
        a1, a2 = roles.actor1, roles.actor2
        s1, s2 = roles.assoc_actor_1, roles.assoc_actor_2
        for name, m in (("actor1", a1), ("actor2", a2), ("assoc_actor_1", s1), ("assoc_actor_2", s2)):
            if m is not None and m.end > m.start:
                ev.add(name, m.start, m.end)
                ev.add({"actor1": "inter1", "actor2": "inter2"}.get(name, name), m.start, m.end)

        # When
        found = dates_x.event_date(doc, cand.trigger_start, cand.trigger_end, dates, article.published)
        if found is not None:
            event_date, precision = found.date.isoformat(), int(found.precision)
            ev.add("event_date", found.start, found.end)
            ev.add("time_precision", found.start, found.end)
        elif article.published is not None:
            # Nothing in the text: the report's own day, as a wire report of "today" means.
            event_date, precision = article.published.isoformat(), 2
        else:
            event_date, precision = None, None

        # How many
        trigger = (cand.trigger_start, cand.trigger_end)
        figures: list[Casualties] = [
            f for lo, hi in scope.ranges() for f in figures_x.find_casualties(doc, lo, hi, trigger=trigger)
        ]
        if found is not None:  # a toll dated apart from the event belongs to another (earlier) event
            day = found.date
            figures = [f for f in figures if not figures_x.dated_apart(doc, f, dates, day)]
        if cand.event_type in ("Protests", "Riots"):  # deaths that are the protest's grievance are not its toll
            figures = [f for f in figures if not (f.kind == "killed" and figures_x.told_as_grievance(doc, f))]
        if not figures_x.carries_fatalities(cand.event_type, cand.sub_event_type):
            # ACLED: a peaceful protest or a strategic development has no fatalities (deaths would make
            # it another type; a death it names is its grievance or its background)
            figures = [f for f in figures if f.kind != "killed"]
        killed = [f for f in figures if f.kind == "killed"]
        injured_figs = [f for f in figures if f.kind == "injured"]
        conservative, low, best, high = figures_x.summarise_fatalities(killed, text=doc_text(doc))
        for f in killed:
            ev.add("fatalities", f.start, f.end)
        if coding is not None:
            # The note says how its fatalities were coded: follow it (the figures read stay the range).
            conservative = figures_x.coded_fatalities(coding, figures, text=doc_text(doc))
            best = conservative
            low = conservative if low is None else min(low, conservative)
            high = conservative if high is None else max(high, conservative)
            ev.add("fatalities", coding.start, coding.end)
        injured = None
        if injured_figs:
            injured = figures_x.summarise_fatalities(injured_figs, text=doc_text(doc))[0]
            for f in injured_figs:
                ev.add("injured", f.start, f.end)
        materiel: list[Materiel] = [m for lo, hi in scope.ranges() for m in figures_x.find_materiel(doc, lo, hi)]
        for m in materiel:
            ev.add("materiel", m.start, m.end)

        # Says who
        actor_names = [m.actor.name for m in (a1, a2, s1, s2) if m is not None]
        actor_countries = [m.actor.country for m in (a1, a2, s1, s2) if m is not None]
        military_event = cand.event_type in ("Battles", "Explosions/Remote violence")
        # the attacker is unknown: no actor1, or no state force behind a strike only states make
        attacker_missing = a1 is None or (
            cand.sub_event_type in _STATE_WEAPONS
            and not any(m.actor.kind in _STATE_FORCE_KINDS for m in (a1, a2, s1, s2) if m is not None)
        )
        # One claim per claimant: the fields it covers for this event, its first span as the anchor and
        # every span of it as evidence.
        by_claimant: dict[str, ClaimOut] = {}
        party_spans: list[tuple[int, int]] = []
        for c in claims:
            if c.end <= scope.start or c.start >= scope.end:
                # Outside the event's scope a claim still counts when it covers the event's figures,
                # or when a side of the event gives its own figures ("the group said it killed 11").
                side_figures = (
                    c.claimant_actor is not None
                    and _bare(c.claimant_actor) in {_bare(n) for n in actor_names}
                    and bool(set(c.fields) & {"fatalities", "injured", "materiel"})
                )
                if not (_claim_covers(c, killed + injured_figs, materiel) or side_figures):
                    continue
            home = _home_state(c, source, iso3, (a1, a2, s1, s2))
            if home is not None:
                c = claims_x.attribute_to(c, home)
            party = claims_x.is_party(
                c, actor_names, actor_countries, own_forces=_state_forces(article.text, actor_mentions, scope, c),
                attacker_missing=attacker_missing, military_event=military_event,
                speaks_of_own_forces=claims_x.names_own_forces(article.text[c.start : c.end]),
            )  # fmt: skip
            if party:
                party_spans.append((c.start, c.end))
            seen = by_claimant.get(c.claimant)
            start, end = _trim(article.text, c.start, c.end)
            if seen is None:
                by_claimant[c.claimant] = ClaimOut(
                    claimant=c.claimant, claimant_party=party, fields=sorted(set(c.fields)), start=start, end=end,
                    claimant_kind=c.claimant_kind, claimant_country=c.claimant_country, claimant_actor=c.claimant_actor,
                    outlet=source.name,
                    outlet_tied=tied_to_claimant(source.outlet, c.claimant, c.claimant_kind, c.claimant_country, c.claimant_actor),
                )  # fmt: skip
            else:
                seen.fields = sorted(set(seen.fields) | set(c.fields))
                seen.claimant_party = seen.claimant_party or party
            ev.add("claims", c.start, c.end)
        own_claims = list(by_claimant.values())
        if coding is None and party_spans:
            # A side's own figure is a claim: when another source gives a figure too, that independent
            # figure is the fatalities and the side's claim is the top of the range (UCDP's high).
            claimed = [f for f in killed if any(a <= f.start and f.end <= b for a, b in party_spans)]
            independent = [f for f in killed if f not in claimed]
            if claimed and independent:
                all_high = high
                conservative, low, best, high = figures_x.summarise_fatalities(independent, text=doc_text(doc))
                high = max(high or 0, all_high or 0)

        if source.span is not None:
            ev.add("source", *source.span)
        inter1 = self.actors.inter_for(a1.actor, iso3) if a1 else None
        inter2 = self.actors.inter_for(a2.actor, iso3) if a2 else None
        rec = EventRecord(
            article_id=article.id,
            record_id=EventRecord.make_id(article.id, cand.trigger_start, cand.sub_event_type),
            event_date=event_date,
            time_precision=precision,
            event_type=cand.event_type,
            sub_event_type=cand.sub_event_type,
            actor1=a1.actor.name if a1 else None,
            assoc_actor_1=s1.actor.name if s1 else None,
            inter1=inter1,
            actor2=a2.actor.name if a2 else None,
            assoc_actor_2=s2.actor.name if s2 else None,
            inter2=inter2,
            country=country,
            iso3=iso3,
            admin1=place.admin1 if place else None,
            admin2=place.admin2 if place else None,
            location=place.name if place else None,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            geo_precision=geo_precision if place else None,
            geonameid=place.geonameid if place else None,
            fatalities=conservative or 0,
            fatalities_low=low,
            fatalities_best=best,
            fatalities_high=high,
            injured=injured,
            materiel=[MaterielOut(kind=m.kind, count=m.count, status=m.status) for m in materiel],
            claims=own_claims,
            source=source.name,
            outlet=source.outlet.ref() if source.outlet is not None else None,
            evidence=ev.spans,
        )
        rec.confidence = _confidence(cand, rec)
        rec.notes = notes_x.write_notes(rec, figures, claims=own_claims)
        if tolls is not None:
            tolls[rec.record_id] = killed
        return rec


# ------------------------------------------------------------------------------------------------
# helpers


_WORKER_PIPELINE: Pipeline | None = None


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which stops them and says what was stored."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_extract(batch: list[Article]) -> list[tuple[Article, list[EventRecord]]]:
    assert _WORKER_PIPELINE is not None
    return list(_WORKER_PIPELINE._run_batch(batch))


def _worker_places(batch: list[Article], parse: bool, demonyms: bool = True,
                   embedded: bool = True) -> list[tuple[Article, list[PlaceMention]]]:
    assert _WORKER_PIPELINE is not None
    return _WORKER_PIPELINE.find_places(batch, parse, demonyms, embedded)


class _Source:
    """Where an article comes from: its source name, registry entry, and the dateline words that say so."""

    def __init__(self, registry: OutletRegistry, article: Article) -> None:
        self.name, self.outlet = registry.for_article(article.outlet, article.url, article.text)
        line = registry.dateline(article.text)
        known = registry.get(line[0]) if line else None
        said = (known.name if known else line[0]) if line else None
        self.span = (line[1], line[2]) if line and said == self.name else None


_STATE_FORCE_KINDS = frozenset({"military", "state", "police"})
_DOMESTIC_SCALES = frozenset({"Local", "Subnational", "National"})


def _home_state(claim: Claim, source: "_Source", iso3: str | None, roles) -> str | None:
    """The state of a state body named without one ("the Defence Ministry said", "police said"): a
    military speaks for the one state whose forces act in the event, else for the state whose media
    relay it; police and a government for the country where it happened, when the outlet is that
    country's own (its state's media, or domestic media) or that state's forces act in the event."""
    if claim.claimant_country or claim.claimant_kind not in ("government", "military", "police"):
        return None
    o = source.outlet
    outlet_state = o.state if o is not None and o.kind in ("state", "official") else None
    domestic = o.country if o is not None and o.kind in ("public", "private", "local") and o.scale in _DOMESTIC_SCALES else None
    states = {m.actor.country for m in roles if m is not None and m.actor.kind in _STATE_FORCE_KINDS and m.actor.country}
    if claim.claimant_kind == "military":
        if len(states) == 1:
            return next(iter(states))
        return outlet_state if outlet_state and (not states or outlet_state in states) else None
    if claim.claimant_kind == "police" and iso3:
        return iso3
    if iso3 and (iso3 in (outlet_state, domestic) or iso3 in states):
        return iso3
    return None
#: Sub-event types whose weapons (aircraft, artillery, missiles) are as a rule a state's.
_STATE_WEAPONS = frozenset({"Air/drone strike", "Shelling/artillery/missile attack"})


def _state_forces(text: str, mentions: list[ActorMention], scope: _Scope, claim: Claim) -> list[str]:
    """Countries whose state forces the event's words or the claim's own words name (the words naming
    the claimant itself left out: "the Russian defence ministry" names no Russian force)."""
    at = text.find(claim.claimant_text, claim.start, claim.end) if claim.claimant_text else -1
    speaker = (at, at + len(claim.claimant_text)) if at >= 0 else (-1, -1)
    out = []
    for m in mentions:
        inside = scope.start <= m.start < scope.end or claim.start <= m.start < claim.end
        if speaker[0] <= m.start < speaker[1]:
            continue
        if inside and m.actor.country and (m.actor.kind in _STATE_FORCE_KINDS or m.actor.inter == 1):
            out.append(m.actor.country)
    return out


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _scope(
    doc: Doc, cand: EventCandidate, sentence_starts: list[int], continuing: frozenset[int] = frozenset()
) -> _Scope:
    """From the trigger's sentence to the next event's sentence, at most SCOPE_SENTENCES sentences on.

    A later event sentence that names no place and no date of its own ("Police dispersed the crowd.")
    goes on telling the same event: the scope runs through it, and counts its sentences afresh."""
    later = [s for s in sentence_starts if s > cand.sentence_start and s not in continuing]
    limit = later[0] if later else len(doc_text(doc))
    end = cand.sentence_end
    count = 0
    for sent in sentences(doc):
        if sent.start_char < cand.sentence_end:
            continue
        if sent.start_char >= limit:
            break
        if sent.start_char in continuing:
            count = 0
        elif count >= SCOPE_SENTENCES and not figures_x.tally_sentence(sent):
            break  # (a short toll sentence, "One rioter killed.", still tells the event before it)
        else:
            count += 1
        end = sent.end_char
    return _Scope(cand.sentence_start, max(end, cand.sentence_end))


def _continuations(candidates: list[EventCandidate], places: list[PlaceMention], dates: list) -> frozenset[int]:
    """Event sentences after the first that name no place and no date: they go on with the event told
    before them (its intervention, its toll, its arrests), so figures after them are still that event's."""
    spans = sorted({(c.sentence_start, c.sentence_end) for c in candidates})
    out: set[int] = set()
    for start, end in spans[1:]:
        named = any(start <= m.start < end for m in places if not m.reason.startswith("demonym"))
        dated = any(start <= d.start < end for d in dates)
        if not named and not dated:
            out.add(start)
    return frozenset(out)


def _known_place_near(doc: Doc, places: list[PlaceMention], unknown: PlaceMention) -> tuple[PlaceMention | None, int | None]:
    usable = [
        m for m in places
        if m.place is not None and not m.reason.startswith(("demonym", "inside a name"))
    ]  # fmt: skip
    if not usable:
        return None, None
    span = doc.char_span(unknown.start, unknown.end, alignment_mode="expand")
    sent = span.sent if span is not None and len(span) else None
    same = [m for m in usable if sent is not None and sent.start_char <= m.start < sent.end_char]
    pool = same or usable
    best = min(pool, key=lambda m: abs(m.start - unknown.start))
    return best, (2 if best.place.feature in ("city", "admin2") else 3)


def _actor_focus(mentions: list[ActorMention]) -> str | None:
    counts = Counter(m.actor.country for m in mentions if m.actor.country and m.actor.inter == 1)
    return counts.most_common(1)[0][0] if counts else None


def _country_focus(places: list[PlaceMention]) -> str | None:
    """The country the article's places lie in; demonyms ("Russian jets") only when no place says."""
    named = [m for m in places if m.place is not None and m.place.iso3]
    named = [m for m in named if not m.reason.startswith("stance")]  # "pro-Russia rebels"
    places_proper = [m for m in named if not m.reason.startswith("demonym")]
    counts = Counter(m.place.iso3 for m in (places_proper or named))
    return counts.most_common(1)[0][0] if counts else None


@lru_cache(maxsize=512)
def _country_name(iso3: str | None) -> str | None:
    if not iso3:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    return getattr(c, "common_name", None) or (c.name if c else None)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace around it: evidence holds words, not the gaps between them."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _bare(name: str) -> str:
    """An actor name without its bracketed years or country."""
    return name.split(" (")[0].strip().lower()


def _claim_covers(claim: Claim, figures: list[Casualties], materiel: list[Materiel]) -> bool:
    return any(claim.start <= f.start and f.end <= claim.end for f in [*figures, *materiel])


def _same_event(a: EventRecord, b: EventRecord) -> bool:
    """Two candidates of one article that tell the same event: same type, place and day."""
    return (
        a.sub_event_type == b.sub_event_type
        and a.location == b.location
        and a.event_date == b.event_date
        and a.actor1 == b.actor1
    )


def _confidence(cand: EventCandidate, rec: EventRecord) -> float:
    score = 0.5 * max(0.0, min(1.0, cand.score))
    score += 0.15 if rec.actor1 else 0.0
    score += 0.15 if rec.latitude is not None else 0.0
    score += 0.1 if "event_date" in rec.evidence else 0.0
    score += 0.1 if (rec.actor2 or rec.event_type == "Protests") else 0.0
    return round(min(score, 1.0), 3)


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


__all__ = ["Pipeline", "default_workers"]
