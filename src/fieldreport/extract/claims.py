"""Says who: claimants, what they claim, hedges, and whether a claimant is a side of the event.

:func:`find_claims` reads attributions in a parsed ``Doc`` ("..., the Russian defence ministry
said", "according to the Syrian Observatory for Human Rights", "“...,” he told Reuters"), names
the claimant in a normal form ("Russian Ministry of Defence"), says what kind of source it is
(government, military, police, armed_group, media, ngo, un, witness, other), which country's state
it speaks for and which ACLED actor it stands for, whether the claim is hedged ("reportedly",
"could not be independently verified"), and which record fields the claimed clause covers.

:func:`is_party` tells the pipeline whether a claimant is a side of an event. The rules live in
``data/claims/claims.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from fieldreport.data import load_yaml
from fieldreport.geo.countries import common_name
from fieldreport.text.lexicon import SPEECH_LEMMAS
from fieldreport.schema.records import ActorMention, Claim
from fieldreport.sources.outlets import Outlet, OutletRegistry, default_registry
from fieldreport.text.spans import doc_text, sentences

__all__ = ["attribute_to", "find_claims", "is_party", "names_own_forces", "normalise_claimant"]

_STATE_KINDS = frozenset({"state", "military", "police", "government"})
_NON_STATE_ACTOR_KINDS = frozenset({"rebel", "militia", "identity", "armed_group", "political_militia", "terrorist", "insurgent"})


@dataclass(frozen=True)
class _Body:
    rx: re.Pattern[str]
    rx_cs: re.Pattern[str] | None
    kind: str
    name: str
    name_alone: str
    country: str | None
    default_country: str | None
    country_none: bool
    military: bool
    police: bool
    actor: str | None


@dataclass(frozen=True)
class _Cfg:
    reporting: frozenset[str]
    hedging_lemmas: frozenset[str]
    speaker_after: tuple[str, ...]
    speaker_nouns: frozenset[str]
    hedges: tuple[re.Pattern[str], ...]
    verification: tuple[str, ...]
    bodies: tuple[_Body, ...]
    anaphora: dict[str, dict[str, Any]]
    adj: dict[str, str]
    names: dict[str, str]
    country_words: tuple[tuple[re.Pattern[str], str, str], ...]  # (pattern, iso3, the word itself)


@lru_cache(maxsize=1)
def _cfg() -> _Cfg:
    raw = load_yaml("claims/claims.yaml")
    bodies = []
    for b in raw["bodies"]:
        bodies.append(
            _Body(
                rx=re.compile(b["re"], re.IGNORECASE),
                rx_cs=re.compile(b["re_cs"]) if b.get("re_cs") else None,
                kind=str(b["kind"]),
                name=str(b["name"]),
                name_alone=str(b.get("name_alone", b["name"])),
                country=b.get("country"),
                default_country=b.get("default_country"),
                country_none=bool(b.get("country_none", False)),
                military=bool(b.get("military", False)),
                police=bool(b.get("police", False)),
                actor=b.get("actor"),
            )
        )
    adj: dict[str, str] = {}
    names: dict[str, str] = {}
    words: list[tuple[str, str]] = []
    for iso3, spec in raw["countries"].items():
        adj[iso3] = str(spec["adj"])
        names[iso3] = str(spec.get("name") or spec["words"][0])
        words.extend((str(w), iso3) for w in spec["words"])
    words.extend(_extra_country_words(set(adj)))
    adj.update(_extra_adjectives(set(adj)))
    words.sort(key=lambda x: len(x[0]), reverse=True)
    country_words = tuple(
        (re.compile(r"(?<![\w.])" + re.escape(w) + r"(?![\w])"), iso3, w) for w, iso3 in words
    )
    return _Cfg(
        reporting=SPEECH_LEMMAS | frozenset(raw["reporting_lemmas_extra"]),
        hedging_lemmas=frozenset(raw["hedging_lemmas"]),
        speaker_after=tuple(raw["speaker_after"]),
        speaker_nouns=frozenset(str(w).lower() for w in raw.get("speaker_nouns", [])),
        hedges=tuple(re.compile(r"\b" + re.escape(h) + r"\b", re.IGNORECASE) for h in raw["hedges"]),
        verification=tuple(v.lower() for v in raw["verification"]),
        bodies=tuple(bodies),
        anaphora={str(k).lower(): dict(v) for k, v in raw["anaphora"].items()},
        adj=adj,
        names=names,
        country_words=country_words,
    )


def _extra_adjectives(known: set[str]) -> dict[str, str]:
    """Adjectives ("Latvian") of countries missing from claims/claims.yaml, from shared/demonyms.yaml when there."""
    try:
        raw = load_yaml("shared/demonyms.yaml")
    except Exception:
        return {}
    out: dict[str, str] = {}
    if isinstance(raw, dict):
        for iso3, spec in raw.items():
            if iso3 not in known and isinstance(spec, dict) and spec.get("demonyms"):
                first = spec["demonyms"][0]
                if isinstance(first, str):
                    out[str(iso3)] = first
    return out


def _extra_country_words(known: set[str]) -> list[tuple[str, str]]:
    """Country names and demonyms of shared/demonyms.yaml (shared data), when it is there and readable."""
    try:
        raw = load_yaml("shared/demonyms.yaml")
    except Exception:  # the file belongs to another part of the project; never fail on it
        return []
    out: list[tuple[str, str]] = []
    if not isinstance(raw, dict):
        return out
    for iso3, spec in raw.items():
        if iso3 in known or not isinstance(spec, dict):
            continue
        for w in [spec.get("name"), *(spec.get("demonyms") or [])]:
            if isinstance(w, str) and len(w) > 3:
                out.append((w, str(iso3)))
    return out


# ----------------------------------------------------------------------------------------------
# Normalising a claimant


def _country_of(text: str, mentions: Sequence[ActorMention]) -> str | None:
    for m in mentions:
        if m.actor.country:
            return m.actor.country
    for rx, iso3, word in _cfg().country_words:
        if word in text and rx.search(text):  # (the plain test first: most words are not there)
            return iso3
    return None


def _country_name(iso3: str) -> str:
    return _cfg().names.get(iso3) or common_name(iso3) or iso3


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.;:\"'“”‘’")
    return re.sub(r"^(the|a|an|one|two|some|several|many)\s+", "", text, flags=re.IGNORECASE)


def _military_actor(iso3: str, doc_mentions: Sequence[ActorMention], police: bool = False) -> str:
    """The ACLED actor of a state's military (or police): one named in the article, else the rule."""
    prefix = "Police Forces of" if police else "Military Forces of"
    for m in doc_mentions:
        a = m.actor
        if a.country == iso3 and a.name.startswith(prefix):
            return a.name
    for m in doc_mentions:
        a = m.actor
        if a.country == iso3 and a.kind == ("police" if police else "military"):
            return a.name
    return f"{prefix} {_country_name(iso3)}"


def _outlet_claimant(o: Outlet, doc_mentions: Sequence[ActorMention]) -> dict[str, Any]:
    """A claimant the outlet registry knows: an outlet speaks as media (a state's media for that
    state), an armed group's channel for the group, an official channel for its state body, a
    monitor or UN agency as itself."""
    if o.kind == "party":
        return {"claimant": o.name, "claimant_kind": "armed_group", "claimant_country": None, "claimant_actor": o.party}
    if o.kind == "official":
        kind = o.speaks_for or "government"
        actor = o.party
        if actor is None and o.state and kind in ("military", "police"):
            actor = _military_actor(o.state, doc_mentions, police=kind == "police")
        return {"claimant": o.name, "claimant_kind": kind, "claimant_country": o.state, "claimant_actor": actor}
    if o.kind == "monitor":
        return {"claimant": o.name, "claimant_kind": o.speaks_for or "ngo", "claimant_country": None, "claimant_actor": None}
    return {"claimant": o.name, "claimant_kind": "media", "claimant_country": o.state if o.kind == "state" else None,
            "claimant_actor": None}  # fmt: skip


def normalise_claimant(
    text: str,
    speaker_mentions: Sequence[ActorMention] = (),
    doc_mentions: Sequence[ActorMention] = (),
    display: str | None = None,
    outlets: OutletRegistry | None = None,
) -> dict[str, Any]:
    """Normal form of the words naming a claimant: ``claimant``, ``claimant_kind``,
    ``claimant_country``, ``claimant_actor`` (keys of :class:`~fieldreport.schema.records.Claim`).

    ``speaker_mentions`` are actor mentions inside ``text``; ``doc_mentions`` all of the article's;
    ``display`` the short words used as the name when no rule names the claimant. Words that no
    named rule of ``claims/claims.yaml`` covers are looked up in the outlet registry (``outlets``, else the
    default one): "the Hezbollah-run Al-Manar TV" speaks for Hezbollah, "Pakistan's ISPR" for
    Pakistan's military.
    """
    cfg = _cfg()
    registry = outlets if outlets is not None else default_registry()
    cleaned = _clean(display if display is not None else text)
    # an armed group named by the actor dictionary speaks for itself
    for m in speaker_mentions:
        a = m.actor
        if a.kind not in _STATE_KINDS and (a.kind in _NON_STATE_ACTOR_KINDS or a.inter in (2, 3, 4)):
            return {"claimant": a.name, "claimant_kind": "armed_group", "claimant_country": None, "claimant_actor": a.name}
    country = _country_of(text, [m for m in speaker_mentions if m.actor.kind in _STATE_KINDS or m.actor.inter == 1])
    for body in cfg.bodies:
        if not (body.rx.search(text) or (body.rx_cs is not None and body.rx_cs.search(text))):
            continue
        if "{text}" in body.name or "{text}" in body.name_alone:  # a generic rule: a known outlet names it better
            known = registry.find_in_text(text)
            if known is not None:
                return _outlet_claimant(known, doc_mentions)
        iso3 = body.country or (None if body.country_none else country) or body.default_country
        if body.name == "{upper}":
            hit = body.rx.search(text) or (body.rx_cs.search(text) if body.rx_cs else None)
            name = hit.group(0).upper() if hit else cleaned
        elif iso3 and "{adj}" in body.name:
            name = body.name.replace("{adj}", cfg.adj.get(iso3, _country_name(iso3)))
        elif "{adj}" in body.name:
            name = body.name_alone
        else:
            name = body.name
        name = name.replace("{text}", cleaned)
        actor = body.actor
        if iso3 and body.military:
            actor = _military_actor(iso3, doc_mentions)
        elif iso3 and body.police:
            actor = _military_actor(iso3, doc_mentions, police=True)
        for m in speaker_mentions:
            if m.actor.kind == body.kind and body.kind in ("military", "police") and (iso3 is None or m.actor.country == iso3):
                actor = m.actor.name
                iso3 = iso3 or m.actor.country
        state_media = body.kind == "media" and (body.country or re.search(r"\bstate(-run|-owned)?\b", text, re.IGNORECASE))
        state_body = body.kind in ("military", "police", "government") or bool(state_media)
        return {
            "claimant": name,
            "claimant_kind": body.kind,
            "claimant_country": iso3 if state_body else None,
            "claimant_actor": actor,
        }
    known = registry.find_in_text(text)
    if known is not None:
        return _outlet_claimant(known, doc_mentions)
    for m in speaker_mentions:
        a = m.actor
        kind = "military" if a.kind in ("military", "state") else a.kind if a.kind in ("police", "government") else "other"
        return {"claimant": a.name, "claimant_kind": kind, "claimant_country": a.country, "claimant_actor": a.name}
    return {"claimant": cleaned, "claimant_kind": "other", "claimant_country": None, "claimant_actor": None}


# ----------------------------------------------------------------------------------------------
# Finding claims


_DOCUMENTS = frozenset({"statement", "transcript", "report", "video", "footage", "communique", "communiqué", "post", "figure", "figures", "data", "tally", "toll", "count", "document", "letter", "briefing", "message", "website", "account"})


def _speaker_tokens(verb: Token) -> Token | None:
    sp = _speaker_token_raw(verb)
    if sp is None:
        return None
    # "one of the community leaders", "two of the lawyers": the group speaks
    if sp.pos_ in ("NUM", "PRON", "DET") or sp.lower_ in ("one", "some", "many", "most", "several", "each"):
        objs = [g for c in sp.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        if objs and objs[0].pos_ != "PRON":
            return objs[0]
    # "a statement from the ministry": the author speaks; a document with no author is no speaker
    if sp.lemma_.lower() in _DOCUMENTS:
        for c in sp.children:
            if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by", "of"):
                for g in c.children:
                    if g.dep_ == "pobj" and g.lemma_.lower() not in _DOCUMENTS:
                        return g
        return None
    return sp


def _speaker_token_raw(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            if verb.lemma_ == "quote" and c.dep_ == "nsubjpass":
                # "the ministry was quoted by TASS as saying": the ministry speaks
                return c
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    # "confirmed the attack and said ...": the subject of the first verb
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and verb.head.lemma_.lower() in _cfg().reporting:
        for c in verb.head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
    # the parse missed the subject: ", the defence ministry said" / "said the ministry"
    doc = verb.doc
    prev = doc[verb.i - 1] if verb.i > verb.sent.start else None
    if prev is not None and prev.pos_ in ("NOUN", "PROPN", "PRON") and prev.tag_ != "PRP$":
        return prev
    nxt = doc[verb.i + 1] if verb.i + 1 < verb.sent.end else None
    has_clause = any(c.dep_ in ("ccomp", "xcomp") and c.i > verb.i for c in verb.children)
    if nxt is not None and nxt.pos_ in ("DET", "ADJ", "NOUN", "PROPN") and not has_clause:
        for t in doc[verb.i + 1 : min(verb.sent.end, verb.i + 6)]:
            if t.pos_ in ("NOUN", "PROPN") and not (t.dep_ == "compound" and t.head.i > t.i):
                return t
    return None


def _np_span(doc: Doc, tok: Token) -> Span:
    """The speaker's words: the token's subtree, without a trailing relative clause."""
    left, right = tok.left_edge.i, tok.right_edge.i
    if tok.dep_ in ("appos", "advcl", "dep", "conj", "npadvmod") or left > tok.i or right < tok.i:
        # a mis-attached speaker: take the plain noun phrase around the token
        left = tok.i
        while left > tok.sent.start and doc[left - 1].dep_ in ("det", "amod", "compound", "poss", "case", "nmod") and doc[left - 1].head.i <= tok.i:
            left -= 1
        right = tok.i
    for c in tok.children:
        if c.dep_ in ("relcl", "acl") and c.i > tok.i:
            right = min(right, c.left_edge.i - 1)
    while right > left and doc[right].is_punct:
        right -= 1
    return doc[left : right + 1]


def _core_text(doc: Doc, tok: Token) -> str:
    """Short display words for a speaker: the head with its left modifiers and an "of"/"for"
    phrase, without appositions or relative clauses ("Serdar Akinan, a journalist who ..." ->
    "Serdar Akinan")."""
    left = tok.left_edge.i
    right = tok.i
    for c in tok.children:
        if c.i > tok.i and c.dep_ == "prep" and c.lower_ in ("of", "for", "at", "in") and c.i == right + 1:
            right = c.right_edge.i
    while left < tok.i and (doc[left].is_punct or doc[left].dep_ in ("cc", "punct")):
        left += 1
    # left modifiers only up to a comma ("Deir ez-Zor, local media activist X" -> the activist)
    for i in range(tok.i - 1, left - 1, -1):
        if doc[i].is_punct and doc[i].text == ",":
            left = i + 1
            break
    return _clean(doc[left : right + 1].text)


def _can_speak(doc: Doc, tok: Token, text: str, mentions: Sequence[ActorMention]) -> bool:
    if tok.pos_ in ("PROPN", "PRON") or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if any(m.start < tok.idx + len(tok.text) and m.end > tok.idx for m in mentions):
        return True
    if tok.lemma_.lower() in _cfg().speaker_nouns or tok.lower_ in _cfg().speaker_nouns:
        return True
    return any(b.rx.search(tok.text) or (b.rx_cs is not None and b.rx_cs.search(tok.text)) for b in _cfg().bodies)


def _anaphor(text: str) -> dict[str, Any] | None:
    return _cfg().anaphora.get(re.sub(r"\s+", " ", text.strip().lower()))


def _resolve_anaphor(rule: dict[str, Any], earlier: Sequence[Claim]) -> Claim | None:
    for c in reversed(earlier):
        if rule.get("any"):
            return c
        if "name_contains" in rule and rule["name_contains"] in c.claimant:
            return c
        if "kind" in rule and c.claimant_kind == rule["kind"]:
            return c
        if "kind_in" in rule and c.claimant_kind in rule["kind_in"]:
            return c
    return None


def _hedged(doc: Doc, start: int, end: int, verb_lemma: str | None) -> bool:
    cfg = _cfg()
    if verb_lemma in cfg.hedging_lemmas:
        return True
    text = doc_text(doc)[start:end]
    if any(rx.search(text) for rx in cfg.hedges):
        return True
    # "The figures could not be independently verified." in the next sentence
    nxt = doc_text(doc)[end : end + 240].lower()
    lead = re.match(r"[\s.!?\"'”’]*", nxt)
    nxt = nxt[lead.end() if lead else 0 :]
    stop = re.search(r"[.!?](\s|$)", nxt)
    nxt = nxt[: stop.end()] if stop else nxt
    scope = text.lower() + " " + nxt
    return any(v in scope for v in cfg.verification)


@lru_cache(maxsize=512)
def _word_rx(phrase: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(phrase) + r"\b")


def _fields(doc: Doc, start: int, end: int) -> list[str]:
    """The record fields a claim covers: the casualty and materiel figures of the document (read once per
    document, not once per claim) that lie in the claim's words."""
    from fieldreport.extract.figures import find_casualties, find_materiel

    found = doc.user_data.get("fr_claim_figures")
    if found is None:
        found = doc.user_data["fr_claim_figures"] = (
            [(f.start, f.end, f.kind) for f in find_casualties(doc)],
            [(m.start, m.end) for m in find_materiel(doc)],
        )
    figs, mats = found
    kinds = {k for s, e, k in figs if s < end and e > start}
    fields = [name for kind, name in (("killed", "fatalities"), ("injured", "injured")) if kind in kinds]
    if any(s < end and e > start for s, e in mats):
        fields.append("materiel")
    return fields or ["event"]


def _claim_span(doc: Doc, verb: Token, speaker: Span | None) -> tuple[int, int]:
    """The reported clause and its attribution: the reporting verb's subtree within its sentence."""
    sent = verb.sent
    left, right = verb.left_edge.i, verb.right_edge.i
    if speaker is not None:
        left, right = min(left, speaker.start), max(right, speaker.end - 1)
    left, right = max(left, sent.start), min(right, sent.end - 1)
    while right > left and doc[right].is_punct and doc[right].text not in ("”", '"', "’"):
        right -= 1
    return doc[left].idx, doc[right].idx + len(doc[right].text)


def find_claims(
    doc: Doc, actor_mentions: Sequence[ActorMention] = (), outlets: OutletRegistry | None = None
) -> list[Claim]:
    """Every attributed statement of ``doc``, in text order, as :class:`~fieldreport.schema.records.Claim`.

    ``claimant_party`` is left False: the pipeline sets it with :func:`is_party`. ``outlets`` names
    claimants that are outlets, channels or monitors (default: the shipped registry).
    """
    cfg = _cfg()
    registry = outlets if outlets is not None else default_registry()
    claims: list[Claim] = []
    seen: set[tuple[int, int, str]] = set()
    for sent in sentences(doc):
        cues: list[tuple[Token, Token | None, Span | None]] = []  # (cue token, verb, speaker span)
        for tok in sent:
            if tok.lemma_.lower() in cfg.reporting and tok.pos_ in ("VERB", "AUX"):
                sp = _speaker_tokens(tok)
                if sp is not None and sp.lower_ not in ("that", "which", "who", "this", "what"):
                    cues.append((tok, tok, _np_span(doc, sp)))
        low = sent.text.lower()
        for phrase in cfg.speaker_after:
            for mt in _word_rx(phrase).finditer(low):
                after = doc.char_span(sent.start_char + mt.end(), sent.end_char, alignment_mode="expand")
                if after is None or len(after) == 0:
                    continue
                head = next((t for t in after if t.pos_ in ("PROPN", "NOUN", "PRON") and t.dep_ in ("pobj", "dobj", "nsubj", "conj", "appos", "npadvmod", "ROOT", "dep", "compound")), None)
                if head is None:
                    continue
                while head.dep_ == "compound" and head.head.i > head.i:
                    head = head.head
                if head.lemma_.lower() in _DOCUMENTS:
                    author = [g for c in head.children if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by", "of") for g in c.children if g.dep_ == "pobj"]
                    if not author:
                        continue
                    head = author[0]
                cue = doc.char_span(sent.start_char + mt.start(), sent.start_char + mt.end(), alignment_mode="expand")
                if cue is None:
                    continue
                cues.append((cue[0], None, _np_span(doc, head)))
        for cue, verb, speaker in cues:
            if speaker is None:
                continue
            head = speaker.root
            if not _can_speak(doc, head, speaker.text, actor_mentions):
                continue
            if verb is not None:
                start, end = _claim_span(doc, verb, speaker)
                # a reporting verb with no clause of its own (", the ministry said on Friday")
                # attributes the whole sentence
                if not any(c.dep_ in ("ccomp", "xcomp", "dobj", "parataxis") for c in verb.children):
                    start, end = sent.start_char, sent.end_char
            else:
                start, end = sent.start_char, sent.end_char
            text = speaker.text
            rule = _anaphor(text)
            claim_fields: dict[str, Any]
            if rule is not None:
                prev = _resolve_anaphor(rule, claims)
                if prev is None:
                    if rule.get("any"):
                        continue
                    claim_fields = normalise_claimant(text, (), actor_mentions, display=_core_text(doc, head), outlets=registry)
                else:
                    claim_fields = {
                        "claimant": prev.claimant,
                        "claimant_kind": prev.claimant_kind,
                        "claimant_country": prev.claimant_country,
                        "claimant_actor": prev.claimant_actor,
                    }
            else:
                inside = [m for m in actor_mentions if m.start < speaker.end_char and m.end > speaker.start_char]
                claim_fields = normalise_claimant(text, inside, actor_mentions, display=_core_text(doc, head), outlets=registry)
            key = (start, end, claim_fields["claimant"])
            if key in seen:
                continue
            seen.add(key)
            s, e = min(start, speaker.start_char), max(end, speaker.end_char)
            claims.append(
                Claim(
                    claimant_text=text,
                    fields=_fields(doc, s, e),
                    start=s,
                    end=e,
                    hedged=_hedged(doc, s, e, verb.lemma_.lower() if verb is not None else None),
                    **claim_fields,
                )
            )
    claims.sort(key=lambda c: (c.start, c.end))
    return claims


# ----------------------------------------------------------------------------------------------
# Party


@lru_cache(maxsize=1)
def _own_forces_rx() -> re.Pattern[str]:
    spec = load_yaml("claims/claims.yaml").get("own_forces") or {}
    poss = "|".join(re.escape(w) for w in spec.get("possessives", []))
    nouns = "|".join(re.escape(w) for w in sorted(spec.get("nouns", []), key=len, reverse=True))
    return re.compile(rf"\b(?:{poss})\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\b", re.IGNORECASE)


def names_own_forces(claim_text: str) -> bool:
    """Whether the words of a claim speak of the claimant's own forces acting ("the ministry said its
    jets struck ...", "our forces destroyed ...")."""
    return bool(_own_forces_rx().search(claim_text))


def attribute_to(claim: Claim, iso3: str) -> Claim:
    """A state body named without its state ("the Defence Ministry said") as the body of ``iso3``, named
    the way a body named with its state is ("Turkish Ministry of Defence")."""
    if claim.claimant_country or claim.claimant_kind not in ("government", "military", "police"):
        return claim
    adj = _cfg().adj.get(iso3) or _country_name(iso3)
    words = re.sub(r"^(the|a|an)\s+", "", (claim.claimant_text or claim.claimant).strip(), flags=re.IGNORECASE)
    found = normalise_claimant(f"{adj} {words}")
    if found.get("claimant_country") == iso3 and found.get("claimant_kind") == claim.claimant_kind:
        return claim.model_copy(update=found)
    return claim.model_copy(update={"claimant_country": iso3})


def _bare(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*", " ", name).strip().lower()


def is_party(
    claim: Claim,
    actor_names: Sequence[str],
    actor_countries: Sequence[str | None],
    *,
    own_forces: Sequence[str] = (),
    attacker_missing: bool = False,
    military_event: bool = False,
    speaks_of_own_forces: bool = False,
) -> bool:
    """True when the claimant is a side of the event.

    - It speaks for one of the event's actors (same ACLED actor, or same name without the
      years/country in brackets).
    - It is a state body (government, military, police) of the country of one of the actors.
    - It is a state body whose own state's forces the text names as acting in the event
      (``own_forces``: ISO3 codes of the state forces named in the event's words or the claim's),
      even when the roles left them out: "Russian jets struck ..., the Russian defence ministry said".
    - It is a state's military speaking of a military event (``military_event``: a battle, a strike,
      a shelling) whose attacker the text did not name (``attacker_missing``): militaries announce
      their own operations, so the one that claims the strike is the side that struck.
    - Its claim speaks of its own forces acting ("the ministry said its jets struck",
      ``speaks_of_own_forces``, see :func:`names_own_forces`): a state body of a known state, or a group.
    """
    names = {_bare(n) for n in actor_names if n}
    for cand in (claim.claimant_actor, claim.claimant):
        if cand and _bare(cand) in names:
            return True
    if speaks_of_own_forces and (claim.claimant_kind == "armed_group" or (
            claim.claimant_country and claim.claimant_kind in ("government", "military", "police"))):
        return True
    if not (claim.claimant_country and claim.claimant_kind in ("government", "military", "police")):
        return False
    countries = {c for c in actor_countries if c}
    if claim.claimant_country in countries:
        return True
    if claim.claimant_country in set(own_forces):
        return True
    return attacker_missing and military_event and claim.claimant_kind == "military"
