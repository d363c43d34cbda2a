"""Event detection: trigger words -> ACLED sub-event types, one candidate per event.

The detector reads two data files:

- ``data/events/triggers.yaml``: trigger phrases (matched on token lemmas) and, for each, ordered *cases*
  that pick the ACLED sub-event type from the context (the trigger's subject and object in the
  dependency parse, words of its sentence, nearby words);
- ``data/events/word_classes.yaml``: word classes ("@state", "@nonstate", "@civilian", "@protest", ...)
  that the cases refer to.

On top of the data, the code applies three rules that hold for every trigger:

1. *Non-events*: a trigger under negation ("did not attack"), a modal or future ("would attack"),
   or a verb or noun of planning, threat, denial or prevention ("threatened to attack",
   "denied carrying out the attack", "plans for an offensive") gives no candidate.
2. *Background*: a trigger placed in the past by its own words ("since the war began in 2011",
   "last year's offensive", "years of fighting") is background, not a new event.
3. *One candidate per event*: triggers that tell the same event ("an air strike ... the strike
   destroyed ... jets bombed") collapse into one candidate, the most specific and earliest; vague
   triggers ("killed", "the attack", "blast") join a specific one nearby.

Candidates are returned main event first (lead sentence and score).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from fieldreport.data import load_yaml
from fieldreport.schema.records import EventCandidate
from fieldreport.schema.taxonomy import ARMED_EVENT_TYPES, CONFLICT_EVENT_TYPES, FAMILY, SUB_TO_EVENT_TYPE
from fieldreport.text.lexicon import SPEECH_LEMMAS
from fieldreport.text.spans import doc_text, sentences

__all__ = ["EventDetector", "TriggerDecision"]

_DASHES = frozenset({"-", "–", "—", "‐"})
_GAP = "*"
_GAP_MAX = 4
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_WHEN_LABELS = frozenset({"DATE", "TIME"})
_VIOLENT_TYPES = ARMED_EVENT_TYPES
_PROPERTY_SUB = "Looting/property destruction"
_ABSORBING_TYPES = CONFLICT_EVENT_TYPES
# Event types that tell one story when a later sentence refers back to an earlier event
# ("the protesters set fire to buses" after "thousands took to the streets").
_FAMILY = {e: f for e, f in FAMILY.items() if f != "strategic"}
# A protest and a riot told in one sentence are one protest that turned violent.
_CROWD_TYPES = frozenset(e for e, f in FAMILY.items() if f == "crowd")
_CROWD_SPLIT = "Protests"
# Two triggers of one of these event types in one sentence tell one event ("seized the town
# after heavy fighting"; "air strikes and shelling pounded the town").
_ONE_PER_SENTENCE_TYPES = CONFLICT_EVENT_TYPES

# Words that make what follows them not (yet) an event. Checked on the words that govern a trigger.
_IRREALIS_GOVERNORS = frozenset(
    """threaten threat plan planned planning vow pledge warn warning intend intention aim seek want wish
    hope expect expectation prepare preparation urge demand propose proposal consider fear risk
    possibility prospect danger deny denial refute prevent avert avoid foil thwart ready poised likely
    unlikely able rumour rumor hoax fake scenario simulate simulation drill exercise rehearse rehearsal
    mock training ban postpone cancel schedule fail order permission permit allow would plot appeal
    request oppose swear allegation investigation probe inquiry accuse indict sue lawsuit prepared""".split()
)
_PREVENTING_VERBS = frozenset({"thwart", "foil", "prevent", "avert", "frustrate", "abort", "preempt"})
_MODAL_AUX = frozenset(
    {"will", "would", "could", "may", "might", "shall", "should", "must", "can", "wo", "ca"}
)
# Dependencies through which a governing word's meaning reaches the trigger.
_CLIMB_DEPS = frozenset(
    {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "compound", "nsubj", "nsubjpass", "attr",
     "appos", "amod", "npadvmod", "conj", "oprd", "dative", "agent", "advmod", "acomp"}
)
# Verbs that say whether their subject happens: "the offensive will begin", "no attack took place".
_EXISTENCE_VERBS = frozenset(
    {"happen", "occur", "take", "begin", "start", "be", "come", "go", "resume", "continue", "erupt",
     "break", "launch", "materialise", "materialize", "proceed", "unfold"}
)
_START_VERBS = frozenset({"begin", "start", "continue", "resume", "manage", "try", "attempt", "keep", "go"})
_BACKGROUND_WORDS = frozenset(
    {"previous", "former", "prior", "history", "historic", "anniversary", "legacy", "memory", "memories"}
)
_DURATION_NOUNS = frozenset(
    {"year", "decade", "month", "history", "anniversary", "legacy", "memory", "century"}
)
# Prepositions whose object is the side acted upon ("attack on", "fired at", "clashed with").
_TARGET_PREPS = frozenset({"on", "against", "at", "with", "targeting", "in", "near", "of", "into", "over"})
_YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
_MONTH_RE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b\d{1,2}(st|nd|rd|th)?\b", re.I
)
_PAST_DATE_RE = re.compile(
    r"\b(last|previous|past)\s+(year|decade)s?\b|\b(years|decades)\s+ago\b|\b(19|20)\d0s\b"
    r"|\b(recent|past|previous|last)\s+(few\s+|several\s+)?(years|decades)\b|\bover the years\b",
    re.I,
)
_WAR_START_WORDS = frozenset(
    {"war", "conflict", "begin", "start", "beginning", "outset", "uprising", "revolution", "invasion",
     "insurgency", "crisis", "onset"}
)
_HABITUAL_WORDS = frozenset(
    {"regularly", "often", "frequently", "repeatedly", "routinely", "usually", "sometimes", "occasionally",
     "repeated", "frequent", "regular", "recurring", "recurrent", "daily", "nightly", "constant",
     "persistent", "periodic", "sporadic", "previous", "former", "prior"}
)
_REPORTING_VERBS = SPEECH_LEMMAS | frozenset({"acknowledge", "admit"})
# Sentences from this index on are the body of an article (0 is the lead, 1 its elaboration).
_BODY_SENTENCE = 2
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their", "his", "her"})
_LABEL_RE = re.compile(r"\s*([A-Za-z][A-Za-z /-]{1,45}?)\s*:\s")
# Words that put a protest in the background of another event of its sentence ("houses were torched
# amid the unrest that followed anti-government demonstrations").
_CONTEXT_PREPS = frozenset({"amid", "amidst", "following", "after", "during"})
_ONGOING_WORDS = frozenset({"ongoing", "continuing", "continued", "escalating", "persistent", "wider", "broader",
                            "recent", "months-long", "years-long", "weeks-long"})
_GENERAL_STATE_WORDS = frozenset({"violence", "unrest", "tension", "tensions", "chaos", "turmoil", "anarchy"})
_CONTEXT_PHRASES = ("in the context of", "in reaction to", "in response to", "in the wake of")


# ------------------------------------------------------------------------------------------
# Term lists: words, phrases, exact words, word classes and entity labels.


def _norm_phrase(text: str) -> str:
    """Lower-case, hyphens as spaces, single spaces: the form phrases are compared in."""
    return " ".join(text.lower().replace("-", " ").replace("–", " ").split())


@dataclass(frozen=True)
class _Terms:
    """A compiled list of terms (see the header of events/triggers.yaml)."""

    words: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, str], ...] = ()  # (first word, phrase padded with spaces: " tear gas ")
    exact: frozenset[str] = frozenset()
    classes: tuple[str, ...] = ()
    labels: frozenset[str] = frozenset()

    @staticmethod
    def compile(items: Iterable[Any], known_classes: Iterable[str] = ()) -> _Terms:
        known = set(known_classes)
        words: set[str] = set()
        phrases: list[tuple[str, str]] = []
        exact: set[str] = set()
        classes: list[str] = []
        labels: set[str] = set()
        for raw in items or ():
            item = str(raw).strip()
            if not item:
                continue
            if item.startswith("@"):
                if known and item[1:] not in known:
                    raise ValueError(f"unknown word class {item!r} (classes: {sorted(known)})")
                classes.append(item[1:])
            elif item.startswith("#"):
                labels.add(item[1:])
            elif item.startswith("="):
                exact.add(item[1:])
            else:
                norm = _norm_phrase(item)
                if " " in norm:
                    phrases.append((norm.split()[0], f" {norm} "))
                else:
                    words.add(norm)
        return _Terms(frozenset(words), tuple(phrases), frozenset(exact), tuple(classes), frozenset(labels))


class _View:
    """A bag of tokens (a sentence, a window, a subject) to test term lists against."""

    __slots__ = ("words", "parts", "lemma_str", "lower_str", "exact", "labels", "_lex", "_class_cache")

    def __init__(self, tokens: Sequence[Token], lex: _Lexicon) -> None:
        lemmas: list[str] = []
        lowers: list[str] = []
        exact: set[str] = set()
        labels: set[str] = set()
        for t in tokens:
            # Dates say nothing about the event's kind ("12 March" is no march, "May" no modal).
            if t.text in _DASHES or t.ent_type_ == "DATE":
                continue
            lem = t.lemma_.lower()
            low = t.lower_
            lemmas.append(lem)
            lowers.append(low)
            exact.add(t.text)
            if t.ent_type_:
                labels.add(t.ent_type_)
        self.words = frozenset(lemmas) | frozenset(lowers)
        self.lemma_str = " " + _norm_phrase(" ".join(lemmas)) + " "
        self.lower_str = " " + _norm_phrase(" ".join(lowers)) + " "
        self.parts = frozenset(self.lemma_str.split()) | frozenset(self.lower_str.split())
        self.exact = exact
        self.labels = labels
        self._lex = lex
        self._class_cache: dict[str, bool] = {}

    def has(self, terms: _Terms) -> bool:
        if terms.words and not terms.words.isdisjoint(self.words):
            return True
        if terms.exact and not terms.exact.isdisjoint(self.exact):
            return True
        if terms.labels and not terms.labels.isdisjoint(self.labels):
            return True
        parts = self.parts
        for first, p in terms.phrases:
            if first in parts and (p in self.lemma_str or p in self.lower_str):
                return True
        for c in terms.classes:
            if self.has_class(c):
                return True
        return False

    def has_class(self, name: str) -> bool:
        hit = self._class_cache.get(name)
        if hit is None:
            hit = self.has(self._lex.classes[name])
            self._class_cache[name] = hit
        return hit


class _Lexicon:
    """The word classes of events/word_classes.yaml."""

    def __init__(self, data: dict[str, Any]) -> None:
        raw = data.get("classes") or {}
        names = list(raw)
        self.classes: dict[str, _Terms] = {}
        for name, items in raw.items():
            terms = _Terms.compile(items, names)
            if terms.classes:
                raise ValueError(f"word class {name!r} may not refer to other classes")
            self.classes[name] = terms


# ------------------------------------------------------------------------------------------
# Triggers and their cases.

_CONDITION_KEYS = (
    "sentence_any", "sentence_none", "sentence_also", "nearby_any", "window_any", "window_none",
    "subject_any", "subject_none", "object_any", "object_none", "governor_any", "governor_none",
    "lemma_any", "pos_any", "pos_none", "dep_any", "before_any", "before_none",
)


@dataclass(frozen=True)
class _Case:
    sub: str | None
    why: str
    conditions: tuple[tuple[str, _Terms], ...]


@dataclass(frozen=True)
class _Trigger:
    name: str
    specificity: int
    generic: bool
    pos: frozenset[str] | None
    no_propn: bool
    dep_none: frozenset[str]
    window: int
    purpose_ok: bool
    cases: tuple[_Case, ...]
    yields: bool = False


def _compile_trigger(raw: dict[str, Any], class_names: Iterable[str]) -> _Trigger:
    name = str(raw["name"])
    cases: list[_Case] = []
    for i, rc in enumerate(raw.get("cases") or ()):
        unknown = set(rc) - set(_CONDITION_KEYS) - {"sub", "why"}
        if unknown:
            raise ValueError(f"trigger {name!r} case {i}: unknown keys {sorted(unknown)}")
        sub = rc.get("sub")
        if sub is not None and sub not in SUB_TO_EVENT_TYPE:
            raise ValueError(f"trigger {name!r} case {i}: {sub!r} is not an ACLED sub-event type")
        conds = tuple((k, _Terms.compile(rc[k], class_names)) for k in _CONDITION_KEYS if k in rc)
        cases.append(_Case(sub, str(rc.get("why") or ""), conds))
    pos = raw.get("pos")
    return _Trigger(
        name=name,
        specificity=int(raw.get("specificity", 2)),
        generic=bool(raw.get("generic", False)),
        pos=frozenset(pos) if pos else None,
        no_propn=bool(raw.get("no_propn", False)),
        dep_none=frozenset(raw.get("dep_none") or ()),
        window=int(raw.get("window", 6)),
        purpose_ok=bool(raw.get("purpose_ok", False)),
        cases=tuple(cases),
        yields=bool(raw.get("yields", False)),
    )


def _pattern_tokens(pattern: str) -> tuple[str, ...]:
    """Split a pattern into the tokens it matches: "air-strike" -> ("air", "strike").

    Hyphens in the text are skipped unless the pattern asks for one exactly ("sit =- in").
    """
    out: list[str] = []
    for part in str(pattern).split():
        if part.startswith("="):
            out.append(part)
        elif part == _GAP:
            out.append(_GAP)
        else:
            out.extend(p for p in re.split(r"[-–]", part.lower()) if p)
    return tuple(out)


class _Matcher:
    """Finds trigger phrases in a doc by lemma or lower-case form, ignoring hyphens."""

    def __init__(self, patterns: Iterable[tuple[tuple[str, ...], int]]) -> None:
        self._index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        seen: set[tuple[tuple[str, ...], int]] = set()
        for toks, trig in patterns:
            if not toks or toks[0] == _GAP or toks[-1] == _GAP or (toks, trig) in seen:
                continue
            seen.add((toks, trig))
            self._index.setdefault(toks[0], []).append((toks, trig))

    @staticmethod
    def _tok_ok(p: str, lem: str, low: str, text: str) -> bool:
        if p.startswith("="):
            return p[1:] == text
        return p == lem or p == low

    def find(self, lem: list[str], low: list[str], text: list[str]) -> list[tuple[int, int, list[int], int]]:
        """All matches as (start, end, matched token indices, trigger index)."""
        out: list[tuple[int, int, list[int], int]] = []
        n = len(lem)
        for i in range(n):
            keys = {lem[i], low[i], "=" + text[i]}
            for key in keys:
                for toks, trig in self._index.get(key, ()):
                    got = self._match_at(toks, i, lem, low, text, n)
                    if got is not None:
                        out.append((i, got[-1] + 1, got, trig))
        return out

    def _match_at(
        self, toks: tuple[str, ...], i: int, lem: list[str], low: list[str], text: list[str], n: int
    ) -> list[int] | None:
        got = [i]
        j = i + 1
        k = 1
        while k < len(toks):
            p = toks[k]
            while j < n and text[j] in _DASHES and not p.startswith("="):
                j += 1
            if p == _GAP:
                gaps = 1  # "* *" skips up to twice as many tokens
                while toks[k + gaps] == _GAP:
                    gaps += 1
                nxt = toks[k + gaps]
                for jj in range(j, min(n, j + gaps * _GAP_MAX + 1)):
                    if self._tok_ok(nxt, lem[jj], low[jj], text[jj]):
                        got.append(jj)
                        j = jj + 1
                        break
                else:
                    return None
                k += gaps + 1
                continue
            if j >= n or not self._tok_ok(p, lem[j], low[j], text[j]):
                return None
            got.append(j)
            j += 1
            k += 1
        return got


# ------------------------------------------------------------------------------------------
# Public types.


@dataclass
class TriggerDecision:
    """What the detector made of one trigger match (for debugging and tests): see ``explain``."""

    start: int
    end: int
    text: str
    trigger: str
    sub_event_type: str | None
    status: str  # "event", "rejected", "nonevent", "background", "merged"
    reason: str


@dataclass
class _Found:
    trigger: _Trigger
    sub: str
    why: str
    start: int
    end: int
    head: Token
    sent_idx: int
    definite: bool
    score: float
    members: list[_Found] = field(default_factory=list)

    @property
    def event_type(self) -> str:
        return SUB_TO_EVENT_TYPE[self.sub]


class _DocContext:
    """Per-document caches: sentences, sentence views, places per sentence."""

    def __init__(self, doc: Doc, lex: _Lexicon) -> None:
        self.doc = doc
        self.lex = lex
        self.sents: list[Span] = sentences(doc)
        self.sent_of = [0] * len(doc)
        for si, s in enumerate(self.sents):
            for i in range(s.start, s.end):
                self.sent_of[i] = si
        self.ents: list[Span] = list(doc.ents)
        self._views: dict[int, _View] = {}
        self._places: dict[int, frozenset[str]] = {}

    def sent_view(self, si: int) -> _View:
        v = self._views.get(si)
        if v is None:
            v = self._views[si] = _View(self.sents[si], self.lex)
        return v

    def nearby_view(self, si: int) -> _View:
        """The sentence with the one before and the one after it."""
        v = self._views.get(-1 - si)
        if v is None:
            lo = self.sents[max(0, si - 1)].start
            hi = self.sents[min(len(self.sents) - 1, si + 1)].end
            v = self._views[-1 - si] = _View(self.doc[lo:hi], self.lex)
        return v

    def places(self, si: int) -> frozenset[str]:
        p = self._places.get(si)
        if p is None:
            sent = self.sents[si]
            p = self._places[si] = frozenset(
                e.text.lower()
                for e in self.ents
                if e.label_ in _PLACE_LABELS and sent.start <= e.start < sent.end
            )
        return p


# ------------------------------------------------------------------------------------------
# Syntax helpers.


def _phrase_tokens(tok: Token) -> list[Token]:
    """A noun with its compounds, modifiers and possessors, plus its conjuncts ("rebels and militants")."""
    out: list[Token] = []
    stack = [tok]
    seen: set[int] = set()
    while stack:
        t = stack.pop()
        if t.i in seen:
            continue
        seen.add(t.i)
        out.append(t)
        for c in t.children:
            if c.dep_ in ("compound", "amod", "nmod", "poss", "conj", "appos", "nummod", "det"):
                stack.append(c)
            elif c.dep_ == "prep" and c.lower_ == "of":
                stack.extend(g for g in c.children if g.dep_ == "pobj")
    out.sort(key=lambda t: t.i)
    return out


def _verb_args(v: Token) -> tuple[list[Token], list[Token]]:
    """Subject-side and object-side head tokens of a verb."""
    subj: list[Token] = []
    obj: list[Token] = []
    for c in v.children:
        d = c.dep_
        if d in ("nsubj", "csubj"):
            subj.append(c)
        elif d == "agent":
            subj.extend(g for g in c.children if g.dep_ == "pobj")
        elif d in ("dobj", "nsubjpass", "attr", "dative", "oprd"):
            obj.append(c)
        elif d == "prep" and (c.lower_ in _TARGET_PREPS or c.lower_ == "to"):
            for g in c.children:
                if g.dep_ == "pobj":
                    obj.append(g)
        elif d == "prt":
            for g in c.children:
                if g.dep_ == "pobj":
                    obj.append(g)
    # "On 3 May": a date says when, never who was acted upon.
    obj = [o for o in obj if o.ent_type_ not in _WHEN_LABELS]
    # "shot and killed a farmer": the object of the second verb is the first one's too.
    if not any(c.dep_ == "dobj" for c in v.children):
        for c in v.children:
            if c.dep_ == "conj" and c.pos_ == "VERB":
                obj.extend(g for g in c.children if g.dep_ == "dobj")
    # Headline passive: "Soldier killed in east" (a past participle with no auxiliary or object).
    if v.tag_ == "VBN" and subj and not any(c.dep_ in ("aux", "auxpass", "dobj") for c in v.children) and not (
        any(c.dep_ == "conj" and c.pos_ == "VERB" and c.tag_ == "VBD" for c in v.children)
    ):
        subj, obj = [], subj + obj
    return subj, obj


def _args(h: Token, roles: str = "") -> tuple[list[Token], list[Token]]:
    """The acting side and the side acted upon of a trigger head, read from the parse."""
    subj: list[Token] = []
    obj: list[Token] = []
    verb_like = h.pos_ in ("VERB", "AUX") or (
        h.pos_ not in ("NOUN", "PROPN") and any(c.dep_ in ("nsubj", "dobj", "nsubjpass") for c in h.children)
    )
    if verb_like:
        subj, obj = _verb_args(h)
        # Inherit the subject of the verb this one depends on: "..., killing 12", "tried to storm".
        if not subj and h.dep_ in ("xcomp", "advcl", "conj", "pcomp") and h.head.i != h.i:
            hs, _ = _verb_args(h.head)
            subj = hs
        if h.dep_ == "relcl" and not subj:
            subj = [h.head]
        if h.dep_ == "acl":  # "civilians killed by gunmen"
            obj.append(h.head)
        if roles == "to_is_agent":  # "the town fell to the rebels"
            subj, obj = [g for g in obj], [s for s in subj]
    else:
        for c in h.children:
            d = c.dep_
            if d in ("compound", "amod", "poss", "nmod"):
                subj.append(c)
            elif d == "prep":
                pobjs = [g for g in c.children if g.dep_ == "pobj"]
                if c.lower_ == "by":
                    subj.extend(pobjs)
                elif c.lower_ in _TARGET_PREPS:
                    obj.extend(pobjs)
                elif c.lower_ == "between":
                    subj.extend(pobjs)
                    obj.extend(pobjs)
            elif d == "acl":
                _s, o = _verb_args(c)
                obj.extend(o)
        gov = h.head
        if h.dep_ in ("dobj", "nsubjpass") and gov.i != h.i:  # "launched an attack", "an attack was launched"
            s, o = _verb_args(gov)
            subj.extend(s)
            obj.extend(x for x in o if x.i != h.i)
        elif h.dep_ == "nsubj" and gov.i != h.i:  # "the attack killed five civilians"
            _s, o = _verb_args(gov)
            obj.extend(x for x in o if x.i != h.i)
        elif h.dep_ == "pobj" and gov.head.i != gov.i:  # "killed in an attack"
            v = gov.head
            if v.pos_ in ("VERB", "AUX"):
                s, o = _verb_args(v)
                obj.extend(x for x in o if x.i != h.i)
                subj.extend(x for x in s if x.i != h.i)
    return subj, obj


def _governor(h: Token) -> list[Token]:
    """Words that govern the trigger head: its head, or the verb above a preposition."""
    out: list[Token] = []
    t = h
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    if t.head.i != t.i:
        out.append(t.head)
        if t.dep_ == "pobj" and t.head.head.i != t.head.i:
            up = t.head.head
            out.append(up)
            # "detained dozens of protesters": look past a quantity to the verb.
            if up.pos_ in ("NOUN", "NUM") and up.dep_ in ("dobj", "nsubjpass", "pobj") and up.head.i != up.i:
                out.append(up.head)
    return out


def _irrealis(h: Token, purpose_ok: bool = False) -> str | None:
    """Why the trigger did not (yet) happen, or None: negation, modality, plans, threats, denials."""
    for c in h.children:  # "planned attacks", "a threatened strike"
        if c.dep_ in ("compound", "amod") and (
            c.lemma_.lower() in _IRREALIS_GOVERNORS or c.lower_ in _IRREALIS_GOVERNORS
        ):
            return f"modified by {c.text!r}"
    t = h
    steps = 0
    via = ""
    while True:
        if via in ("nsubj", "nsubjpass") and t.lemma_.lower() in _PREVENTING_VERBS:
            return f"prevented: {t.text!r}"  # "the attack was thwarted"
        if via in ("nsubj", "nsubjpass") and t.lemma_.lower() not in _EXISTENCE_VERBS:
            # "The attack could not be verified": the verb speaks about the report, not the event.
            return None
        for c in t.children:
            d = c.dep_
            if d == "neg" and via != "ccomp":
                return f"negated by {c.text!r}"
            if d in ("aux", "auxpass") and c.lower_ in _MODAL_AUX:
                return f"modal or future {c.text!r}"
            if d == "det" and c.lower_ == "no":
                return "negated by 'no'"
            if d == "mark" and c.lower_ in ("if", "unless", "whether", "until", "before", "lest"):
                return f"conditional {c.text!r}"
        # The first conjunct of the trigger's verb is another act, not a frame around it
        # ("denied involvement and condemned the bombing").
        if t.i != h.i and via != "conj":
            lem = t.lemma_.lower()
            if lem in _IRREALIS_GOVERNORS:
                return f"governed by {t.text!r}"
            if lem == "call" and any(c.dep_ == "prep" and c.lower_ == "for" for c in t.children):
                return f"governed by {t.text!r} for"
            if lem == "set" and via == "xcomp":
                return f"governed by {t.text!r} to"
        # A verb with "to" governed by another verb is a purpose or an order, not an act,
        # unless the governing verb says it began ("began to shell").
        if (
            t.i == h.i
            and not purpose_ok
            and t.pos_ == "VERB"
            and t.dep_ in ("advcl", "xcomp", "acl", "relcl")
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        ):
            if t.head.lemma_.lower() not in _START_VERBS and t.dep_ != "xcomp":
                return "purpose 'to ...'"
        if t.dep_ == "prep" and t.lower_ == "without":
            return "negated by 'without'"
        if t.dep_ not in _CLIMB_DEPS or t.head.i == t.i or steps >= 6:
            return None
        via = t.dep_
        t = t.head
        steps += 1


def _clause_verb(h: Token) -> Token | None:
    """The verb of the clause the trigger sits in (the trigger itself when it is a verb)."""
    t = h
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _tense(v: Token) -> str:
    """"perfect", "pluperfect", "present", "past" or "" for a clause verb, from its tag and auxiliaries."""
    for _ in range(3):
        auxes = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
        if auxes & {"had", "'d"} and v.tag_ in ("VBN", "VBG"):
            return "pluperfect"
        if auxes & {"has", "have", "'ve", "'s"} and v.tag_ in ("VBN", "VBG"):
            return "perfect"
        if auxes & {"been"} and auxes & {"has", "have", "'ve"}:
            return "perfect"
        if auxes & {"was", "were", "did"} or v.tag_ == "VBD":
            return "past"
        if auxes & {"is", "are", "am", "'re", "'m", "do", "does"} or v.tag_ in ("VBZ", "VBP"):
            return "present"
        # A participle ("..., killing 12", "people wounded by fire") takes the tense of its head.
        if v.tag_ in ("VBG", "VBN") and not auxes and v.head.i != v.i:
            up = _clause_verb(v.head)
            if up is None or up.i == v.i:
                return ""
            v = up
            continue
        return ""
    return ""


def _reported(verb: Token) -> bool:
    """True when the clause is what someone said: "..., police said", "officials told reporters that ..."."""
    t = verb
    for _ in range(3):
        if t.dep_ not in ("ccomp", "conj", "xcomp") or t.head.i == t.i:
            return False
        t = t.head
        if t.lemma_.lower() in _REPORTING_VERBS:
            return True
    return False


def _background(h: Token, ctx: _DocContext) -> str | None:
    """Why the trigger is background (a past event mentioned in passing), or None."""
    si = ctx.sent_of[h.i]
    # 1. Inside "since ...", "years of ...", or (in the body of an article) "after ...".
    t = h
    for _ in range(8):
        if t.head.i == t.i:
            break
        parent = t.head
        if t.dep_ in ("pobj", "pcomp") and parent.lower_ == "since":
            return "background: after 'since'"
        marks = {c.lower_ for c in t.children if c.dep_ == "mark"}
        if t.dep_ == "advcl" and "since" in marks:
            return "background: clause with 'since'"
        if t.dep_ == "pobj" and parent.lower_ == "of" and parent.head.lemma_.lower() in _DURATION_NOUNS:
            return f"background: '{parent.head.text} of'"
        if si >= _BODY_SENTENCE and (
            (t.dep_ in ("pobj", "pcomp") and parent.lower_ in ("after", "following", "before"))
            or (t.dep_ == "advcl" and marks & {"after", "before"})
        ):
            return "background: an earlier event told in an 'after' clause"
        t = parent
    if any(c.dep_ == "mark" and c.lower_ == "since" for c in h.children):
        return "background: clause with 'since'"
    verb = _clause_verb(h)
    # "... has intensified since February, when rebel shells landed": the when-clause dates the since.
    if (
        verb is not None
        and verb.dep_ == "advcl"
        and any(c.lower_ == "when" for c in verb.children)
        and any(c.dep_ == "prep" and c.lower_ == "since" for c in verb.head.children)
    ):
        return "background: 'since ..., when ...'"
    # 2. Habitual or repeated events: "regularly plant explosives", "repeated attacks".
    if si >= 1:
        words = [c for c in h.children if c.dep_ in ("amod", "advmod")]
        if verb is not None:
            words += [c for c in verb.children if c.dep_ in ("advmod", "npadvmod")]
            for v in (verb, verb.head if verb.dep_ == "xcomp" else verb):
                if v.lemma_.lower() in ("continue", "keep") and v.i != h.i:
                    return f"background: {v.text!r}: an ongoing pattern"
        for w in words:
            if w.lower_ in _HABITUAL_WORDS:
                return f"background: {w.text!r}: repeated events"
    # 3. In the body of an article, events told in the present or the perfect are context
    #    ("Russia has carried out air strikes ...", "attacks ... have continued").
    if si >= _BODY_SENTENCE:
        tense = _tense(verb) if verb is not None else ""
        if tense == "pluperfect" and verb is not None and _reported(verb):
            tense = "past"  # "police said they had arrested three men": news told in reported speech
        if tense in ("perfect", "pluperfect", "present"):
            return f"background: told in the {tense} tense in the body of the article"
    # A running total "since the war began": the trigger counts many past events.
    for c in h.children:
        if (c.dep_ == "prep" and c.lower_ == "since") or (
            c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "since" for m in c.children)
        ):
            words = {t.lemma_.lower() for t in c.subtree}
            if words & _WAR_START_WORDS or any(_YEAR_RE.match(t.lower_) for t in c.subtree):
                return "background: a running total since the conflict began"
    # 4. The trigger's own time words: "last year's offensive", "the 2014 offensive", "in 2011",
    #    or those of the verb it is the object of ("launched an offensive last year").
    near: list[Token] = []
    if verb is not None and verb.i != h.i and h.dep_ in ("dobj", "nsubjpass"):
        for c in verb.children:
            if c.dep_ == "npadvmod" or (c.dep_ == "prep" and c.lower_ in ("in", "during")):
                near.extend(c.subtree)
    for c in h.children:
        if c.i < h.i and c.dep_ in ("poss", "compound", "amod", "nummod", "npadvmod", "nmod", "det"):
            near.extend(c.subtree)
        elif c.dep_ == "prep" and c.lower_ in ("in", "during"):
            near.extend(c.subtree)
        elif c.dep_ == "npadvmod" or (c.dep_ == "advmod" and c.lower_ in _BACKGROUND_WORDS):
            near.extend(c.subtree)
    for tok in near:
        low = tok.lower_
        if low in _BACKGROUND_WORDS:
            return f"background: {low!r}"
        if _YEAR_RE.match(low):
            if tok.dep_ in ("nummod", "compound", "appos") and tok.head.pos_ in ("NOUN", "PROPN") and (
                tok.head.lemma_.lower() not in _DURATION_NOUNS and tok.head.i < tok.i
            ):
                continue  # a year that names a thing ("the finance bill 2024", "Euro 2024"), not a time
            ent_text = tok.text
            for e in ctx.ents:
                if e.start <= tok.i < e.end:
                    ent_text = e.text
                    break
            if not _MONTH_RE.search(ent_text.replace(tok.text, "")):
                return f"background: year {tok.text!r}"
    if near:
        text = " ".join(t.text for t in near)
        if _PAST_DATE_RE.search(text):
            return "background: past date"
    return None


def armed_group_names(actors: dict[str, Any]) -> list[str]:
    """Aliases (phrases) and acronyms ("=ACR", matched exactly) of the rebel groups and militias of an
    actor dictionary: words that name a non-state armed side."""
    out: list[str] = []
    for a in (actors or {}).get("actors") or ():
        if not isinstance(a, dict):
            continue
        inter, kind = a.get("inter"), a.get("kind")
        if not (inter == 2 or (inter == 3 and kind == "militia")):
            continue
        for alias in a.get("aliases") or ():
            alias = str(alias).strip()
            if len(alias) >= 4 and " " in alias or alias[:1].isupper() and len(alias) >= 5:
                out.append(alias.lower())
        for acr in a.get("acronyms") or ():
            acr = str(acr).strip()
            if len(acr) >= 2:
                out.append("=" + acr)
    return out


def _in_context_clause(h: Token) -> bool:
    """True when the token sits under "amid", "following", "in the context of" and the like."""
    t = h
    for _ in range(6):
        if t.head.i == t.i:
            return False
        parent = t.head
        if t.dep_ in ("pobj", "pcomp") and parent.lower_ in _CONTEXT_PREPS:
            return True
        if t.dep_ == "pobj" and parent.dep_ == "prep":
            words = " ".join(x.lower_ for x in parent.head.subtree if x.i <= parent.i)[-40:]
            if any(words.endswith(p) for p in _CONTEXT_PHRASES):
                return True
        t = parent
    return False


_EARLIER_WORDS = frozenset({"earlier", "prior", "previous", "former", "past", "last"})
# Verbs whose clause is one side's charge against another ("claiming that they rioted"), unlike a
# report's attribution ("..., police said"), which tells the event itself.
_ALLEGING_VERBS = frozenset({"claim", "allege", "accuse", "blame"})


def _told_aside(h: Token) -> bool:
    """True when the trigger is told as the setting, the cause or someone's claim, not as what happened
    here: "following an earlier clash", "after clashes took place", "claiming that they engaged in
    violent demonstrations", "the prior killing of a student"."""
    return _in_context_clause(h) or _told_before(h) or _in_when_clause(h)


def _in_when_clause(h: Token) -> bool:
    """True when the trigger sits in a clause of time ("when BNP was staging a rally"): the setting of the
    main clause's event."""
    t = h
    for _ in range(6):
        if t.head.i == t.i:
            return False
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("when", "while", "as") for c in t.children):
            return True
        t = t.head
    return False


def _told_before(h: Token) -> bool:
    """True when the trigger is an earlier event or someone's charge: "following an earlier clash",
    "after clashes took place", "claiming that they rioted" (not "during clashes": that is the event)."""
    if any(c.lower_ in _EARLIER_WORDS for c in h.children if c.dep_ in ("amod", "advmod")):
        return True
    t = h
    for _ in range(6):
        if t.head.i == t.i:
            return False
        parent = t.head
        if t.dep_ in ("ccomp", "advcl") and parent.lemma_.lower() in _ALLEGING_VERBS:
            return True
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("after", "since", "because") for c in t.children):
            return True
        if t.dep_ in ("pobj", "pcomp") and parent.pos_ == "ADP" and (
            parent.lower_ in ("over", "after", "since", "following", "against", "for")
        ):  # "protest against the assault on a student", "for assaulting members"
            return True
        t = parent
    return False


def _lead_sentences(ctx: _DocContext) -> int:
    """How many sentences the lead takes: the first paragraph (with the next one when the first is a
    headline alone), or the first two sentences of a text with no paragraph breaks."""
    text = doc_text(ctx.doc)
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    brk = stripped.find("\n\n")
    if brk < 0:
        return 2
    end = offset + brk
    n = sum(1 for s in ctx.sents if s.start_char < end)
    if n <= 1:
        nxt = text.find("\n\n", end + 2)
        end = nxt if nxt >= 0 else len(text)
        n = sum(1 for s in ctx.sents if s.start_char < end)
    return max(n, 1)


def _separate_clauses(f: _Found, c: _Found, ctx: _DocContext) -> bool:
    """True when f and every member of c in f's sentence sit in different clauses naming different places."""
    fv = _clause_verb(f.head)
    if fv is None:
        return False
    f_places = _clause_places(fv, ctx)
    if not f_places:
        return False
    here = [m for m in c.members if m.sent_idx == f.sent_idx]
    specific = [m for m in here if not m.trigger.generic] or here
    for m in specific:
        mv = _clause_verb(m.head)
        if mv is None or mv.i == fv.i:
            return False
        # "students marched and then fought the police ...": one subject, one story
        if _shares_subject(fv, mv):
            return False
        m_places = _clause_places(mv, ctx)
        if not m_places or m_places & f_places:
            return False
    return True


def _shares_subject(a: Token, b: Token) -> bool:
    """True when one verb is the other's conjunct and has no subject of its own."""
    for x, y in ((a, b), (b, a)):
        if x.dep_ == "conj" and x.head.i == y.i and not any(c.dep_ in ("nsubj", "nsubjpass") for c in x.children):
            return True
    return False


def _clause_places(verb: Token, ctx: _DocContext) -> frozenset[str]:
    """Place names and dates whose nearest governing verb is ``verb``: where and when the clause is."""
    out = set()
    sent = ctx.sents[ctx.sent_of[verb.i]]
    for e in ctx.ents:
        if (e.label_ in _PLACE_LABELS or e.label_ == "DATE") and sent.start <= e.start < sent.end:
            v = _clause_verb(e.root)
            if v is not None and v.i == verb.i:
                out.add(e.text.lower())
    return frozenset(out)


# ------------------------------------------------------------------------------------------
# The detector.


class EventDetector:
    """Finds events in a parsed article and gives each its ACLED event type and sub-event type.

    ``EventDetector.default()`` reads the packaged ``events/triggers.yaml`` and ``events/word_classes.yaml``;
    pass your own data (same shape) to the constructor to extend or replace them.
    """

    def __init__(self, triggers: dict[str, Any], lexicon: dict[str, Any]) -> None:
        self._lex = _Lexicon(lexicon)
        names = list(self._lex.classes)
        self._triggers: list[_Trigger] = []
        pats: list[tuple[tuple[str, ...], int]] = []
        for raw in triggers.get("triggers") or ():
            trig = _compile_trigger(raw, names)
            idx = len(self._triggers)
            self._triggers.append(trig)
            for p in raw.get("patterns") or ():
                pats.append((_pattern_tokens(p), idx))
        self._matcher = _Matcher(pats)
        self._escalation: tuple[str, ...] = tuple(triggers.get("escalation") or ())
        self._labels: dict[str, str] = {_norm_phrase(k): v for k, v in (triggers.get("labels") or {}).items()}
        for sub in (*self._escalation, *self._labels.values()):
            if sub not in SUB_TO_EVENT_TYPE:
                raise ValueError(f"{sub!r} (escalation or labels) is not an ACLED sub-event type")

    @classmethod
    def default(cls) -> EventDetector:
        """The detector with fieldreport's packaged trigger rules and word classes; the names of the
        armed groups in the actor dictionary (rebels and militias) join the ``@nonstate`` class."""
        lexicon = load_yaml("events/word_classes.yaml")
        extra = armed_group_names(load_yaml("actors/dictionary.yaml"))
        classes = lexicon.setdefault("classes", {})
        classes["nonstate"] = list(classes.get("nonstate") or []) + extra
        return cls(load_yaml("events/triggers.yaml"), lexicon)

    # -- public API ----------------------------------------------------------------------

    def detect(self, doc: Doc) -> list[EventCandidate]:
        """One candidate per event the article reports, main event first."""
        clusters, _, ctx = self._run(doc)
        out = [self._to_candidate(c, doc, ctx.sents[c.sent_idx]) for c in clusters]
        labelled = self._label(doc, ctx)
        if labelled is not None:
            # The coder's label names the event the first sentence tells: it replaces that sentence's events.
            out = [labelled] + [c for c in out if c.sentence_start != labelled.sentence_start]
        return out

    def _label(self, doc: Doc, ctx: _DocContext) -> EventCandidate | None:
        """A coder's label at the very start of the text ("Looting: On 3 May ..."), as a candidate."""
        if not self._labels or not ctx.sents:
            return None
        text = doc_text(doc)
        m = _LABEL_RE.match(text)
        if m is None:
            return None
        sub = self._labels.get(_norm_phrase(m.group(1)))
        if sub is None:
            return None
        sent = ctx.sents[0]
        return EventCandidate(
            event_type=SUB_TO_EVENT_TYPE[sub], sub_event_type=sub, trigger_start=m.start(1),
            trigger_end=m.end(1), sentence_start=sent.start_char, sentence_end=sent.end_char, score=0.9,
            reason=f"coder's label {m.group(1)!r}",
        )

    def explain(self, doc: Doc) -> list[TriggerDecision]:
        """Every trigger match with what became of it (event, merged, non-event, background, rejected)."""
        _, decisions, _ = self._run(doc)
        return decisions

    # -- internals -----------------------------------------------------------------------

    def _run(self, doc: Doc) -> tuple[list[_Found], list[TriggerDecision], _DocContext]:
        ctx = _DocContext(doc, self._lex)
        tokens = list(doc)
        lem = [t.lemma_.lower() for t in tokens]
        low = [t.lower_ for t in tokens]
        txt = [t.text for t in tokens]
        matches = self._matcher.find(lem, low, txt)
        # Longest match wins where matches overlap; one span may carry several triggers.
        by_span: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
        for start, end, toks, trig in matches:
            entry = by_span.setdefault((start, end), (toks, []))
            if trig not in entry[1]:
                entry[1].append(trig)
        taken: list[tuple[int, int]] = []
        chosen: list[tuple[int, int, list[int], list[int]]] = []
        longest_first = sorted(by_span.items(), key=lambda kv: (kv[0][0] - kv[0][1], kv[0][0]))
        for (start, end), (toks, trigs) in longest_first:
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            chosen.append((start, end, toks, trigs))
        chosen.sort(key=lambda x: x[0])

        decisions: list[TriggerDecision] = []
        found: list[_Found] = []
        for start, end, toks, trigs in chosen:
            span_toks = [doc[i] for i in toks]
            head = self._head(span_toks)
            c_start = doc[start].idx
            c_end = doc[end - 1].idx + len(doc[end - 1].text)
            text = doc_text(doc)[c_start:c_end]
            result = self._classify(head, span_toks, trigs, ctx)
            if result is None or result[1] is None:
                name = result[0].name if result else self._triggers[trigs[0]].name
                why = result[2] if result else "no case of the trigger applies"
                decisions.append(TriggerDecision(c_start, c_end, text, name, None, "rejected", why))
                continue
            trig, sub, why = result
            assert sub is not None
            reason = self._grievance(head, sub)
            if reason:
                decisions.append(TriggerDecision(c_start, c_end, text, trig.name, sub, "nonevent", reason))
                continue
            reason = _irrealis(head, trig.purpose_ok)
            if reason:
                decisions.append(TriggerDecision(c_start, c_end, text, trig.name, sub, "nonevent", reason))
                continue
            reason = _background(head, ctx)
            if reason:
                decisions.append(TriggerDecision(c_start, c_end, text, trig.name, sub, "background", reason))
                continue
            si = ctx.sent_of[head.i]
            definite = any(c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE for c in head.children)
            score = min(0.95, 0.45 + 0.08 * trig.specificity - (0.15 if trig.generic else 0.0))
            f = _Found(trig, sub, why, c_start, c_end, head, si, definite, score)
            found.append(f)
            decisions.append(TriggerDecision(c_start, c_end, text, trig.name, sub, "event", why))

        found = self._drop_context_protests(found, decisions)
        found = self._drop_yielding(found, decisions)
        clusters, dropped = self._collapse(found, ctx)
        self._violence_over_property(clusters)
        self._escalate(clusters)
        for m in dropped:
            for d in decisions:
                if d.start == m.start and d.status == "event":
                    d.status = "background"
                    d.reason = "a vague word in the body of the article that joins no event"
        kept = {id(c) for c in clusters}
        for c in clusters:
            for m in c.members:
                if id(m) in kept:
                    continue
                for d in decisions:
                    if d.start == m.start and d.status == "event":
                        d.status = "merged"
                        d.reason = f"same event as {doc_text(doc)[c.start:c.end]!r} ({c.sub})"
        for c in clusters:
            first = min(m.sent_idx for m in c.members)
            if first == 0:
                c.score += 0.15
            elif first == 1:
                c.score += 0.05
            c.score += 0.01 * min(3, len(c.members) - 1)
            c.score = round(min(0.99, c.score), 3)
        # The main event first: events of the lead sentence (a headline, or the first sentence) in the
        # order told; then those of the rest of the lead paragraph by score; then the rest by score.
        lead = _lead_sentences(ctx)

        def rank(c: _Found) -> tuple:
            first = min(m.sent_idx for m in c.members)
            if first == 0:
                return (0, 0.0, c.start)
            return (1 if first < lead else 2, -c.score, c.start)

        clusters.sort(key=rank)
        return clusters, decisions, ctx

    def _grievance(self, h: Token, sub: str) -> str | None:
        """Why a violent trigger is what a protest is about, not an event: "protest against the killing
        of a student", "condemned the attack", "to commemorate those killed"."""
        if SUB_TO_EVENT_TYPE[sub] == "Protests" and self._lex.classes.get("protest") is not None and (
            h.lemma_.lower() in self._lex.classes["protest"].words or h.lower_ in self._lex.classes["protest"].words
        ):  # a protest word is what has a grievance, not one
            return None
        grievance = self._lex.classes.get("grievance")
        protest = self._lex.classes.get("protest")
        frames = self._lex.classes.get("claim_frame")
        if frames is not None and h.dep_ == "pobj" and h.head.lower_ == "for" and (
            h.head.head.lemma_.lower() in frames.words
        ):
            return f"a claim of responsibility: '{h.head.head.text} for ...'"
        t = h
        for _ in range(6):
            if t.head.i == t.i:
                return None
            parent = t.head
            lem = parent.lemma_.lower()
            if grievance is not None and t.dep_ in ("dobj", "pobj", "relcl", "acl", "compound", "nsubjpass") and (
                lem in grievance.words
            ):
                return f"a protest's grievance: governed by {parent.text!r}"
            if parent.lower_ in ("against", "over") and parent.dep_ == "prep" and protest is not None:
                up = parent.head
                if up.lemma_.lower() in protest.words or up.lemma_.lower() in ("stage", "hold", "strike", "demand"):
                    return f"a protest's grievance: '{up.text} {parent.text} ...'"
                sent = h.sent
                if parent.lower_ == "against" and any(
                    x.lemma_.lower() in protest.words and x.i != h.i for x in sent
                ):
                    return "a protest's grievance: 'against ...' in a sentence about a protest"
            t = parent
        return None

    def _escalate(self, clusters: list[_Found]) -> None:
        """A protest takes the worst thing told of it: the most severe sub-event type among the
        triggers that joined it (intervention, force, protesters' violence)."""
        if not self._escalation:
            return
        order = {sub: i for i, sub in enumerate(self._escalation)}
        for c in clusters:
            types = {m.event_type for m in c.members}
            if "Protests" not in types or c.event_type not in ("Protests", "Riots"):
                continue
            if c.event_type == "Riots" and not any(m.trigger.name == "protest" for m in c.members):
                continue  # a mob the police dispersed is still a mob: no demonstration was told
            if "Riots" in types:
                c.sub = "Violent demonstration" if "Violent demonstration" in order else c.sub
                continue
            subs = [m.sub for m in c.members if m.sub in order]
            if subs:
                c.sub = min(subs, key=order.__getitem__)

    @staticmethod
    def _violence_over_property(clusters: list[_Found]) -> None:
        """Property burnt or destroyed in an attack belongs to the attack: a cluster told by a destruction
        word takes the type of a violent trigger of its own sentence ("burned the police station and killed
        a policeman" is a fight with the police, not property destruction)."""
        for c in clusters:
            if c.sub != _PROPERTY_SUB:
                continue
            violent = [m for m in c.members if m.sent_idx == c.sent_idx and m.event_type in _VIOLENT_TYPES]
            if violent:
                c.sub, c.why = violent[0].sub, f"{violent[0].why} (property destroyed in the same act)"

    @staticmethod
    def _drop_yielding(found: list[_Found], decisions: list[TriggerDecision]) -> list[_Found]:
        """Triggers that only set the scene (``yields``) give way to any other event of their sentence."""
        out: list[_Found] = []
        for f in found:
            if f.trigger.yields and any(
                g.sent_idx == f.sent_idx and not g.trigger.yields for g in found
            ):
                for d in decisions:
                    if d.start == f.start and d.status == "event":
                        d.status = "merged"
                        d.reason = "the setting of another event of its sentence"
                continue
            out.append(f)
        return out

    @staticmethod
    def _drop_context_protests(found: list[_Found], decisions: list[TriggerDecision]) -> list[_Found]:
        """A protest, or ongoing fighting, named as the setting of another event of its sentence ("amid
        the demonstrations", "following protests", "amid ongoing hostilities") is background when that
        sentence tells another event."""
        out: list[_Found] = []
        aside_ids: set[int] = set()
        for f in found:
            protest = f.event_type == "Protests" or f.trigger.name == "protest"
            ongoing = any(c.lower_ in _ONGOING_WORDS for c in f.head.children)
            # "amid the outbreak of violence", "following unrest": a general state, the setting
            general = f.trigger.generic and f.head.lemma_.lower() in _GENERAL_STATE_WORDS
            aside = (protest or ongoing or general) and _in_context_clause(f.head)
            # a riot told as a protest's background ("rallied following an earlier clash")
            aside = aside or (f.event_type in _CROWD_TYPES and _told_before(f.head))
            if aside:
                aside_ids.add(id(f))
        for f in found:
            # background only when its sentence tells an event that is not itself background
            if id(f) in aside_ids and any(
                g is not f and g.sent_idx == f.sent_idx and g.trigger.name != f.trigger.name
                and id(g) not in aside_ids
                for g in found
            ):
                for d in decisions:
                    if d.start == f.start and d.status == "event":
                        d.status = "background"
                        d.reason = "background: a protest named as the setting of another event"
                continue
            out.append(f)
        return out

    @staticmethod
    def _head(tokens: list[Token]) -> Token:
        ids = {t.i for t in tokens}
        for t in tokens:
            if t.head.i not in ids or t.head.i == t.i:
                return t
        return tokens[-1]

    def _classify(
        self, head: Token, span_toks: list[Token], trig_ids: list[int], ctx: _DocContext
    ) -> tuple[_Trigger, str | None, str] | None:
        """The first trigger (most specific first) whose cases give a sub-event type."""
        last: tuple[_Trigger, str | None, str] | None = None
        for ti in sorted(trig_ids, key=lambda i: -self._triggers[i].specificity):
            trig = self._triggers[ti]
            if trig.pos is not None and head.pos_ not in trig.pos:
                last = (trig, None, f"part of speech {head.pos_} not in {sorted(trig.pos)}")
                continue
            if trig.no_propn and head.pos_ == "PROPN" and head.text[:1].isupper():
                last = (trig, None, "a proper noun, not the trigger word")
                continue
            if head.dep_ in trig.dep_none:
                last = (trig, None, f"dependency {head.dep_!r} excluded")
                continue
            sub, why = self._cases(trig, head, span_toks, ctx)
            if sub is not None:
                return trig, sub, why
            last = (trig, None, why)
        return last

    def _cases(
        self, trig: _Trigger, head: Token, span_toks: list[Token], ctx: _DocContext
    ) -> tuple[str | None, str]:
        """The sub-event type (or None) and why, from the first case whose conditions hold."""
        si = ctx.sent_of[head.i]
        sent = ctx.sents[si]
        cache: dict[str, _View] = {}
        roles = "to_is_agent" if head.lemma_.lower() == "fall" else ""

        def view(kind: str) -> _View:
            v = cache.get(kind)
            if v is not None:
                return v
            if kind == "sentence":
                v = ctx.sent_view(si)
            elif kind == "nearby":
                v = ctx.nearby_view(si)
            elif kind == "before":  # the words of the sentence before the trigger (a fallback for bad parses)
                v = _View(ctx.doc[sent.start:span_toks[0].i], self._lex)
            elif kind == "window":
                lo = max(sent.start, span_toks[0].i - trig.window)
                hi = min(sent.end, span_toks[-1].i + trig.window + 1)
                v = _View(ctx.doc[lo:hi], self._lex)
            elif kind in ("subject", "object"):
                subj, obj = _args(head, roles)
                for k, heads in (("subject", subj), ("object", obj)):
                    toks: list[Token] = []
                    for a in heads:
                        toks.extend(_phrase_tokens(a))
                    cache[k] = _View(toks, self._lex)
                return cache[kind]
            elif kind == "governor":
                v = _View(_governor(head), self._lex)
            else:  # lemma
                v = _View(span_toks, self._lex)
            cache[kind] = v
            return v

        for case in trig.cases:
            ok = True
            for key, terms in case.conditions:
                kind, _, mode = key.rpartition("_")
                if mode == "also":
                    kind, mode = "sentence", "any"
                if kind == "pos":
                    hit = head.pos_.lower() in terms.words
                elif kind == "dep":
                    hit = head.dep_.lower() in terms.words
                else:
                    hit = view(kind).has(terms)
                if (mode == "any" and not hit) or (mode == "none" and hit):
                    ok = False
                    break
            if ok:
                if case.sub is None:
                    return None, case.why or "excluded by a rule"
                return case.sub, case.why or self._describe(case)
        return None, "no case of the trigger applies"

    @staticmethod
    def _describe(case: _Case) -> str:
        if not case.conditions:
            return "trigger word"
        return "context: " + ", ".join(k for k, _ in case.conditions)

    def _collapse(self, found: list[_Found], ctx: _DocContext) -> tuple[list[_Found], list[_Found]]:
        """Group triggers that tell the same event; the most specific, earliest one speaks for it."""
        clusters: list[_Found] = []
        dropped: list[_Found] = []
        new_event_terms = self._lex.classes.get("new_event", _Terms())
        for f in found:
            sent_places = ctx.places(f.sent_idx)
            marks_new = ctx.sent_view(f.sent_idx).has(new_event_terms)
            target: _Found | None = None
            # Same sentence, unless the two triggers sit in clauses that name different places
            # ("missiles struck Kharkiv on Saturday, and a drone hit Sumy on Sunday").
            for c in reversed(clusters):
                if not any(m.sent_idx == f.sent_idx for m in c.members):
                    continue
                if _separate_clauses(f, c, ctx):
                    continue
                if c.sub == f.sub:
                    target = c
                elif c.event_type == f.event_type and f.event_type in _ONE_PER_SENTENCE_TYPES:
                    target = c
                elif _CROWD_SPLIT in (c.event_type, f.event_type) and c.event_type in _CROWD_TYPES and (
                    f.event_type in _CROWD_TYPES
                ) and not any(_told_aside(x.head) for x in (f, *c.members) if x.sent_idx == f.sent_idx):
                    # "demonstrators clashed with police": one protest that turned violent
                    target = c
                elif c.event_type == f.event_type and (f.trigger.generic or c.trigger.generic):
                    target = c
                elif f.trigger.generic and c.event_type in _ABSORBING_TYPES:
                    target = c
                elif c.trigger.generic and f.event_type in _ABSORBING_TYPES and all(
                    m.trigger.generic for m in c.members
                ):
                    target = c
                if target is not None:
                    break
            # Earlier sentences: the same event told again.
            if target is None and not marks_new:
                for c in reversed(clusters):
                    gap = f.sent_idx - max(m.sent_idx for m in c.members)
                    places = frozenset().union(*(ctx.places(m.sent_idx) for m in c.members))
                    new_place = bool(sent_places) and bool(places) and not (sent_places & places)
                    family = _FAMILY.get(c.event_type) == _FAMILY.get(f.event_type)
                    same_word = f.definite and any(m.head.lemma_ == f.head.lemma_ for m in c.members)
                    if same_word and family:  # "the raid" after "... in a raid on a settlement"
                        target = c
                    elif f.trigger.generic and c.event_type in _ABSORBING_TYPES and (
                        f.definite or (not new_place and gap <= 2)
                    ):
                        target = c
                    elif c.sub == f.sub and (f.definite or gap <= 2 or not new_place):
                        target = c
                    elif family and f.definite and gap <= 6:
                        target = c
                    elif c.event_type == "Protests" and f.event_type in _CROWD_TYPES and 1 <= gap <= 2 and (
                        not new_place and f.sub != "Peaceful protest" and not _told_aside(f.head)
                    ):  # "Members staged a protest. Police forces blocked the rally." / "Rioters burned ...":
                        # one protest, and what happened to it or what its people did
                        target = c
                    elif (
                        all(m.trigger.generic for m in c.members)
                        and c.event_type in _ABSORBING_TYPES
                        and f.event_type in _ABSORBING_TYPES
                        and gap <= 2
                        and not new_place
                    ):  # "Five people were killed in Idlib. ... warplanes struck the market"
                        target = c
                    if target is not None:
                        break
            vague_in_body = f.trigger.generic and f.sent_idx >= _BODY_SENTENCE and not marks_new
            if target is None and vague_in_body and clusters:
                dropped.append(f)  # "it had struck facilities": a vague word deep in the story
                continue
            if target is None:
                f.members = [f]
                clusters.append(f)
                continue
            # Merge: the more specific (then earlier) trigger speaks for the event.
            more_specific = (f.trigger.specificity, -f.start) > (target.trigger.specificity, -target.start)
            if more_specific and not f.trigger.generic:
                f.members = target.members + [f]
                target.members = []
                f.score = max(f.score, target.score)
                clusters[clusters.index(target)] = f
            else:
                target.members.append(f)
        return clusters, dropped

    @staticmethod
    def _to_candidate(c: _Found, doc: Doc, sent: Span) -> EventCandidate:
        others = [m for m in c.members if m is not c]
        reason = f"{c.trigger.name} {doc_text(doc)[c.start:c.end]!r}: {c.why}"
        if others:
            reason += "; also " + ", ".join(repr(doc_text(doc)[m.start:m.end]) for m in others[:6])
        return EventCandidate(
            event_type=c.event_type,
            sub_event_type=c.sub,
            trigger_start=c.start,
            trigger_end=c.end,
            sentence_start=sent.start_char,
            sentence_end=sent.end_char,
            score=c.score,
            reason=reason,
        )
