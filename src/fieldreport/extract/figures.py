"""How many: the casualty grammar, casualty figures in a Doc, their summary, and materiel.

Three layers, each usable alone:

* :func:`parse_quantity` is a pure parser of one quantity expression ("more than 200",
  "two or three", "dozens") into a :class:`Quantity` (low, best, high, conservative, qualifier).
* :func:`find_quantities` scans plain text for every quantity expression, with offsets.
* :func:`find_casualties` and :func:`find_materiel` read a parsed spaCy ``Doc`` and return
  :class:`~fieldreport.schema.records.Casualties` / :class:`~fieldreport.schema.records.Materiel` findings whose
  ``start``/``end`` are offsets into ``doc_text(doc)``.

:func:`summarise_fatalities` turns several killed figures of one article into ACLED's single
conservative number plus UCDP's low/best/high range. The rules live in ``data/figures/casualties.yaml`` and
``data/figures/materiel.yaml``; every rule is documented there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc, Span, Token

from fieldreport.data import load_yaml
from fieldreport.schema.records import Casualties, Materiel
from fieldreport.text.lexicon import SPEECH_LEMMAS
from fieldreport.text.spans import doc_text, sentences

__all__ = [
    "Quantity",
    "parse_quantity",
    "find_quantities",
    "find_casualties",
    "summarise_fatalities",
    "find_materiel",
    "event_clause",
    "CodingStatement",
    "coding_statement",
    "coded_fatalities",
    "told_as_grievance",
    "dated_apart",
]

Victims = Literal["combatants", "civilians", "unknown"]


class Quantity(BaseModel):
    """A parsed amount. ``conservative`` is the figure ACLED would count; it never exceeds ``best``."""

    model_config = ConfigDict(frozen=True)

    low: int
    best: int
    high: int
    conservative: int
    qualifier: str | None = None  # "more than", "dozens", "several", "between", ...
    vague: bool = False  # a word amount such as "dozens"
    unspecified: bool = False  # a word that gives no number ("several"), coded by the one rule


# ----------------------------------------------------------------------------------------------
# Configuration


@dataclass(frozen=True)
class _Config:
    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    exact: dict[tuple[str, ...], int]
    qualifiers: dict[tuple[str, ...], str]
    vague: dict[tuple[str, ...], tuple[int, int, int]]  # words -> (low, value, high)
    unspec_words: frozenset[tuple[str, ...]]
    unspec_figure: int
    unspec_low: int
    bare_plural: bool
    bare_plural_figure: int
    casualties_high: int
    lemma_kinds: dict[str, str]
    phrases: dict[str, str]
    noun_kinds: dict[str, str]
    forms: dict[str, str]
    irrealis: frozenset[str]
    toll_nouns: frozenset[str]
    combatants: frozenset[str]
    civilians: frozenset[str]
    part_markers: tuple[str, ...]
    died_of_wounds: frozenset[str]
    animals: frozenset[str]


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.lower().split())


@lru_cache(maxsize=1)
def _config() -> _Config:
    raw: dict[str, Any] = load_yaml("figures/casualties.yaml")
    unspec = raw["unspecified"]
    vague: dict[tuple[str, ...], tuple[int, int, int]] = {}
    for word, spec in raw["vague"].items():
        value = int(spec["value"])
        vague[_words(word)] = (int(spec.get("low", value)), value, int(spec.get("high", value)))
    figure = int(unspec["figure"])
    return _Config(
        units={k: int(v) for k, v in raw["units"].items()},
        tens={k: int(v) for k, v in raw["tens"].items()},
        scales={k: int(v) for k, v in raw["scales"].items()},
        exact={_words(k): int(v) for k, v in raw["exact_words"].items()},
        qualifiers={_words(k): str(v) for k, v in raw["qualifiers"].items()},
        vague=vague,
        unspec_words=frozenset(_words(w) for w in unspec["words"]),
        unspec_figure=figure,
        unspec_low=min(int(unspec["low"]), figure),
        bare_plural=bool(unspec.get("bare_plural", True)),
        bare_plural_figure=int(unspec.get("bare_plural_figure", figure)),
        casualties_high=int(unspec.get("casualties_high", figure)),
        lemma_kinds={str(k).lower(): str(v) for k, v in raw["casualty_lemmas"].items()},
        phrases={str(k).lower(): str(v) for k, v in raw["casualty_phrases"].items()},
        noun_kinds={str(k).lower(): str(v) for k, v in raw["casualty_nouns"].items()},
        forms={str(k).lower(): str(v) for k, v in raw.get("casualty_forms", {}).items()},
        irrealis=frozenset(str(w).lower() for w in raw.get("irrealis_heads", [])),
        toll_nouns=frozenset(str(w).lower() for w in raw["toll_nouns"]),
        combatants=frozenset(str(w).lower() for w in raw["victims"]["combatants"]),
        civilians=frozenset(str(w).lower() for w in raw["victims"]["civilians"]),
        part_markers=tuple(sorted((str(w).lower() for w in raw["part_markers"]), key=len, reverse=True)),
        died_of_wounds=frozenset(str(w).lower() for w in raw.get("died_of_wounds", [])),
        animals=frozenset(str(w).lower() for w in raw.get("animals", [])),
    )


# ----------------------------------------------------------------------------------------------
# parse_quantity: one expression -> Quantity

_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+|[-\u2013\u2014]")
_DIGITS_RE = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)$")
_DECIMAL_RE = re.compile(r"^\d+\.\d+$")
_RANGE_SEPARATORS = ("-", "to", "or")


_QUOTES = "'\"\u2018\u2019\u201c\u201d"
_GAP_RE = re.compile(rf"\s*[{_QUOTES}]?\s*")


def _tokens(text: str) -> list[str] | None:
    low = text.lower().replace("\u2013", "-").replace("\u2014", "-")
    for q in _QUOTES:
        low = low.replace(q, " ")
    toks = _TOKEN_RE.findall(low)
    rest = _TOKEN_RE.sub(" ", low)
    if rest.strip():
        return None
    return toks


def _cardinal(toks: Sequence[str]) -> int | None:
    """Digits ("1,200", "3 million", "1.5 million") or English number words ("two hundred and five")."""
    cfg = _config()
    if not toks:
        return None
    if len(toks) == 1 and _DIGITS_RE.match(toks[0]):
        return int(toks[0].replace(",", ""))
    if len(toks) == 2 and toks[1] in cfg.scales and toks[1] != "hundred" or (
        len(toks) == 2 and toks[1] == "hundred" and toks[0].isdigit()
    ):
        head = toks[0]
        if _DIGITS_RE.match(head):
            return int(head.replace(",", "")) * cfg.scales[toks[1]]
        if _DECIMAL_RE.match(head):
            return int(round(float(head) * cfg.scales[toks[1]]))
    words = list(toks)
    if words[0] in ("a", "an") and len(words) > 1 and words[1] in cfg.scales:
        words[0] = "one"
    total = 0
    current = 0
    last: str | None = None  # class of the previous token: unit, tens, hyphen, and, hundred, scale
    for tok in words:
        if tok in cfg.units:
            if last in ("unit", "tens_unit"):
                return None
            if last == "hyphen" or (last == "tens" and cfg.units[tok] < 10):
                if last == "hyphen" and (current % 100) % 10 != 0:
                    return None
                if cfg.units[tok] >= 10:
                    return None
                current += cfg.units[tok]
                last = "tens_unit"
            else:
                if last == "tens":
                    return None
                if current % 100 != 0 and last not in ("hundred", "and"):
                    return None
                current += cfg.units[tok]
                last = "unit"
        elif tok in cfg.tens:
            if last in ("unit", "tens", "tens_unit", "hyphen"):
                return None
            current += cfg.tens[tok]
            last = "tens"
        elif tok == "-":
            if last != "tens":
                return None
            last = "hyphen"
        elif tok == "and":
            if last not in ("hundred", "scale"):
                return None
            last = "and"
        elif tok == "hundred":
            if last not in ("unit", "tens", "tens_unit") or current >= 100:
                return None
            current *= 100
            last = "hundred"
        elif tok in cfg.scales:
            if last in (None, "and", "hyphen", "scale"):
                return None
            scale = cfg.scales[tok]
            if total and total < scale * 1000 and total % (scale * 1000) != 0 and total < scale:
                return None
            total += current * scale
            current = 0
            last = "scale"
        else:
            return None
    if last in ("and", "hyphen", None):
        return None
    return total + current


def _amount(toks: Sequence[str]) -> Quantity | None:
    """One amount with no qualifier: a number, an exact word, a vague word or a no-number word."""
    cfg = _config()
    key = tuple(toks)
    if key in cfg.exact:
        n = cfg.exact[key]
        return Quantity(low=n, best=n, high=n, conservative=n)
    if key in cfg.vague:
        low, value, high = cfg.vague[key]
        return Quantity(low=low, best=value, high=max(high, value), conservative=value, qualifier=" ".join(key), vague=True)
    if key in cfg.unspec_words:
        f = cfg.unspec_figure
        return Quantity(low=cfg.unspec_low, best=f, high=f, conservative=f, qualifier=" ".join(key), unspecified=True)
    n = _cardinal(toks)
    if n is None:
        return None
    return Quantity(low=n, best=n, high=n, conservative=n)


def _range(a: Quantity, b: Quantity, qualifier: str) -> Quantity | None:
    if a.unspecified or b.unspecified or a.best >= b.best:
        return None
    return Quantity(
        low=a.low,
        best=(a.best + b.best) // 2,
        high=b.high,
        conservative=a.conservative,
        qualifier=qualifier,
        vague=a.vague or b.vague,
    )


def _core(toks: list[str]) -> Quantity | None:
    """An amount or a range of two amounts."""
    if not toks:
        return None
    for opener, separator, label in (("between", "and", "between"), ("from", "to", "from ... to")):
        if toks[0] != opener:
            continue
        for i, tok in enumerate(toks):
            if tok == separator and 1 < i < len(toks) - 1:
                a, b = _amount(toks[1:i]), _amount(toks[i + 1 :])
                if a and b:
                    return _range(a, b, label)
        return None
    single = _amount(toks)
    if single is not None:
        return single
    for i, tok in enumerate(toks):
        if tok in _RANGE_SEPARATORS and 0 < i < len(toks) - 1:
            a, b = _amount(toks[:i]), _amount(toks[i + 1 :])
            if a and b:
                return _range(a, b, "or" if tok == "or" else "to")
    return None


@lru_cache(maxsize=1 << 16)  # a pure function of the words (Quantity is frozen); amounts recur
def parse_quantity(text: str) -> Quantity | None:
    """Parse one quantity expression, the whole of ``text``; None when it is not one.

    >>> parse_quantity("more than 200").conservative
    200
    >>> q = parse_quantity("between 10 and 15"); (q.low, q.best, q.high, q.conservative)
    (10, 12, 15, 10)
    """
    toks = _tokens(text)
    if not toks:
        return None
    if toks[-1] == "of" and len(toks) > 1 and tuple(toks) not in _config().unspec_words:
        # "dozens of", "a couple of" are listed with "of"; others drop it
        if tuple(toks) not in _config().exact and tuple(toks) not in _config().vague:
            toks = toks[:-1]
    if len(toks) > 2 and toks[-2:] == ["or", "so"]:
        toks = toks[:-2]
        inner = _core(toks)
        return inner.model_copy(update={"qualifier": inner.qualifier or "or so"}) if inner else None
    cfg = _config()
    for size in (3, 2, 1):
        head = tuple(toks[:size])
        if len(toks) > size and head in cfg.qualifiers:
            inner = _core(toks[size:])
            if inner is None or inner.unspecified:
                return None
            words = " ".join(head)
            qual = words if inner.qualifier is None else f"{words} {inner.qualifier}"
            return inner.model_copy(update={"qualifier": qual})
    return _core(toks)


# ----------------------------------------------------------------------------------------------
# find_quantities: every quantity expression in a text

_SCAN_RE = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+|[-\u2013\u2014]")
_MAX_WORDS = 9


@lru_cache(maxsize=1)
def _core_words() -> frozenset[str]:
    """Words that make a quantity (number words, vague amounts), not the glue around them."""
    cfg = _config()
    words = set(cfg.units) | set(cfg.tens) | set(cfg.scales)
    for phrase in [*cfg.exact, *cfg.vague, *cfg.unspec_words]:
        words.update(phrase)
    return frozenset(w for w in words if w not in ("a", "an", "of", "the", "half", "to", "or", "and"))


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, Quantity]]:
    """Every quantity expression in ``text[start:end]`` as ``(start, end, Quantity)``, longest first match.

    Numbers glued to letters ("5th", "T-72", "MH17"), money, percentages, clock times and years
    written as four digits are left out: they are not counts of people or things.
    """
    end = len(text) if end is None else end
    toks = [(m.start(), m.end()) for m in _SCAN_RE.finditer(text, start, end)]
    # A quantity holds a digit or a number word: windows without one are never parsed.
    core = _core_words()
    next_core = [len(toks)] * (len(toks) + 1)
    for k in range(len(toks) - 1, -1, -1):
        w = text[toks[k][0] : toks[k][1]]
        next_core[k] = k if (w[0].isdigit() or w.lower() in core) else next_core[k + 1]
    # tokens must be separated by spaces only (no punctuation, no comma; a quote mark may be): the first
    # gap from each token on that is not, tested once per text rather than once per candidate span
    bad_gap = [len(toks)] * (len(toks) + 1)
    for k in range(len(toks) - 2, -1, -1):
        ok = _GAP_RE.fullmatch(text[toks[k][1] : toks[k + 1][0]]) is not None
        bad_gap[k] = bad_gap[k + 1] if ok else k
    out: list[tuple[int, int, Quantity]] = []
    i = 0
    while i < len(toks):
        s0 = toks[i][0]
        first = text[s0 : toks[i][1]]
        j_end = min(len(toks), i + _MAX_WORDS)
        if next_core[i] >= j_end:
            i += 1
            continue
        if first in "-\u2013\u2014" or first.lower() in ("and", "or", "to", "of"):
            i += 1
            continue
        best: tuple[int, Quantity] | None = None
        for j in range(j_end, next_core[i], -1):
            # tokens must be separated by spaces/hyphens only (no sentence punctuation inside)
            if bad_gap[i] < j - 1:  # (a coder's quotes around a qualifier, "killed 'more than' 20", are no punctuation)
                continue
            piece = text[s0 : toks[j - 1][1]]
            q = parse_quantity(piece)
            if q is not None and _plausible(text, s0, toks[j - 1][1], piece):
                best = (j, q)
                break
        if best is None:
            i += 1
            continue
        j, q = best
        if j - 1 > i and text[toks[j - 1][0] : toks[j - 1][1]].lower() == "of":
            j -= 1  # "dozens of people": the span ends at the amount, "of" belongs to the noun
        out.append((s0, toks[j - 1][1], q))
        i = j
    return out


# Month names as news writes them, capitalised (so that "40 may have died" stays a count).
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
_MONTH_BEFORE = re.compile(_MONTHS + r"[a-zA-Z]*\.?\s+$")
_MONTH_AFTER = re.compile(r"^(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"[a-zA-Z]*\b")


_WIRE_SLUG_RE = re.compile(r"\b(?:UPDATE|REFILE|CORRECTED|WRAPUP|RPT)\s*$")


def _plausible(text: str, start: int, end: int, piece: str) -> bool:
    tail = re.search(r"(?:^|\s)(\d{1,2})$", piece)
    if tail and (
        _MONTH_BEFORE.search(text[max(0, start - 12) : start]) or _MONTH_AFTER.match(text[end : end + 16])
    ):
        return False  # a day of the month ("January 31", "5 May"), not a count
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    if before and (before.isalnum() or before in "$£€#-/:."):
        word = text[max(0, start - 6) : start - 1]
        glued_sentence = before == "." and len(word) == 5 and word.isalpha() and word.islower() and piece[:1].isdigit()
        # "...the demonstrators.4 persons were killed": a sentence written without its space (a word of
        # five letters or more before the stop, so not "No.5" or "fig.3")
        after_slug = before == "-" and _WIRE_SLUG_RE.search(re.sub(r"\s*\d+\s*-$", "", text[max(0, start - 16) : start]))
        if not (before == "-" and not text[max(0, start - 2) : start - 1].isalnum()) and not glued_sentence and not after_slug:
            return False  # ("UPDATE 2-Four killed": the count after a wire's update number stands)
    if after and (after.isalnum() or after in "%/"):
        return False
    if after == ":" and text[end + 1 : end + 2].isdigit():
        return False  # a clock time
    if after == "-" and text[end + 1 : end + 2].isalpha():
        # "25-year-old", "3-day": a modifier, not a count of victims
        return False
    if after in ".," and text[end + 1 : end + 2].isdigit():
        return False
    if re.fullmatch(r"(1[89]|20)\d\d", piece):
        return False
    if _WIRE_SLUG_RE.search(text[max(0, start - 12) : start]):
        return False  # "UPDATE 2-Four die ...": a wire's update number, not a count
    low = piece.lower()
    if low in ("a", "an") or low.endswith(" a") or low.endswith(" an"):
        return False
    rest = text[end : end + 12].lower()
    if re.match(r"\s*(per ?cent|percent|km|kilomet|miles?\b|metres|meters|years?\b|hours?\b|minutes?\b|days?\b|weeks?\b|months?\b|am\b|pm\b|a\.m|p\.m|o'clock)", rest):
        return False
    return True


# ----------------------------------------------------------------------------------------------
# find_casualties


def _victims_of(token: Token) -> Victims:
    """Combatants / civilians / unknown from a victim noun and its modifiers."""
    cfg = _config()
    words = [token] + [c for c in token.children if c.dep_ in ("compound", "amod", "nmod", "appos")]
    for pobj in _of_objects(token):
        words.append(pobj)
        words.extend(c for c in pobj.children if c.dep_ in ("compound", "amod"))
    for w in words:
        lemma = w.lemma_.lower()
        text = w.text.lower()
        if lemma in cfg.combatants or text in cfg.combatants:
            return "combatants"
        if lemma in cfg.civilians or text in cfg.civilians:
            return "civilians"
    return "unknown"


def _of_objects(token: Token) -> list[Token]:
    return [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]


@lru_cache(maxsize=1)
def _casualty_phrases() -> dict[str, tuple[tuple[str, str], ...]]:
    """``casualty_phrases`` by their first two characters (a phrase starts the text only where they do)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for phrase, kind in _config().phrases.items():
        out.setdefault(phrase[:2], []).append((phrase, kind))
    return {k: tuple(v) for k, v in out.items()}


def _phrase_kind(doc: Doc, token: Token) -> tuple[str, int] | None:
    """A multi-word casualty phrase starting at ``token``: (kind, end char)."""
    tail = doc_text(doc)[token.idx : token.idx + 40].lower()
    for phrase, kind in _casualty_phrases().get(tail[:2], ()):
        if tail.startswith(phrase) and (len(tail) == len(phrase) or not tail[len(phrase)].isalnum()):
            return kind, token.idx + len(phrase)
    return None


def _verb_kind(doc: Doc, verb: Token) -> tuple[str, Token] | None:
    """The casualty kind a verb (or its complement) names: "were killed", "found dead", "went missing"."""
    cfg = _config()
    phrase = _phrase_kind(doc, verb)
    if phrase:
        return phrase[0], verb
    lemma = verb.lemma_.lower().rstrip("-\u2013")
    form = verb.lower_.strip("-\u2013,;:")
    if _irrealis(verb):
        return None
    if (lemma in cfg.lemma_kinds or form in cfg.forms) and verb.pos_ in ("VERB", "ADJ", "AUX", "NUM", "PROPN", "NOUN") and (
        verb.pos_ in ("VERB", "ADJ", "AUX") or form in cfg.forms
    ) or verb.lower_ in ("dead", "missing", "wounded", "injured"):
        kind = cfg.lemma_kinds.get(lemma) or cfg.lemma_kinds.get(verb.lower_) or cfg.forms.get(form)
        if kind:
            # "killing or wounding 50": this verb is the second of an "or" pair
            # ("kill and injure 6": one figure for both, dead and wounded not told apart)
            head = verb.head
            if verb.dep_ == "conj" and any(cc.lower_ in ("or", "and") for cc in head.children if cc.dep_ == "cc"):
                other = cfg.lemma_kinds.get(head.lemma_.lower())
                if other and {kind, other} == {"killed", "injured"} and not (_own_object(verb) and _own_object(head)):
                    return "killed_or_injured", verb
            # "was wounded and later died": the same victims died of their wounds
            for c in verb.children:
                if (
                    kind == "injured" and c.dep_ == "conj" and c.lemma_.lower() in cfg.died_of_wounds
                    and not _own_object(c) and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                ):
                    return "killed", c
            # "killed or wounded"
            for c in verb.children:
                if c.dep_ == "conj" and c.lemma_.lower() in cfg.lemma_kinds and any(
                    cc.lower_ in ("or", "and") for cc in verb.children if cc.dep_ == "cc"
                ) and not (_own_object(verb) and _own_object(c)):
                    other = cfg.lemma_kinds[c.lemma_.lower()]
                    if {kind, other} == {"killed", "injured"}:
                        return "killed_or_injured", c
            return kind, verb
    if verb.pos_ == "VERB" and any(
        c.dep_ == "prep" and c.lower_ == "to" and any(g.lemma_.lower() == "death" for g in c.children) for c in verb.children
    ):
        return "killed", verb  # "beat a man to death", "was stabbed to death"
    for c in verb.children:
        if c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            continue  # "claimed to have killed one soldier": that verb has its own victims (not the claimant)
        if c.dep_ in ("acomp", "oprd", "xcomp", "attr") and (
            c.lemma_.lower() in cfg.lemma_kinds or c.lower_ in ("dead", "missing")
        ):
            kind = cfg.lemma_kinds.get(c.lemma_.lower()) or cfg.lemma_kinds.get(c.lower_)
            if kind:
                return kind, c
    return None


def _own_object(verb: Token) -> bool:
    """The verb has an argument of its own ("killing two and wounding five": both have one, so the
    figures are separate; "killing or wounding 50": only one has, so the figure is shared)."""
    passive = _is_passive_like(verb)
    amounts = _core_words()
    return any(
        c.dep_ in ("dobj", "nsubjpass", "npadvmod", "attr", "oprd") or c.pos_ == "NUM" or (c.dep_ == "nsubj" and passive)
        or (c.dep_ == "nsubj" and verb.dep_ == "conj")  # "..., and others wounded": its own victims
        or (c.i < verb.i and c.dep_ == "prep" and any(g.like_num for g in c.subtree))  # "and over 100 were injured"
        or (c.dep_ in ("amod", "nsubj", "advmod") and c.lower_ in amounts)  # "and several wounded"
        for c in verb.children
    )


def _irrealis(verb: Token) -> bool:
    """"an attempt to assassinate", "threatened to kill", "no one was hurt": not a casualty."""
    cfg = _config()
    t = verb
    for _ in range(2):
        if t.dep_ in ("xcomp", "acl") and t.head.lemma_.lower() in cfg.irrealis:
            return True
        if t.head == t:
            break
        t = t.head
    if any(c.dep_ == "mark" and c.lower_ in ("whether", "if", "unless", "lest") for c in verb.children):
        return True  # "not clear whether a third man had died"
    if verb.dep_ == "conj" and any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in verb.head.children):
        return True
    return any(c.dep_ == "neg" for c in verb.children)


def _is_passive_like(verb: Token) -> bool:
    """The victim is the subject: passive, intransitive ("died"), adjective ("dead"), or a headline's
    bare participle with a subject and no object ("Soldier killed in ...")."""
    cfg = _config()
    phrase = _phrase_kind(verb.doc, verb)
    phrase_end = phrase[1] if phrase else -1  # "lost their lives": the object is inside the phrase
    has_object = any(c.dep_ == "dobj" and c.idx >= phrase_end for c in verb.children) or any(
        c.dep_ == "conj" and c.pos_ == "VERB" and verb.i + 2 <= c.i <= verb.i + 3 and any(g.dep_ == "dobj" for g in c.children)
        and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
        for c in verb.children
    )  # "shot and killed a farmer": the pair shares the object
    if verb.lemma_.lower() in ("die", "dead", "missing", "miss", "flee", "perish", "disappear"):
        return True
    if phrase is not None and any(c.dep_ == "dobj" and c.lower_ in ("himself", "herself", "themselves") for c in verb.children):
        return True  # "the bomber blew himself up": the subject died (ACLED counts the attacker)
    if phrase is not None and not has_object:
        return True  # "nine fighters lost their lives", "one person sustained injuries"
    if has_object and not any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return False  # "gunmen killed between 4 and 9 people" (parsed as a reduced relative): active
    if (
        verb.lemma_.lower() in cfg.lemma_kinds
        and verb.tag_ == "VBD"
        and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr") for c in verb.children)
        and not any(
            c.dep_ == "conj" and c.lemma_.lower() in cfg.lemma_kinds and any(g.dep_ == "dobj" for g in c.children)
            for c in verb.children
        )
    ):
        for c in verb.children:
            if c.dep_ == "nsubj" and (
                c.pos_ == "NUM"
                or any(g.dep_ == "nummod" for g in c.children)
                or c.lemma_.lower() in cfg.combatants
                or c.lemma_.lower() in cfg.civilians
                or c.lemma_.lower() in ("people", "person")
            ):
                return True
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    if verb.lemma_.lower() in ("die", "dead", "missing", "miss", "flee", "perish", "disappear"):
        return True
    if verb.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
        return True
    return verb.pos_ == "ADJ"


@dataclass
class _Fig:
    kind: str
    q: Quantity
    victims: Victims
    start: int
    end: int
    part_marker: bool
    noun_i: int | None  # token index of the victim noun, for dedup
    group: str | None = None  # set for coordinated victims: each conjunct is a group of its own


def _quantity_head(doc: Doc, span: Span) -> Token:
    """The token of a quantity span that attaches it to the sentence."""
    for t in span:
        if t.head.i < span.start or t.head.i >= span.end or t.head == t:
            return t
    return span[-1]


def _noun_of(anchor: Token) -> Token:
    """The noun a number counts: "12 people" -> people; "dozens of people" -> dozens (with its of-object)."""
    t = anchor
    for _ in range(3):
        head = t.head
        between = t.doc[min(t.i, head.i) + 1 : max(t.i, head.i)]
        if (
            t.dep_ in ("nummod", "quantmod", "amod", "compound", "advmod", "npadvmod")
            and head.pos_ in ("NOUN", "PROPN", "ADJ", "PRON")
            and abs(head.i - t.i) <= 5
            and not any(
                (b.pos_ in ("VERB", "AUX") and b.dep_ not in ("amod", "compound")) or (b.is_punct and b.tag_ != "HYPH")
                for b in between
            )  # "six suspected militants": a participle before the noun modifies it
        ):
            t = head
        else:
            break
    return t


def _role_verb(doc: Doc, noun: Token) -> Token | None:
    """The verb a victim noun is an argument of, climbing through conjunctions and ``including``."""
    t = noun
    for _ in range(4):
        if t.dep_ == "conj":
            t = t.head
            continue
        if t.dep_ in ("appos",):
            t = t.head
            continue
        break
    if t.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd", "pobj", "npadvmod", "ROOT", "dep", "conj"):
        head = t.head
        if t.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
            if head.lower_ in ("including", "among"):
                return head.head
            return None
        return head
    return None


def _toll_figure(doc: Doc, anchor: Token) -> bool:
    """"the death toll rose to 15", "a toll of 15", "the toll stands at 30"."""
    cfg = _config()
    t = anchor
    for _ in range(4):
        if t.head == t:
            break
        t = t.head
        if t.lemma_.lower() in cfg.toll_nouns:
            return True
        if t.pos_ in ("VERB", "AUX"):
            return any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in cfg.toll_nouns for c in t.children)
    return False


def _noun_kind(noun: Token) -> str | None:
    cfg = _config()
    return cfg.noun_kinds.get(noun.lemma_.lower()) or cfg.noun_kinds.get(noun.lower_)


def _linear_kind(doc: Doc, span: Span, sent: Span) -> tuple[str, int] | None:
    """Fallback when the parse is no help: "12 killed", "two dead", "killing 3" next to the number."""
    cfg = _config()
    after = [t for t in doc[span.end : min(sent.end, span.end + 4)]]
    for t in after:
        if t.is_punct and t.text not in ("-",):
            break
        k = _phrase_kind(doc, t)
        if k:
            return k[0], k[1]
        kind = cfg.lemma_kinds.get(t.lemma_.lower()) or cfg.lemma_kinds.get(t.lower_)
        if kind and t.tag_ in ("VBN", "VBD", "JJ"):
            return kind, t.idx + len(t.text)
        form = cfg.forms.get(t.lower_.strip("-–,;:"))
        if form:
            return form, t.idx + len(t.text.rstrip("-–,;:"))
        if t.pos_ in ("VERB",) and t.lemma_ not in ("be", "have"):
            break
    before = [t for t in doc[max(sent.start, span.start - 2) : span.start]]
    for t in reversed(before):
        kind = cfg.lemma_kinds.get(t.lemma_.lower())
        if kind and t.tag_ in ("VBG", "VBD", "VBZ"):
            return kind, t.idx
        form = cfg.forms.get(t.lower_) if t.pos_ in ("PROPN", "NOUN", "VERB") else None
        if form and t.lower_ not in ("dead", "missing", "die"):
            return form, t.idx  # "Shelling Kills Two": a headline's verb the parser took for a name
    return None


def _part_marker_before(doc: Doc, start: int, sent: Span) -> bool:
    window = doc_text(doc)[max(sent.start_char, start - 30) : start].lower().rstrip(" ,:")
    return any(window.endswith(m) for m in _config().part_markers)


_OF_THE_RE = re.compile(r"\s+of\s+(?:the|them|those|these|whom|its|their)\b", re.IGNORECASE)


def _part_marker_after(doc: Doc, end: int) -> bool:
    """"three of the wounded", "many of the dead", "two of them": a part of a figure given before."""
    return _OF_THE_RE.match(doc_text(doc), end) is not None


@dataclass(frozen=True)
class _Background:
    cause: tuple[tuple[str, ...], ...]
    grievance_heads: frozenset[str]
    grievance_preps: frozenset[str]
    conflict_nouns: frozenset[str]
    history: tuple[str, ...]
    since_openers: frozenset[str]
    past_perfect: bool
    cause_heads: dict[str, frozenset[str]]
    accident: frozenset[str]
    ago: re.Pattern[str]


@lru_cache(maxsize=1)
def _background_cfg() -> _Background:
    raw = load_yaml("figures/casualties.yaml").get("background", {})
    low = lambda key: [str(w).lower() for w in raw.get(key, [])]  # noqa: E731
    return _Background(
        cause=tuple(sorted({_words(w) for w in low("cause_markers")}, key=len, reverse=True)),
        grievance_heads=frozenset(low("grievance_heads")),
        grievance_preps=frozenset(low("grievance_preps")),
        conflict_nouns=frozenset(low("conflict_nouns")),
        history=tuple(low("history_words")),
        since_openers=frozenset(low("since_openers")),
        past_perfect=bool(raw.get("past_perfect", True)),
        cause_heads={str(k).lower(): frozenset(str(p).lower() for p in (v or [])) for k, v in raw.get("cause_heads", {}).items()},
        accident=frozenset(str(w).lower() for w in raw.get("accident_words", [])),
        ago=re.compile(
            r"\b(?:\d+|a|an|several|many|few|some|[a-z]+)\s+(?:%s)\s+ago\b" % "|".join(low("ago_units") or ["years"]),
            re.IGNORECASE,
        ),
    )


@lru_cache(maxsize=1)
def _cause_markers() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The cause markers by first word, each word's in the order of ``_background_cfg().cause``."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in _background_cfg().cause:
        if phrase:
            out.setdefault(phrase[0], []).append(phrase)
    return {w: tuple(ps) for w, ps in out.items()}


def _background_ranges(doc: Doc, sent: Span) -> list[tuple[int, int]]:
    """Character ranges of the sentence that tell a cause, a grievance or a history (see
    ``background`` in data/figures/casualties.yaml): figures inside them are not the event's."""
    cfg = _background_cfg()
    ranges: list[tuple[int, int]] = []
    toks = list(sent)
    lowers = [t.lower_ for t in toks]
    for k, tok in enumerate(toks):
        for phrase in _cause_markers().get(lowers[k], ()):
            n = len(phrase)
            if tuple(lowers[k : k + n]) != phrase:
                continue
            last = toks[k + n - 1]
            # the marker introduces the clause or phrase it heads, or the clause its head heads
            head = last.head if last.dep_ in ("mark", "advmod") and last.head.i > last.i else last
            end = _end_char(head.subtree)
            if head is not last and head.dep_ == "ROOT" and k > 0 and toks[k - 1].text == "," and head.i > last.i:
                # "Workers clashed with police, after a guard was found dead": the parser made the marked
                # clause the root; after a main clause and a comma it runs to the sentence's end
                nxt = next((t for t in doc[last.i + 1 : sent.end] if t.text == ";"), None)
                end = nxt.idx if nxt is not None else sent.end_char
            elif head is not last and head.dep_ == "ROOT":
                # "After the blast five were taken to hospital": a parse that makes the marked clause
                # the sentence's root; the cause is only the noun phrase after the marker
                k2 = last.i + 1
                while k2 < sent.end and doc[k2].pos_ in ("DET", "ADJ", "NOUN", "PROPN") :
                    k2 += 1
                end = doc[k2 - 1].idx + len(doc[k2 - 1].text) if k2 > last.i + 1 else last.idx + len(last.text)
            elif head is last and not list(last.children) and last.i + 1 < sent.end:
                # the parser left the marker without its clause: it runs to the next comma or the end
                nxt = next((t for t in doc[last.i + 1 : sent.end] if t.text in (",", ";", ":")), None)
                end = nxt.idx if nxt is not None else sent.end_char
            if head is not last and head.dep_ == "advcl":
                # "demanded ... after a bridge collapsed and a child died": a clause with its own
                # subject coordinated right after the cause belongs to the cause
                for c in head.head.children:
                    if c.dep_ == "conj" and c.i > head.i and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
                        gap = doc[head.right_edge.i + 1 : c.left_edge.i]
                        if all(g.dep_ == "cc" or g.is_punct for g in gap):
                            end = max(end, _end_char(c.subtree))
            ranges.append((tok.idx, end))
            break
        lemma = tok.lemma_.lower()
        if lemma in cfg.cause_heads:
            for c in tok.children:
                if c.dep_ == "prep" and c.i > tok.i and c.lower_ in cfg.cause_heads[lemma]:
                    ranges.append((c.idx, _end_char(c.subtree)))
        if lemma in cfg.grievance_heads or tok.lower_ in cfg.grievance_heads:
            for c in tok.children:
                if c.i < tok.i:
                    continue
                if c.dep_ in ("dobj",) or (c.dep_ == "prep" and c.lower_ in cfg.grievance_preps):
                    sub = list(c.subtree)
                    ranges.append((sub[0].idx, _end_char(sub)))
    return ranges


def _end_char(tokens: Iterable[Token]) -> int:
    last = max(tokens, key=lambda t: t.i)
    return last.idx + len(last.text)


def _history_verb(verb: Token) -> bool:
    """"had killed" (before the event); "the war has killed thousands", "have died since 2014"."""
    cfg = _background_cfg()
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if cfg.past_perfect and any(a.lower_ == "had" for a in auxes) and not _reported(verb):
        return True  # ("they said they had killed 20": reported speech shifts the tense back; not history)
    if (
        cfg.past_perfect and any(a.lower_ == "have" for a in auxes) and any(a.lower_ == "to" for a in auxes)
        and not (verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _SPEAKER_VERBS)
    ):
        return True  # "is believed to have murdered a colleague" ("claimed to have killed 18": the claim)
    perfect = any(a.lemma_ == "have" and a.lower_ in ("has", "have", "'ve", "'s") for a in auxes)
    if not perfect:
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass") and (c.lemma_.lower() in cfg.conflict_nouns or c.lower_ in cfg.conflict_nouns)
           for c in verb.children):
        return True
    sub = list(verb.subtree)
    text = " ".join(t.lower_ for t in sub)
    if any(f" {h} " in f" {text} " for h in cfg.history):
        return True
    for t in sub:
        if t.lower_ == "since":
            after = t.doc[t.i + 1 : t.i + 5]
            if any(re.fullmatch(r"(1[89]|20)\d\d", a.text) or a.lower_ in cfg.since_openers
                   or a.ent_type_ == "DATE" and a.text[:1].isupper() for a in after):
                return True
    return False


def _subtree_text(verb: Token, fig: _Fig) -> str:
    """The words of the verb's own clause (its subtree without clauses of their own), to the figure's end and after."""
    toks = [t for t in verb.subtree if t.i >= verb.i or t.idx >= fig.start]
    toks = [t for t in toks if not any(a.dep_ in ("relcl", "ccomp", "advcl") and a != verb for a in _path(t, verb))]
    return " ".join(t.text for t in toks)


def _says_ago(doc: Doc, verb: Token) -> bool:
    """Whether the word "ago" is anywhere in the verb's subtree (a plain test that spares building the
    clause's text for the ``ago`` pattern, which needs that word)."""
    last = verb.right_edge
    return "ago" in doc_text(doc)[verb.left_edge.idx : last.idx + len(last.text)].lower()


def _path(tok: Token, top: Token) -> list[Token]:
    out: list[Token] = []
    t = tok
    for _ in range(20):
        if t == top or t.head == t:
            break
        out.append(t)
        t = t.head
    return out


def _reported(verb: Token) -> bool:
    t = verb
    for _ in range(3):
        if t.head == t:
            return False
        if t.dep_ in ("ccomp", "conj", "xcomp") and t.head.lemma_.lower() in _SPEAKER_VERBS:
            return True
        t = t.head
    return False


def _in_background(doc: Doc, fig: _Fig, ranges: list[tuple[int, int]], trigger: tuple[int, int] | None) -> bool:
    for lo, hi in ranges:
        if lo <= fig.start and fig.end <= hi and not (trigger is not None and lo <= trigger[0] < hi):
            return True
    span = doc.char_span(fig.start, fig.end, alignment_mode="expand")
    if span is None:
        return False
    verbs = {t for t in span if t.pos_ in ("VERB", "AUX", "ADJ")}
    for t in span:
        v = t
        for _ in range(4):
            if v.pos_ in ("VERB", "AUX") or v.head == v:
                break
            v = v.head
        verbs.add(v)
    if trigger is not None:
        verbs = {v for v in verbs if not (v.idx <= trigger[0] < v.idx + len(v.text))}
    cfg = _background_cfg()
    accident = cfg.accident
    for v in verbs:
        if v.pos_ in ("VERB", "AUX") and _says_ago(doc, v) and cfg.ago.search(_subtree_text(v, fig)):
            return True  # "killed around 50 years ago": history
    for v in verbs:
        if v.pos_ in ("VERB", "AUX") and any(
            c.dep_ == "prep" and any(g.lemma_.lower() in accident for g in c.subtree) for c in v.children
        ):
            return True  # "killed in a road accident"
    return any(_history_verb(v) for v in verbs)


def _doc_quantities(doc: Doc, start: int, end: int) -> list[tuple[int, int, Quantity]]:
    """:func:`find_quantities` over a stretch of a parsed document, computed once per stretch: the
    casualty and materiel grammars (and claims, through them) ask for the same sentences again."""
    memo = doc.user_data.setdefault("fr_quantities", {})
    found = memo.get((start, end))
    if found is None:
        found = memo[(start, end)] = find_quantities(doc_text(doc), start, end)
    return found


def find_casualties(
    doc: Doc, start: int | None = None, end: int | None = None, trigger: tuple[int, int] | None = None
) -> list[Casualties]:
    """Casualty figures in ``doc`` (optionally only within ``doc_text(doc)[start:end]``), in text order.

    Each figure says its kind (killed, injured, captured, missing, displaced), its range and
    conservative count (see :func:`parse_quantity`), the victims (combatants, civilians, unknown)
    and, for a part of a figure said before ("12 killed, including 3 children"), ``part_of``: the
    index in the returned list of the whole it belongs to. "killed or wounded" gives a killed
    figure with conservative 0 and the stated number as its high end, qualifier
    "killed or wounded".
    """
    from fieldreport.extract.dates import dateline_end

    lo = max(0 if start is None else start, dateline_end(doc_text(doc)))
    hi = len(doc_text(doc)) if end is None else end
    figs: list[_Fig] = []
    used_nouns: set[int] = set()
    ignored = _ignored_ranges(doc_text(doc))
    # a sentence's figures (before the trigger's background test) are read once per Doc: the claims, each
    # record's scope and the earlier-whole test ask for the same sentences again (see _sentence_memo)
    memo = _sentence_memo(doc)
    for sent in sentences(doc):
        if sent.end_char <= lo or sent.start_char >= hi:
            continue
        s_lo, s_hi = max(lo, sent.start_char), min(hi, sent.end_char)
        hit = memo.get((s_lo, s_hi))
        background = hit[0] if hit else _background_ranges(doc, sent)
        sent_figs: list[_Fig] = []
        for qs, qe, q in () if hit else _doc_quantities(doc, s_lo, s_hi):
            if any(a <= qs < b for a, b in ignored):
                continue  # a crowd-size tag, not a count of victims
            span = doc.char_span(qs, qe, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            fig = _figure_from_quantity(doc, sent, span, q)
            if fig is None:
                continue
            sent_figs.append(fig)
            if fig.noun_i is not None:
                used_nouns.add(fig.noun_i)
        if hit:
            sent_figs = hit[1]
        else:
            sent_figs.extend(_figures_without_number(doc, sent, s_lo, s_hi, used_nouns))
            unconfirmed = _unconfirmed_re()
            for f in sent_figs:
                if unconfirmed.search(doc_text(doc)[sent.start_char : f.start]):
                    # only some reports give it: the top of the range, not the fatalities
                    f.q = Quantity(
                        low=0, best=f.q.best, high=f.q.high, conservative=0,
                        qualifier=(f.q.qualifier + "; " if f.q.qualifier else "") + "unconfirmed report",
                        vague=f.q.vague, unspecified=f.q.unspecified,
                    )
            memo[(s_lo, s_hi)] = background, sent_figs
        figs.extend(
            replace(f) for f in sent_figs
            if not _in_background(doc, f, background, trigger) and not any(a < f.end <= b for a, b in ignored)
        )
    figs.sort(key=lambda f: f.start)
    figs = _join_coordinated(doc, figs)
    out: list[Casualties] = []
    for f in figs:
        part_of: int | None = None
        kind = f.kind
        if f.part_marker:
            for idx in range(len(out) - 1, -1, -1):
                if out[idx].part_of is None and (out[idx].best >= f.q.best or f.q.unspecified) and kind in (out[idx].kind, "unknown_kind"):
                    part_of = idx
                    if kind == "unknown_kind":
                        kind = out[idx].kind
                    break
        if kind == "unknown_kind":
            continue
        if f.part_marker and part_of is None and lo > 0 and _has_earlier_whole(doc, lo, kind):
            continue  # "two of the wounded": the whole was told before the scope; never count a part alone
        q = f.q
        qualifier = q.qualifier
        if kind == "killed_or_injured":
            kind = "killed"
            q = Quantity(low=0, best=0, high=q.high, conservative=0, qualifier=q.qualifier)
            qualifier = "killed or wounded" if q.qualifier is None else f"{q.qualifier}; killed or wounded"
        out.append(
            Casualties(
                kind=kind,  # type: ignore[arg-type]
                low=q.low,
                best=q.best,
                high=q.high,
                conservative=q.conservative,
                qualifier=qualifier,
                victims=f.victims,
                part_of=part_of,
                group=_group_of(doc, f),
                start=f.start,
                end=f.end,
            )
        )
    return _parts_that_add_up(doc, out)


def _parts_that_add_up(doc: Doc, figs: list[Casualties]) -> list[Casualties]:
    """Figures told after a whole in its sentence that add up to it are its parts ("46 were killed: 31
    died on the day and 15 later of their wounds"): never counted again, nor read as lower reports."""
    by_sent: dict[int, list[int]] = {}
    for k, f in enumerate(figs):
        tok = doc.char_span(f.start, f.end, alignment_mode="expand")
        if tok is not None and len(tok):
            by_sent.setdefault(tok.sent.start_char, []).append(k)
    for idx in by_sent.values():
        for w in idx:
            whole = figs[w]
            if whole.part_of is not None or whole.best < 2:
                continue
            parts = [k for k in idx if k > w and figs[k].kind == whole.kind and figs[k].part_of is None
                     and figs[k].start >= whole.end and figs[k].best < whole.best]
            if len(parts) >= 2 and sum(figs[k].best for k in parts) == whole.best:
                for k in parts:
                    figs[k] = figs[k].model_copy(update={"part_of": w})
    return figs


_QUOTED_RE = re.compile(r"(?:(?<![A-Za-z])'([^'\n]{3,80})'(?![A-Za-z])|\"([^\"\n]{3,80})\"|\u2018([^\u2019\n]{3,80})\u2019|\u201c([^\u201d\n]{3,80})\u201d)")


def _quoted_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches in quotation marks between ``start`` and ``end`` (a slogan, a title, a name)."""
    return [(m.start(), m.end()) for m in _QUOTED_RE.finditer(text, start, end)]


@lru_cache(maxsize=1)
def _unconfirmed_re() -> re.Pattern[str]:
    words = load_yaml("figures/casualties.yaml").get("unconfirmed_reports", [])
    alt = "|".join(r"\s+".join(re.escape(w) for w in str(p).split()) for p in words) or r"(?!x)x"
    return re.compile(rf"\b(?:{alt})\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _no_fatalities() -> frozenset[str]:
    return frozenset(str(t) for t in load_yaml("figures/casualties.yaml").get("no_fatalities", []))


def carries_fatalities(event_type: str, sub_event_type: str) -> bool:
    """Whether records of this type take fatalities at all (``no_fatalities`` in figures/casualties.yaml)."""
    banned = _no_fatalities()
    return event_type not in banned and sub_event_type not in banned


def tally_sentence(sent: Span, max_tokens: int = 12) -> bool:
    """A short sentence that only tells a toll ("One rioter killed.", "Two soldiers were wounded."): it
    names a casualty and no date of its own, so it goes on telling the event before it."""
    if len(sent) > max_tokens or any(t.ent_type_ == "DATE" for t in sent):
        return False
    cfg = _config()
    return any(
        cfg.lemma_kinds.get(t.lemma_.lower()) in ("killed", "injured") or cfg.forms.get(t.lower_) in ("killed", "injured")
        or cfg.noun_kinds.get(t.lemma_.lower()) in ("killed", "injured", "killed_or_injured")
        for t in sent
    )


def _join_coordinated(doc: Doc, figs: list[_Fig]) -> list[_Fig]:
    """"three herders and two farmers were killed", "five people and a soldier died": coordinated victims
    of one casualty are distinct groups, so each conjunct gets a group of its own and
    :func:`summarise_fatalities` adds them up (a part said with "including" stays inside its whole)."""
    chains: dict[tuple[str, int], list[_Fig]] = {}
    for f in figs:
        if f.noun_i is None or f.part_marker or f.kind in ("unknown_kind",):
            continue
        noun = doc[f.noun_i]
        if noun.dep_ == "conj" or any(c.dep_ == "conj" for c in noun.children):
            chains.setdefault((f.kind, _root_conj(noun).i), []).append(f)
    for members in chains.values():
        if len(members) > 1:
            for f in members:
                f.group = _group_of(doc, f) or f"conj@{f.noun_i}"
    return figs


_GENERIC_VICTIMS = frozenset(
    "people person persons individual victim body corpse dead casualty fatality death toll one".split()
)
_OTHER_RE = re.compile(r"\b(?:another|others?)\b", re.IGNORECASE)


def _group_of(doc: Doc, fig: _Fig) -> str | None:
    """The victim group a figure counts, to tell distinct groups from restatements (see
    :func:`summarise_fatalities`): the victim noun's lemma ("robber", "youth"); None for a generic
    noun ("people", "the toll"); a group of its own for "another", "three others"."""
    if fig.group is not None:
        return fig.group
    if _OTHER_RE.search(doc_text(doc)[fig.start : fig.end]):
        return f"other@{fig.start}"
    if fig.noun_i is None:
        return None
    noun = doc[fig.noun_i]
    lemma = noun.lemma_.lower()
    if noun.pos_ not in ("NOUN", "PROPN") or lemma in _GENERIC_VICTIMS or noun.like_num:
        return None
    cfg = _config()
    if lemma in cfg.noun_kinds or lemma in cfg.toll_nouns or not lemma.isalpha():
        return None
    return _victim_groups().get(lemma, lemma)


@lru_cache(maxsize=1)
def _victim_groups() -> dict[str, str]:
    raw = load_yaml("figures/casualties.yaml").get("victim_groups", {})
    return {str(w).lower(): str(group) for group, words in raw.items() for w in [group, *words]}


def _sentence_memo(doc: Doc) -> dict[tuple[int, int], tuple[list[tuple[int, int]], list[_Fig]]]:
    """Per-Doc memo of :func:`find_casualties`' per-sentence work, keyed by the stretch read. A
    sentence's figures depend on its own words only (dependency arcs stay inside a sentence), so
    reading them again gives the same figures; callers get copies (coordination sets ``group``)."""
    return doc.user_data.setdefault("fr_sentence_figures", {})


def _has_earlier_whole(doc: Doc, before: int, kind: str) -> bool:
    """Is there a figure of ``kind`` before offset ``before`` (outside a caller's scope)?"""
    return any(f.kind == kind and f.part_of is None for f in find_casualties(doc, 0, before))


def _figure_from_quantity(doc: Doc, sent: Span, span: Span, q: Quantity) -> _Fig | None:
    """A casualty figure for one quantity of a sentence, or None when the number counts no victims."""
    if span.start > sent.start and doc[span.start - 1].lower_ in ("no", "not", "none", "without", "nor"):
        return None  # "no one was hurt"
    anchor = _quantity_head(doc, span)
    noun = _noun_of(anchor)
    if noun is not anchor and any(c.lower_ == "no" for c in noun.children if c.i < noun.i and c.i >= span.end):
        return None  # "3 injured and no fatalities": the number is not the noun's
    if noun.dep_ == "nsubj" and _speaking_verb(noun.head):
        return None  # "one of them said", "two officials told Reuters"
    objs = _of_objects(noun)
    victim_noun = objs[0] if objs and noun.i in range(span.start, span.end) else noun
    part = _part_marker_before(doc, span.start_char, sent) or _part_marker_after(doc, span.end_char)
    s, e = span.start_char, span.end_char
    if victim_noun.i >= span.end:
        e = max(e, victim_noun.idx + len(victim_noun.text))
    # a materiel noun is not a victim ("destroyed 3 tanks"), nor is a speaker ("two officials said")
    if _is_animal(victim_noun) or _is_animal(noun):
        return None  # "six oxen were killed": ACLED counts people
    if _materiel_kind_of(victim_noun) is not None or (noun.i >= span.end - 1 and _is_speaker(_root_conj(noun)) and noun.dep_ in ("dobj", "conj")):
        return None
    kind: str | None = None
    # 1. the number counts a casualty noun: "15 deaths", "10 dead", "20 casualties", "two bodies"
    nk = _noun_kind(victim_noun) if victim_noun.i >= span.start else None
    if nk in ("displaced", "captured"):
        # "one refugee was killed", "two hostages died": a casualty verb says what happened to them
        verb = _role_verb(doc, noun)
        if verb is not None and (_verb_kind(doc, verb) or ("", None))[0] in ("killed", "injured", "killed_or_injured"):
            nk = None
    if nk and nk not in ("unknown_victims",):
        kind = nk
        e = max(e, victim_noun.idx + len(victim_noun.text))
    # 2. the noun is an argument of a casualty verb
    if kind is None:
        verb = _role_verb(doc, noun)
        listed = _listed_participle(doc, noun, verb)
        if listed is not None:
            # "3 soldiers killed, 5 others hurt in an ambush": a headline's list, each figure its own participle
            kind = _verb_kind(doc, listed)[0]  # type: ignore[index]
            e = max(e, listed.idx + len(listed.text))
        elif verb is not None:
            vk = _verb_kind(doc, verb)
            if vk is None and noun.dep_ in ("nsubj", "nsubjpass"):
                # "1 person was stabbed and killed": a coordinated verb with no subject of its own
                for c in verb.children:
                    if c.dep_ == "conj" and c.pos_ == "VERB" and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
                        ck = _verb_kind(doc, c)
                        if ck is not None and (_is_passive_like(c) or _is_passive_like(verb)):
                            vk = (ck[0], c)
                            break
            if vk is not None:
                k, vtok = vk
                subj_role = noun.dep_ in ("nsubj", "nsubjpass") or (
                    noun.dep_ == "conj" and _root_conj(noun).dep_ in ("nsubj", "nsubjpass")
                )
                obj_role = not subj_role
                if (subj_role and _is_passive_like(verb)) or (obj_role and not _is_passive_like(verb)) or (
                    noun.dep_ == "pobj" and part
                ) or vtok is not verb:
                    kind = k
                    s, e = min(s, vtok.idx), max(e, vtok.idx + len(vtok.text))
            if kind is None:
                # "12 people, including ... , were killed": the noun's own participle
                for c in noun.children:
                    if c.dep_ in ("acl", "amod", "relcl") and _verb_kind(doc, c) and _is_passive_like(c):
                        kind = _verb_kind(doc, c)[0]  # type: ignore[index]
                        e = max(e, c.idx + len(c.text))
                        break
        else:
            for c in noun.children:
                if c.dep_ in ("acl", "amod", "relcl", "appos") and _verb_kind(doc, c) and _is_passive_like(c):
                    kind = _verb_kind(doc, c)[0]  # type: ignore[index]
                    e = max(e, c.idx + len(c.text))
                    break
        if kind is None and (verb is None or verb == noun):
            # "5 citizens and a child killed in ...": the headline's participle hangs on the last
            # of the coordinated victims and tells what happened to all of them
            for c in noun.children:
                if c.dep_ != "conj":
                    continue
                for g in c.children:
                    if g.dep_ == "acl" and _verb_kind(doc, g) and _is_passive_like(g):
                        kind = _verb_kind(doc, g)[0]  # type: ignore[index]
                        break
                if kind is not None:
                    break
    # "the killing of 23 members", "the deaths of 5 soldiers"
    if kind is None and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head != noun.head:
        nk2 = _noun_kind(noun.head.head)
        if nk2 and nk2 not in ("unknown_victims",):
            kind = nk2
            s = min(s, noun.head.head.idx)
    # 3. a toll
    if kind is None and _toll_figure(doc, anchor):
        kind = "killed"
    # 4. words next to the number, unless the counted people are the subject of an active verb
    # ("a number of youths killed a woman": the youths did the killing)
    agent = noun
    if agent.dep_ == "pobj" and agent.head.lower_ == "of" and agent.head.head.dep_ in ("nsubj",):
        agent = agent.head.head
    if kind is None and agent.dep_ == "nsubj" and agent.head.pos_ == "VERB" and not _is_passive_like(agent.head):
        return None
    if kind is None:
        lk = _linear_kind(doc, span, sent)
        if lk is not None:
            kind = lk[0]
            s, e = min(s, lk[1]), max(e, lk[1])
    if kind is None and part:
        kind = "unknown_kind"
    if kind is None:
        return None
    if kind == "unknown_victims":
        return None
    victims = _victims_of(victim_noun)
    if victims == "unknown" and victim_noun is not noun:
        victims = _victims_of(noun)
    if kind == "killed":
        # ACLED counts a suicide bomber: "killing eight people besides herself" codes 9
        tail = doc_text(doc)[max(e, victim_noun.idx + len(victim_noun.text)) : sent.end_char]
        self_m = _SELF_RE.match(tail)
        if self_m:
            q = Quantity(
                low=q.low + 1, best=q.best + 1, high=q.high + 1, conservative=q.conservative + 1,
                qualifier=(q.qualifier + "; " if q.qualifier else "") + "and the attacker", vague=q.vague,
            )
            e = max(e, victim_noun.idx + len(victim_noun.text) + self_m.end())
    return _Fig(kind=kind, q=q, victims=victims, start=s, end=e, part_marker=part, noun_i=victim_noun.i)


def _listed_participle(doc: Doc, noun: Token, verb: Token | None) -> Token | None:
    """The noun's own casualty participle when a comma closes it before the clause's verb ("3 soldiers
    killed, 5 others hurt": the parser makes "3 soldiers" a subject of "hurt")."""
    if verb is None or verb == noun:
        return None
    for c in noun.children:
        if c.dep_ in ("acl", "amod") and c.i > noun.i and c.i < verb.i and _verb_kind(doc, c) and _is_passive_like(c):
            nxt = c.right_edge.i + 1
            if nxt < len(doc) and doc[nxt].text == "," and nxt < verb.i:
                return c
    return None


_SELF_RE = re.compile(r"\s*,?\s*(?:besides|as well as|in addition to|along with|and)\s+(?:himself|herself)\b", re.IGNORECASE)


_SPEAKER_VERBS = SPEECH_LEMMAS


def _is_speaker(tok: Token) -> bool:
    """The noun phrase is directly followed by a reporting verb: ", a doctor and an elder said"
    (but not "13 reported dead", where the verb's complement is the casualty)."""
    nxt = tok.right_edge.i + 1
    return nxt < len(tok.doc) and _speaking_verb(tok.doc[nxt])


def _speaking_verb(verb: Token) -> bool:
    if verb.lemma_.lower() not in _SPEAKER_VERBS or verb.pos_ != "VERB":
        return False
    cfg = _config()
    return not any(
        c.dep_ in ("xcomp", "oprd", "acomp") and (c.lemma_.lower() in cfg.lemma_kinds or c.lower_ in cfg.forms)
        for c in verb.children
    )


def _root_conj(tok: Token) -> Token:
    t = tok
    while t.dep_ == "conj" and t.head != t:
        t = t.head
    return t


_ONE_DETS = {"a", "an", "one"}


def _figures_without_number(doc: Doc, sent: Span, lo: int, hi: int, used: set[int]) -> list[_Fig]:
    """"a soldier was killed" (1), "killing him" (1), "civilians were killed" (the no-number rule),
    "the strike caused casualties" (killed 0, high from the rule)."""
    cfg = _config()
    out: list[_Fig] = []
    for verb in sent:
        if verb.idx < lo or verb.idx >= hi:
            continue
        vk = _verb_kind(doc, verb) if verb.pos_ in ("VERB", "ADJ", "AUX") else None
        if vk is None:
            continue
        kind, vtok = vk
        passive = _is_passive_like(verb) or vtok is not verb
        args = [c for c in verb.children if (c.dep_ in ("nsubj", "nsubjpass") and passive) or (c.dep_ == "dobj" and not passive)]
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and not any(c.dep_ == "dobj" for c in verb.children):
            args.append(verb.head)
        if not args and passive and verb.dep_ == "conj":
            # "was attacked at his home and died": the second verb shares the first one's subject
            args = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass") and _is_passive_like(verb.head)]
        k = 0
        while k < len(args):  # every conjunct, "a 4-year-old, a 9-year-old and a 12-year-old"
            args.extend(c for c in args[k].children if c.dep_ == "conj" and c not in args)
            k += 1
        for arg in args:
            if arg.i in used or any(c.dep_ == "nummod" for c in arg.children):
                continue
            if _materiel_kind_of(arg) is not None or _is_speaker(_root_conj(arg)) or _is_animal(arg):
                continue
            if arg.lower_ in _core_words() or any(_is_animal(o) for o in _of_objects(arg)):
                continue  # "a number of cows": an amount (read by the quantity rules), or animals
            if arg.dep_ == "conj" and arg.tag_ in ("NN", "NNP") and not any(
                c.dep_ in ("det", "nummod", "poss") for c in arg.children
            ):
                continue  # "a journalist and former press club president": one person
            n = _count_without_number(arg)
            if n is None and kind == "killed" and arg.tag_ == "NN" and arg.pos_ == "NOUN" and arg.lemma_.lower() not in cfg.noun_kinds and arg.lemma_.lower() not in cfg.toll_nouns:
                n = 1  # "opera singer killed": a singular noun killed is a person
            if n is None:
                continue
            used.add(arg.i)
            left = min([arg.idx] + [c.idx for c in arg.children if c.dep_ in ("det", "amod", "compound") and c.i < arg.i])
            s = min(left, vtok.idx)
            e = max(arg.idx + len(arg.text), vtok.idx + len(vtok.text))
            if n == 1:
                q = Quantity(low=1, best=1, high=1, conservative=1)
            else:
                q = _bare_plural_quantity()
            if not cfg.bare_plural and n != 1:
                continue
            out.append(_Fig(kind=kind, q=q, victims=_victims_of(arg), start=s, end=e, part_marker=False, noun_i=arg.i))
    # "the death of a soldier", "the killing of civilians"
    for tok in sent:
        if tok.idx < lo or tok.idx >= hi or tok.pos_ != "NOUN":
            continue
        nk = _noun_kind(tok)
        if nk not in ("killed", "injured", "captured"):
            continue
        if nk == "killed" and tok.tag_ == "NN" and tok.dep_ != "compound" and tok.i not in used and not _of_objects(tok) and any(
            c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children
        ) and tok.lemma_.lower() in ("fatality", "death") and not any(
            t.lower_ in ("not", "no", "without", "n't", "never") for t in doc[max(sent.start, tok.i - 4) : tok.i]
        ) and not any(c.dep_ == "neg" for c in tok.head.children):
            # "There was a fatality on the army's side", "the clash caused a death": one killed
            used.add(tok.i)
            det = next(c for c in tok.children if c.dep_ == "det")
            out.append(_Fig(kind="killed", q=Quantity(low=1, best=1, high=1, conservative=1), victims=_victims_of(tok),
                            start=det.idx, end=tok.idx + len(tok.text), part_marker=False, noun_i=tok.i))
            continue
        owners = [c for c in tok.children if c.dep_ == "poss" and c.i not in used]
        if nk == "killed" and tok.tag_ == "NN" and owners and not _of_objects(tok) and not any(
            c.dep_ in ("nummod", "quantmod") for c in tok.children
        ):
            # "resulting in the victim's death", "left his body by the road": one person's death or body
            owner = owners[0]
            if owner.lower_ in ("his", "her") or (owner.pos_ in ("NOUN", "PROPN") and owner.tag_ in ("NN", "NNP")):
                used.add(owner.i)
                out.append(_Fig(kind="killed", q=Quantity(low=1, best=1, high=1, conservative=1), victims=_victims_of(owner),
                                start=owner.idx, end=tok.idx + len(tok.text), part_marker=False, noun_i=owner.i))
                continue
        for victim in _of_objects(tok):
            if victim.i in used or any(c.dep_ in ("nummod", "quantmod") for c in victim.children):
                continue
            n = _count_without_number(victim)
            if n is None or (n != 1 and not cfg.bare_plural):
                continue
            used.add(victim.i)
            if n == 1:
                q = Quantity(low=1, best=1, high=1, conservative=1)
            else:
                q = _bare_plural_quantity()
            out.append(_Fig(kind=nk, q=q, victims=_victims_of(victim), start=tok.idx, end=victim.idx + len(victim.text), part_marker=False, noun_i=victim.i))
    # "casualties" with no number
    for tok in sent:
        if tok.lower_ == "casualties" and tok.dep_ != "compound" and tok.i not in used and tok.idx >= lo and tok.idx < hi:
            if any(c.dep_ in ("nummod", "quantmod") for c in tok.children):
                continue
            if any(c.lower_ in ("no", "without") for c in tok.children) or (tok.i > 0 and doc[tok.i - 1].lower_ in ("no", "without")):
                continue
            q = Quantity(low=0, best=0, high=cfg.casualties_high, conservative=0, qualifier="casualties", unspecified=True)
            out.append(
                _Fig(kind="killed", q=q, victims=_victims_of(tok), start=tok.idx, end=tok.idx + len(tok.text), part_marker=False, noun_i=tok.i)
            )
            used.add(tok.i)
    return out


def _is_animal(tok: Token) -> bool:
    animals = _config().animals
    return tok.lemma_.lower() in animals or tok.lower_ in animals


_PERSONS = frozenset(
    "person people official leader chief member mayor governor imam priest activist politician lawmaker "
    "judge businessman employee staff prisoner detainee hostage captive inmate suspect victim".split()
)


def _bare_plural_quantity() -> Quantity:
    cfg = _config()
    f = cfg.bare_plural_figure
    return Quantity(low=min(cfg.unspec_low, f), best=f, high=f, conservative=f, qualifier="plural, no number", unspecified=True)


def _count_without_number(arg: Token) -> int | None:
    """1 for "a soldier", "the commander", "him", a named person; 2+ (the rule) for "soldiers"; else None."""
    cfg = _config()
    lemma = arg.lemma_.lower()
    if arg.lower_ in ("him", "her", "he", "she", "another"):
        return 1
    if arg.lower_ == "both" or (arg.lower_ in ("them", "they") and any(c.lower_ == "both" for c in arg.children)):
        return 2  # "killing them both", "killed both of them"
    if arg.lower_ == "old" and any(c.lemma_.lower() in ("year", "month") for c in arg.children):
        return 1  # "a 17-year-old was killed": a person named by age
    if arg.pos_ == "PRON":
        return None
    if arg.dep_ == "dobj" and arg.pos_ in ("VERB", "ADJ") and any(c.lower_ in ("the", "a", "an") for c in arg.children):
        return 1  # "killed the accused", "shot the wounded": a participle standing for a person
    person_noun = lemma in cfg.combatants or lemma in cfg.civilians or lemma in _PERSONS
    if arg.ent_type_ == "PERSON" and arg.pos_ == "PROPN":
        return 1
    if arg.ent_type_ == "NORP" and arg.pos_ in ("PROPN", "NOUN", "ADJ") and arg.dep_ in ("dobj", "nsubjpass", "nsubj"):
        # "killed a Palestinian", "two Afghans were killed": a people's name stands for its members
        if arg.tag_ in ("NNS", "NNPS") or arg.lower_.endswith("s"):
            return None if any(c.lower_ in ("the", "their") for c in arg.children) else 2
        return 1
    if not person_noun:
        return None
    if arg.tag_ in ("NNS", "NNPS") or lemma == "people" or arg.lower_ in ("people", "police", "troops", "personnel"):
        # "no civilians", and definite plurals ("the children killed", "their fighters") that refer
        # to people counted elsewhere, give no figure
        if any(c.lower_ in ("no", "none", "the", "those", "these", "their", "its", "his", "her", "our", "all") for c in arg.children):
            return None
        return 2
    if any(c.dep_ in ("det", "poss") for c in arg.children) or arg.tag_ in ("NN", "NNP"):
        return 1
    return None


# ----------------------------------------------------------------------------------------------
# summarise_fatalities


def _group_key(fig: Casualties, text: str | None) -> tuple[str, str]:
    cfg = _config()
    if fig.group and text is not None:
        return fig.victims, fig.group
    noun = ""
    if text is not None:
        words = text[fig.start : fig.end].lower()
        for marker in cfg.part_markers:  # "2 persons, including 1 student": the whole's noun, not the part's
            at = re.search(rf"\b{re.escape(marker)}\b", words)
            if at is not None and at.start() > 0:
                words = words[: at.start()]
        for w in re.findall(r"[a-z]+", words):
            for cand in (w, w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w):
                if cand in cfg.combatants or cand in cfg.civilians:
                    noun = cand
                    break
            if noun:
                break
    return fig.victims, noun


def summarise_fatalities(
    figures: Iterable[Casualties], text: str | None = None, kind: str | None = None
) -> tuple[int, int | None, int | None, int | None]:
    """Combine the killed figures of one event into ``(conservative, low, best, high)``.

    The rule (documented in docs and pinned by tests):

    1. Only figures of one kind count: ``kind`` when given, else "killed" (or the figures' only
       kind when they all share one, so injured figures can be summarised the same way); a figure
       with ``part_of`` set is inside its whole and is never added again.
    2. Figures about the same victim group are alternative reports of one number: the group's
       conservative and low are the smallest, best and high the largest (a toll that "rose to 15"
       supersedes an earlier 12 as best, while ACLED's conservative figure stays the lowest).
       A victim group is the victims class (combatants / civilians / unknown) plus, when ``text``
       (the article text) is given, the victim noun read at the figure's offsets ("soldiers" and
       "militants" are two groups; without the text they are one).
    3. Distinct named groups (soldiers, civilians, militants, ...) are summed.
    4. Figures with unknown victims ("15 people", "the toll") are totals: the result is the larger
       of that total and the sum of the named groups, never their sum.

    With no killed figure the result is ``(0, None, None, None)``.
    """
    all_figs = list(figures)
    if kind is None:
        kinds = {f.kind for f in all_figs}
        kind = kinds.pop() if len(kinds) == 1 else "killed"
    figs = [f for f in all_figs if f.kind == kind and f.part_of is None]
    if not figs:
        return 0, None, None, None
    groups: dict[tuple[str, str], list[Casualties]] = {}
    for f in figs:
        groups.setdefault(_group_key(f, text), []).append(f)

    def combine(fs: list[Casualties]) -> tuple[int, int, int, int]:
        return (
            min(f.conservative for f in fs),
            min(f.low for f in fs),
            max(f.best for f in fs),
            max(f.high for f in fs),
        )

    totals = [combine(fs) for key, fs in groups.items() if key[0] == "unknown" and not key[1]]
    named = [combine(fs) for key, fs in groups.items() if not (key[0] == "unknown" and not key[1])]
    total = totals[0] if totals else None
    if named:
        summed = tuple(sum(x[i] for x in named) for i in range(4))
        total = summed if total is None else tuple(max(a, b) for a, b in zip(total, summed))  # type: ignore[assignment]
    assert total is not None
    cons, low, best, high = total
    best = max(best, cons)
    high = max(high, best)
    low = min(low, cons)
    return cons, low, best, high


# ----------------------------------------------------------------------------------------------
# Materiel


@dataclass(frozen=True)
class _MatConfig:
    kinds: dict[tuple[str, ...], str]  # lower-case word sequence (lemmas of the last word) -> kind
    max_len: int
    status_lemmas: dict[str, str]
    status_phrases: dict[str, str]
    window: int


@lru_cache(maxsize=1)
def _mat_config() -> _MatConfig:
    raw: dict[str, Any] = load_yaml("figures/materiel.yaml")
    kinds: dict[tuple[str, ...], str] = {}
    for kind, names in raw["kinds"].items():
        for name in [kind, *names]:
            kinds[_words(str(name))] = str(kind)
    return _MatConfig(
        kinds=kinds,
        max_len=max(len(k) for k in kinds),
        status_lemmas={str(k).lower(): str(v) for k, v in raw["status_lemmas"].items()},
        status_phrases={str(k).lower(): str(v) for k, v in raw["status_phrases"].items()},
        window=int(raw.get("window", 6)),
    )


@lru_cache(maxsize=1)
def _materiel_last_words() -> frozenset[str]:
    return frozenset(k[-1] for k in _mat_config().kinds if k)


def _materiel_kind_of(token: Token) -> str | None:
    """The normalised materiel kind a noun (with its compounds) names, if any."""
    cfg = _mat_config()
    last = _materiel_last_words()
    if token.lower_ not in last and token.lemma_.lower() not in last:
        return None  # every name ends in the noun's own form or lemma
    doc = token.doc
    for n in range(min(cfg.max_len, token.i + 1), 0, -1):
        toks = doc[token.i - n + 1 : token.i + 1]
        words = tuple(t.lower_ for t in toks[:-1]) + (toks[-1].lemma_.lower(),)
        if words in cfg.kinds:
            return cfg.kinds[words]
        words2 = tuple(t.lower_ for t in toks)
        if words2 in cfg.kinds:
            return cfg.kinds[words2]
    return None


def _material_status(doc: Doc, noun: Token, sent: Span) -> tuple[str, Token] | None:
    """Destroyed / damaged / captured, from the verb the noun is an argument of, else nearby words."""
    cfg = _mat_config()

    def status_of(t: Token) -> str | None:
        tail = doc_text(doc)[t.idx : t.idx + 30].lower()
        for phrase, status in cfg.status_phrases.items():
            if tail.startswith(phrase):
                return status
        if t.pos_ not in ("VERB", "ADJ", "AUX"):
            return None  # "artillery strikes" (a noun) is no status
        return cfg.status_lemmas.get(t.lemma_.lower()) or cfg.status_lemmas.get(t.lower_)

    root = _root_conj(noun)
    if root.dep_ == "nsubj" and root.head.pos_ in ("VERB", "AUX") and not _is_passive_like(root.head):
        return None  # the materiel acts ("jets struck"): it is not what was hit
    if root.dep_ == "pobj" and root.head.lower_ != "of":
        return None  # agent, equipment or place ("hit by a drone", "mounted with guns", "at a bus")
    t = noun
    for _ in range(5):
        if t.head == t:
            break
        if t.dep_ in ("conj", "appos", "compound", "pobj", "prep", "nummod"):
            t = t.head
            st = status_of(t)
            if st:
                return st, t
            continue
        t = t.head
        st = status_of(t)
        if st:
            return st, t
        break
    for c in noun.children:
        if c.dep_ in ("amod", "acl", "relcl", "compound"):
            st = status_of(c)
            if st:
                return st, c
    # nearest status word in the sentence, within the window
    best: tuple[int, str, Token] | None = None
    for tok in sent:
        if abs(tok.i - noun.i) > cfg.window:
            continue
        st = status_of(tok)
        if st:
            d = abs(tok.i - noun.i)
            if best is None or d < best[0]:
                best = (d, st, tok)
    if best:
        return best[1], best[2]
    return None


def find_materiel(doc: Doc, start: int | None = None, end: int | None = None) -> list[Materiel]:
    """Materiel destroyed, damaged or captured (see :func:`_find_materiel`), read sentence by sentence
    and each sentence once per Doc: the claims and every record's scope ask for the same sentences."""
    from fieldreport.extract.dates import dateline_end

    lo = max(0 if start is None else start, dateline_end(doc_text(doc)))
    hi = len(doc_text(doc)) if end is None else end
    memo = doc.user_data.setdefault("fr_sentence_materiel", {})
    out: list[Materiel] = []
    for sent in sentences(doc):
        if sent.end_char <= lo or sent.start_char >= hi:
            continue
        key = (max(lo, sent.start_char), min(hi, sent.end_char))
        found = memo.get(key)
        if found is None:
            found = memo[key] = _find_materiel(doc, *key)
        out.extend(found)
    return out


def _find_materiel(doc: Doc, start: int | None = None, end: int | None = None) -> list[Materiel]:
    """Materiel destroyed, damaged or captured: ``[Materiel(kind="tank", count=3, status="destroyed")]``.

    The kind is normalised through ``data/figures/materiel.yaml``; the count is the number before the noun
    ("about 20 armed SUVs" -> 20), 1 for "a"/"an"/"one", and None for a plural without a number or
    a word that gives none ("several tanks"). Mentions with no status word are left out.
    """
    from fieldreport.extract.dates import dateline_end

    lo = max(0 if start is None else start, dateline_end(doc_text(doc)))
    hi = len(doc_text(doc)) if end is None else end
    out: list[Materiel] = []
    for sent in sentences(doc):
        if sent.end_char <= lo or sent.start_char >= hi:
            continue
        quantities = _doc_quantities(doc, sent.start_char, sent.end_char)
        for tok in sent:
            if tok.idx < lo or tok.idx >= hi or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if tok.dep_ == "compound":
                continue  # "car market", "tank crew": a modifier; a materiel head is read by itself
            kind = _materiel_kind_of(tok)
            if kind is None:
                continue
            st = _material_status(doc, tok, sent)
            if st is None:
                continue
            status, stok = st
            count, cstart = _materiel_count(doc, tok, quantities)
            first = min(cstart, tok.idx, stok.idx)
            last = max(tok.idx + len(tok.text), stok.idx + len(stok.text))
            out.append(Materiel(kind=kind, count=count, status=status, start=first, end=last))  # type: ignore[arg-type]
    return out


def _materiel_count(doc: Doc, noun: Token, quantities: list[tuple[int, int, Quantity]]) -> tuple[int | None, int]:
    """Count of a materiel noun and the start offset of the words that gave it."""
    left = noun.left_edge
    np_start = left.idx
    for qs, qe, q in quantities:
        if np_start <= qs and qe <= noun.idx:
            if q.unspecified:
                return None, qs
            return q.conservative, qs
    for c in noun.children:
        if c.dep_ in ("det", "nummod") and c.lower_ in _ONE_DETS and c.i < noun.i:
            return 1, c.idx
    if noun.tag_ in ("NN", "NNP") and any(c.dep_ in ("det", "poss") for c in noun.children):
        return 1, np_start
    return None, noun.idx


# ----------------------------------------------------------------------------------------------
# Clause scope


def event_clause(doc: Doc, trigger_start: int, trigger_end: int) -> tuple[int, int]:
    """Character span of the clause of an event trigger, for sentences that tell two events.

    "Missiles struck Kharkiv on Saturday, killing four, and a drone hit Sumy on Sunday, injuring
    two": the clause of "struck" ends before "and a drone hit", so its figures are the four dead,
    and the clause of "hit" holds only the two injured. The clause is the subtree of the verb that
    governs the trigger, without coordinated clauses that have a subject of their own; a trigger
    with no verb above it gets its whole sentence.
    """
    span = doc.char_span(trigger_start, trigger_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return trigger_start, trigger_end
    tok = span.root
    sent = tok.sent
    verb = tok
    for _ in range(8):
        if verb.pos_ in ("VERB", "AUX") or verb.head == verb:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return sent.start_char, sent.end_char
    excluded: list[Token] = [
        c for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
    ]
    keep = [t for t in verb.subtree if not any(t.i >= e.left_edge.i and t.i <= e.right_edge.i for e in excluded)]
    # a clause coordinated to an earlier one also starts at its own subject
    left = min(t.i for t in keep)
    right = max(t.i for t in keep)
    if excluded:
        first_excluded = min(e.left_edge.i for e in excluded)
        right = min(right, first_excluded - 1)
        while right > left and (doc[right].is_punct or doc[right].dep_ == "cc"):
            right -= 1
    return doc[left].idx, doc[right].idx + len(doc[right].text)


# ----------------------------------------------------------------------------------------------
# Coders' statements ("Fatalities coded as 3", "2 fatalities coded to this event")


class CodingStatement(BaseModel):
    """A sentence of a coded note that says how its fatalities were coded (data/figures/coding_notes.yaml)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["this_event", "coded", "unknown", "split"]
    value: int | None = None  # the stated figure (for "split": the figure split, when given)
    parts: int | None = None  # "split across {m} events"
    start: int
    end: int


_CODING_SECTIONS = ("overall", "this_event", "coded", "unknown", "split")


@lru_cache(maxsize=1)
def _coding_cfg() -> tuple[dict[str, list[re.Pattern[str]]], list[re.Pattern[str]]]:
    raw: dict[str, Any] = load_yaml("figures/coding_notes.yaml")
    cfg = _config()
    words = sorted([*cfg.units, *cfg.tens, "no", "zero", "a", "an"], key=len, reverse=True)
    amount = r"\d[\d,]*|" + "|".join(re.escape(w) for w in words)

    def compile_one(pattern: str) -> re.Pattern[str]:
        body = (
            pattern.replace("{fatality}", raw["fatality"])
            .replace("{n}", rf"(?P<n>{amount})")
            .replace("{m}", rf"(?P<m>{amount})")
        )
        return re.compile(body, re.IGNORECASE)

    sections = {name: [compile_one(p) for p in raw.get(name, [])] for name in _CODING_SECTIONS}
    ignore = [re.compile(p, re.IGNORECASE) for p in raw.get("ignore", [])]
    return sections, ignore


def _amount_value(word: str | None) -> int | None:
    if word is None:
        return None
    w = word.lower().replace(",", "")
    if w in ("no", "zero"):
        return 0
    if w in ("a", "an"):
        return 1
    if w.isdigit():
        return int(w)
    got = parse_quantity(w)
    return got.conservative if got is not None else None


def coding_statement(text: str) -> CodingStatement | None:
    """The coder's statement of the fatalities in ``text``, if the text has one (the most specific
    section wins: a figure coded to this event, then a coded figure, then "unknown", then a split)."""
    if "fatal" not in text.lower() and "casualt" not in text.lower():
        return None  # the quick test: every pattern names fatalities or casualties
    sections, _ignore = _coding_cfg()
    for name in _CODING_SECTIONS:
        found: list[CodingStatement] = []
        for pat in sections[name]:
            for m in pat.finditer(text):
                groups = m.groupdict()
                value = _amount_value(groups.get("n"))
                parts = _amount_value(groups.get("m"))
                if name in ("overall", "this_event", "coded") and value is None:
                    continue
                if name == "split" and not parts:
                    continue
                kind = "coded" if name == "overall" else name
                found.append(CodingStatement(kind=kind, value=value, parts=parts, start=m.start(), end=m.end()))  # type: ignore[arg-type]
        if name != "this_event":  # (parts coded to this event add up, bracketed or not)
            plain = [c for c in found if not _in_brackets(text, c.start)]
            found = plain or found  # a bracketed statement after another explains it
        if found and name == "this_event":
            # each part of a note coded to this event adds up ("2 fatalities coded to this event" in the
            # Russian report, "8 fatalities coded to this event" in the Ukrainian one)
            parts_found: list[CodingStatement] = []
            for c in sorted(found, key=lambda c: (c.start, -c.end)):
                if all(c.start >= p.end or c.end <= p.start for p in parts_found):
                    parts_found.append(c)
            total = sum(int(c.value or 0) for c in parts_found)
            return CodingStatement(kind=name, value=total, start=parts_found[0].start, end=parts_found[-1].end)
        if found:
            # the last statement is the coder's final word ("40 split across 3 events and coded as 7")
            return max(found, key=lambda c: (c.end, -c.start))
    return None


def _in_brackets(text: str, pos: int) -> bool:
    """Is ``pos`` inside an open round or square bracket?"""
    before = text[:pos]
    return before.count("(") > before.count(")") or before.count("[") > before.count("]")


def coded_fatalities(statement: CodingStatement, figures: Iterable[Casualties], text: str | None = None) -> int:
    """The fatalities a record takes when its note states how they were coded; ``figures`` are the
    record's casualty figures read from the text (for "split", and for "unknown" when a number is given)."""
    if statement.kind in ("this_event", "coded"):
        return int(statement.value or 0)
    killed = [f for f in figures if f.kind == "killed" and not (statement.start <= f.start < statement.end)]
    read = summarise_fatalities(killed, text=text)[0]
    if statement.kind == "unknown":
        numbered = [f for f in killed if f.part_of is None and not _no_number(f)]
        return read if numbered else 0
    whole = statement.value if statement.value is not None else read
    return whole // max(1, int(statement.parts or 1))


def _no_number(fig: Casualties) -> bool:
    cfg = _config()
    qual = (fig.qualifier or "").split(";")[0].strip()
    return qual in ("plural, no number", "casualties", "killed or wounded") or tuple(qual.split()) in cfg.unspec_words


def _ignored_ranges(text: str) -> list[tuple[int, int]]:
    """Crowd-size tags, and what a coder says is coded as another event ("..., after a student died
    during an earlier march (coded separately)": back to the comma or the sentence's start)."""
    _sections, ignore = _coding_cfg()
    out: list[tuple[int, int]] = []
    if "[" in text:
        out += [(m.start(), m.end()) for pat in ignore for m in pat.finditer(text)]
    if "separate" in text.lower():
        for pat in _elsewhere_patterns():
            for m in pat.finditer(text):
                # back to the comma, the sentence's start or the "and" that joins it to this event's part
                cut = max(text.rfind(",", 0, m.start()), text.rfind(". ", 0, m.start()), text.rfind(";", 0, m.start()))
                joined = text.rfind(" and ", 0, m.start())
                out.append((max(cut + 1, joined + 1 if joined >= 0 else 0), m.end()))
    return out


@lru_cache(maxsize=1)
def _elsewhere_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in load_yaml("figures/coding_notes.yaml").get("elsewhere", [])]


def told_as_grievance(doc: Doc, fig: Casualties) -> bool:
    """A death told the way a protest's grievance is told: a casualty noun with no stated number ("the
    killing of the mayor", "the death of a boy", "many deaths"), or a casualty in a clause that
    describes a noun ("the families of three men run over and killed"), or a slogan in quotes. The pipeline drops such
    figures from protest and riot records: what a protest is about is not its toll."""
    span = doc.char_span(fig.start, fig.end, alignment_mode="expand")
    if span is None:
        return False
    if fig.best <= 1 and any(a <= fig.start and fig.end <= b for a, b in _quoted_ranges(doc_text(doc), span.sent.start_char, span.sent.end_char)):
        return True  # a slogan in quotes ("chanting 'Meat is Murder'")
    cfg = _config()
    numbered = not _no_number(fig) and any(t.like_num or t.lower_ in cfg.units or t.lower_ in cfg.tens for t in span)
    for t in span:
        lemma = t.lemma_.lower()
        if t.pos_ == "NOUN" and (cfg.noun_kinds.get(lemma) or cfg.noun_kinds.get(t.lower_)) in ("killed", "killed_or_injured"):
            owned = any((c.dep_ == "prep" and c.lower_ == "of") or c.dep_ == "poss" for c in t.children)
            if owned or (not numbered and t.tag_ == "NNS"):  # "the killing of X", "his death", "many deaths"
                return True
        if t.pos_ in ("VERB", "AUX") and (lemma in cfg.lemma_kinds or t.lower_ in cfg.forms):
            root = _root_conj(t)
            if root.dep_ in ("relcl", "acl") and root.head.pos_ in ("NOUN", "PROPN", "PRON") and _is_passive_like(t):
                return True  # "two people who were killed by a car" (not "police who ... killed one")
    return False


def _clause_verb(tok: Token) -> Token:
    v = tok
    for _ in range(6):
        if v.pos_ in ("VERB", "AUX") or v.head == v:
            break
        v = v.head
    return _root_conj(v) if v.pos_ in ("VERB", "AUX") else v


_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")


def dated_apart(doc: Doc, fig: Casualties, dates: Iterable[Any], event_day: Any) -> bool:
    """The casualty's own clause carries a date other than the event's: another, earlier event
    ("a clan whose elder was murdered last spring", "where a site collapsed in 2021 and
    killed 5 workers"). ``dates`` are the article's DateFindings, ``event_day`` the record's date."""
    if event_day is None:
        return False
    span = doc.char_span(fig.start, fig.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    verbs = {_clause_verb(t) for t in span if t.pos_ in ("VERB", "AUX", "NOUN", "ADJ")}
    if not verbs:
        return False
    for d in dates:
        dspan = doc.char_span(d.start, d.end, alignment_mode="expand")
        if dspan is None or len(dspan) == 0 or _clause_verb(dspan.root) not in verbs:
            continue
        if d.precision == 1 and d.date < event_day:
            return True  # (a later day is the event's outcome: "attacked ... and died on 19 January")
        if d.precision > 1 and (d.date.year, d.date.month) != (event_day.year, event_day.month) and d.date < event_day:
            return True
    for v in verbs:  # "in 2021": a year of its own
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "since", "during"):
                for g in c.children:
                    if _YEAR_RE.fullmatch(g.text) and int(g.text) < event_day.year:
                        return True
    return False
