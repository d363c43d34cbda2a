"""When: date expressions in an article and the date of an event.

:func:`find_dates` reads every date expression of a ``Doc`` (explicit dates in the common news
formats, weekdays, "yesterday", "last week", "over the weekend", "early this month", ranges such as
"between 3 and 5 May") and resolves it against the publication date. :func:`event_date` picks the
one that dates a given event trigger: the date attached to the trigger's clause, then any date of
its sentence that is not the date of a statement ("said on Friday"), then the lead.

Precision follows ACLED: 1 the day is known, 2 a week or a few days, 3 a month or vaguer. When
:func:`event_date` returns None the pipeline should fall back to the publication date with
``time_precision`` 2 (:data:`FALLBACK_PRECISION`): news reports events of the last few days.

The grammar lives in ``data/dates/dates.yaml``. dateparser is not used: it resolves news weekdays
wrongly with ``PREFER_DATES_FROM=past`` and it would add nothing that this small grammar lacks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from fieldreport.data import load_yaml
from fieldreport.schema.records import DateFinding
from fieldreport.text.lexicon import SPEECH_LEMMAS
from fieldreport.text.spans import dateline_end, dateline_span, doc_text, sentences

__all__ = [
    "FALLBACK_PRECISION", "find_dates", "event_date", "needs_publication_date", "resolve_weekday", "parse_date_text",
    "dateline_end",
]

#: Suggested ``time_precision`` for a record dated by its publication date only.
FALLBACK_PRECISION = 2

#: Verbs whose date is the day of a statement, not of the event: the verbs of saying and a few more.
_REPORTING_LEMMAS = SPEECH_LEMMAS | frozenset(load_yaml("dates/dates.yaml")["statement_lemmas_extra"])


@dataclass(frozen=True)
class _Cfg:
    months: dict[str, int]
    weekdays: dict[str, int]
    slash_order: str
    tolerance: int
    relative: dict[str, dict[str, Any]]
    re_explicit: re.Pattern[str]
    re_relative: re.Pattern[str]


@lru_cache(maxsize=1)
def _cfg() -> _Cfg:
    raw = load_yaml("dates/dates.yaml")
    months = {str(k): int(v) for k, v in raw["months"].items()}
    weekdays = {str(k): int(v) for k, v in raw["weekdays"].items()}
    month_alt = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    full = "|".join(sorted((re.escape(m) for m in months if len(m) > 4 or m in ("May", "June", "July")), key=len, reverse=True))
    abbr = "|".join(sorted((re.escape(m) for m in months if len(m) <= 4 and m not in ("May", "June", "July")), key=len, reverse=True))
    wd_alt = "|".join(weekdays)
    m = rf"(?:(?:{full})\b|(?:{abbr})\b\.?)"
    d = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
    y = r"(?:1[89]\d\d|20\d\d)"
    sep = r"\s*(?:-|\u2013|\u2014|to|and|until|till)\s*"
    explicit = "|".join(
        [
            # ranges
            rf"(?P<r1>(?:between|from)\s+(?P<r1d1>{d})\s*(?:and|to|-)\s*(?P<r1d2>{d})\s+(?P<r1m>{m})(?:,?\s+(?P<r1y>{y}))?)",
            rf"(?P<r2>(?P<r2d1>{d}){sep}(?P<r2d2>{d})\s+(?P<r2m>{m})(?:,?\s+(?P<r2y>{y}))?)",
            rf"(?P<r3>(?:between\s+|from\s+)?(?P<r3m>{m})\s+(?P<r3d1>{d}){sep}(?P<r3d2>{d})\b(?:,?\s+(?P<r3y>{y}))?)",
            # ISO and numeric
            rf"(?P<iso>(?P<isoy>{y})-(?P<isom>[01]?\d)-(?P<isod>[0-3]?\d))(?![\d:])",
            rf"(?P<num>(?P<na>[0-3]?\d)[/.](?P<nb>[0-3]?\d)[/.](?P<ny>{y}|\d\d))(?!\d)",
            # day month year
            rf"(?P<dmy>(?:(?:{wd_alt}),?\s+)?(?:the\s+)?(?P<dmyd>{d})(?:\s+of)?\s+(?P<dmym>{m})(?:,?\s+(?P<dmyy>{y}))?)",
            rf"(?P<mdy>(?:(?:{wd_alt}),?\s+)?(?P<mdym>{m})\s+(?:the\s+)?(?P<mdyd>{d})\b(?!:)(?:,?\s+(?P<mdyy>{y}))?)",
            # month year / month alone (precision 3)
            rf"(?P<qual>(?:(?:early|mid|late|end of|beginning of|the end of|the beginning of|in)\s*-?\s*)?)(?P<my>(?P<mym>(?:{month_alt}))(?:\s+(?P<myy>{y}))?)\b(?!\.?\s+(?:the\s+)?[0-3]?\d(?:st|nd|rd|th)?\b)",
            # weekdays
            rf"(?P<wd>(?P<wdname>{wd_alt})(?:'s)?)\b",
        ]
    )
    rel_phrases = sorted((str(k) for k in raw["relative"]), key=len, reverse=True)
    rel_alt = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in rel_phrases)
    n_ago = r"(?P<nago>(?P<nagon>\d{1,2})\s+days?\s+ago)"
    return _Cfg(
        months=months,
        weekdays=weekdays,
        slash_order=str(raw.get("slash_order", "dmy")),
        tolerance=int(raw.get("future_tolerance_days", 7)),
        relative={str(k): dict(v) for k, v in raw["relative"].items()},
        re_explicit=re.compile(rf"\b(?:{explicit})"),
        re_relative=re.compile(rf"\b(?:(?P<rel>{rel_alt})|{n_ago})\b", re.IGNORECASE),
    )


# ----------------------------------------------------------------------------------------------
# Pure helpers




def resolve_weekday(weekday: int, published: date) -> date:
    """The latest day with ``weekday`` (Monday 0) on or before ``published``."""
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year_for(m: int, d: int, published: date | None, text_year: int | None) -> int | None:
    if text_year is not None:
        return text_year
    if published is None:
        return None
    cand = _safe_date(published.year, m, d)
    if cand is None:
        # 29 February in a non-leap publication year: try the year before
        return published.year - 1 if _safe_date(published.year - 1, m, d) else None
    if (cand - published).days > _cfg().tolerance:
        return published.year - 1
    return published.year


def _month(name: str) -> int:
    return _cfg().months[name.rstrip(".")]


def _day(s: str) -> int:
    return int(re.match(r"\d+", s).group())  # type: ignore[union-attr]


def _numeric(a: int, b: int, y: int, published: date | None) -> date | None:
    if y < 100:
        y += 2000
    dm = _safe_date(y, b, a)  # a = day
    md = _safe_date(y, a, b)  # a = month
    if dm and md and dm != md:
        if published is not None:
            cands = [c for c in (dm, md) if c <= published + timedelta(days=1)]
            if cands:
                return max(cands)
        return dm if _cfg().slash_order == "dmy" else md
    return dm or md


def parse_date_text(text: str, published: date | None = None) -> DateFinding | None:
    """Resolve one date expression (the whole of ``text``) as :func:`find_dates` would."""
    found = _scan(text, published, years_in_text=[])
    for f in found:
        if f.start == 0 and f.end == len(text.rstrip(". ")):
            return f
    return None


# ----------------------------------------------------------------------------------------------
# Scanning


def _week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _span_date(span: str, published: date) -> date | None:
    """The date coded for a named span: the middle day of a week span, the first day of a month span."""
    if span == "this_week":
        a, b = _week_start(published), published
    elif span == "earlier_this_week":
        a = _week_start(published)
        b = published - timedelta(days=1)
        if b < a:  # published on a Monday: "earlier this week" can only be that day
            b = a
    elif span == "last_week":
        a = _week_start(published) - timedelta(days=7)
        b = a + timedelta(days=6)
    elif span == "weekend":
        sat = resolve_weekday(5, published)
        if published.weekday() == 5:
            sat = published
        return sat
    elif span == "this_month" or span == "early_this_month":
        return published.replace(day=1)
    elif span == "mid_this_month":
        return published.replace(day=min(15, published.day))
    elif span in ("last_month", "late_last_month"):
        first = published.replace(day=1)
        prev_last = first - timedelta(days=1)
        return prev_last.replace(day=1 if span == "last_month" else 21)
    else:
        return None
    return a + timedelta(days=(b - a).days // 2)


def _scan(text: str, published: date | None, years_in_text: Sequence[tuple[int, int]]) -> list[DateFinding]:
    cfg = _cfg()
    out: list[DateFinding] = []

    def year_near(pos: int) -> int | None:
        # the year of the nearest explicit full date before pos, else after it
        before = [y for p, y in years_in_text if p <= pos]
        if before:
            return before[-1]
        after = [y for p, y in years_in_text if p > pos]
        return after[0] if after else None

    def add(d: date | None, precision: int, s: int, e: int) -> None:
        if d is not None:
            out.append(DateFinding(date=d, precision=precision, start=s, end=e, text=text[s:e]))  # type: ignore[arg-type]

    def resolve_dm(m: int, d: int, y: str | None, pos: int) -> date | None:
        year = int(y) if y else None
        if year is None and published is None:
            year = year_near(pos)
        year = _year_for(m, d, published, year)
        return _safe_date(year, m, d) if year is not None else None

    for mt in cfg.re_explicit.finditer(text):
        g = mt.groupdict()
        s, e = mt.start(), mt.end()
        try:
            for r in ("r1", "r2", "r3"):
                if g[r]:
                    m = _month(g[f"{r}m"])
                    d1, d2 = _day(g[f"{r}d1"]), _day(g[f"{r}d2"])
                    if d2 <= d1:
                        break
                    first = resolve_dm(m, d1, g[f"{r}y"], s)
                    last = resolve_dm(m, d2, g[f"{r}y"], s)
                    if first and last:
                        add(first, 1 if d2 == d1 else (2 if d2 - d1 <= 7 else 3), s, e)
                    break
            else:
                if g["iso"]:
                    add(_safe_date(int(g["isoy"]), int(g["isom"]), int(g["isod"])), 1, s, e)
                elif g["num"]:
                    add(_numeric(int(g["na"]), int(g["nb"]), int(g["ny"]), published), 1, s, e)
                elif g["dmy"]:
                    add(resolve_dm(_month(g["dmym"]), _day(g["dmyd"]), g["dmyy"], s), 1, s, e)
                elif g["mdy"]:
                    add(resolve_dm(_month(g["mdym"]), _day(g["mdyd"]), g["mdyy"], s), 1, s, e)
                elif g["my"]:
                    name = g["mym"]
                    if name in ("May", "March") and not g["myy"] and not g["qual"]:
                        continue  # "May" the modal / name, "March" the walk: only with a year or "in"
                    if not g["myy"] and not g["qual"] and len(name) <= 4:
                        continue
                    m = _month(name)
                    qual = (g["qual"] or "").strip().lower()
                    day = 15 if qual.startswith("mid") else 21 if qual.startswith("late") or "end" in qual else 1
                    if g["myy"]:
                        year: int | None = int(g["myy"])
                    elif published is not None:
                        year = published.year if m <= published.month else published.year - 1
                    else:
                        year = year_near(s)
                    if year is not None:
                        add(_safe_date(year, m, day), 3, s + len(g["qual"] or "") if qual == "in" else s, e)
                elif g["wd"] and published is not None:
                    add(resolve_weekday(cfg.weekdays[g["wdname"]], published), 1, s, s + len(g["wdname"]))
        except (ValueError, KeyError, OverflowError):
            continue

    if published is not None:
        for mt in cfg.re_relative.finditer(text):
            s, e = mt.start(), mt.end()
            if mt.group("nago"):
                n = int(mt.group("nagon"))
                if n <= 31:
                    add(published - timedelta(days=n), 1, s, e)
                continue
            phrase = re.sub(r"\s+", " ", mt.group("rel").lower())
            spec = cfg.relative.get(phrase)
            if spec is None:
                continue
            if "days" in spec:
                add(published - timedelta(days=int(spec["days"])), int(spec["precision"]), s, e)
            else:
                add(_span_date(str(spec["span"]), published), int(spec["precision"]), s, e)
    return _drop_overlaps(out)


def _drop_overlaps(found: list[DateFinding]) -> list[DateFinding]:
    """Keep the longest of overlapping findings (an explicit date beats the weekday inside it)."""
    found.sort(key=lambda f: (-(f.end - f.start), f.start))
    kept: list[DateFinding] = []
    for f in found:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    kept.sort(key=lambda f: f.start)
    return kept


def find_dates(doc: Doc | str, published: date | None = None) -> list[DateFinding]:
    """Every resolvable date expression of ``doc`` (a spaCy Doc or its text), in text order.

    With no ``published`` date only explicit dates are resolved; a day and month without a year
    takes the year of the nearest full date written in the text, or is skipped.
    Impossible dates ("31 February") are skipped, never raised.
    """
    text = doc if isinstance(doc, str) else doc_text(doc)
    years: list[tuple[int, int]] = []
    if published is None:
        for f in _scan(text, date(2000, 1, 1), []):
            if re.search(r"\b(1[89]\d\d|20\d\d)\b", f.text):
                years.append((f.start, f.date.year))
    return _scan(text, published, years)


def needs_publication_date(doc: Doc | str) -> list[str]:
    """The date expressions of ``doc`` that only a publication date resolves: a day and month with no
    year anywhere in the text ("On 7 March"), a weekday ("on Tuesday"), "yesterday", "last week".
    A record left without a date names them, so the user knows what to add (a ``published`` date)."""
    text = doc if isinstance(doc, str) else doc_text(doc)
    resolved = {(f.start, f.end) for f in find_dates(text, None)}
    return [f.text for f in _scan(text, date(2000, 1, 1), []) if (f.start, f.end) not in resolved]


# ----------------------------------------------------------------------------------------------
# event_date


def _token_at(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _governing_verb(tok: Token) -> Token:
    t = tok
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX") or t.head == t:
            return t
        t = t.head
    return t


def _is_ancestor(a: Token, b: Token) -> bool:
    """True when ``a`` is ``b`` or one of its heads."""
    return a == b or any(x == a for x in b.ancestors)


def _reporting(verb: Token) -> bool:
    return verb.lemma_.lower() in _REPORTING_LEMMAS


def event_date(
    doc: Doc,
    trigger_start: int,
    trigger_end: int,
    findings: Sequence[DateFinding],
    published: date | None = None,
) -> DateFinding | None:
    """The date of the event whose trigger is ``doc_text(doc)[trigger_start:trigger_end]``.

    Order of preference: a date attached to the trigger's own clause (the trigger or a verb that
    governs it, not a reporting verb); any other date of the trigger's sentence that is not the
    date of a statement; a date in the lead (first two sentences) that is not the date of a
    statement; the date of a statement in the trigger's sentence ("officials said on Friday"),
    with precision at least 2 (the event happened then or shortly before). None when nothing fits:
    the pipeline then uses ``published`` with :data:`FALLBACK_PRECISION`.
    """
    if not findings:
        return None
    trig = _token_at(doc, trigger_start, trigger_end)
    if trig is None:
        return None
    text = doc_text(doc)
    sent = trig.sent
    sents = sentences(doc)
    lead_end = sents[min(1, len(sents) - 1)].end_char if sents else 0
    trig_verb = _governing_verb(trig)
    dl_start, dl_end = dateline_span(text)
    dateline = dateline_end(text)
    # The opening date of the text (its first sentence opens with a date, or is only a date) dates
    # every event told after it that has no date of its own.
    first = next((s for s in sents if s.end_char > dateline), None)
    scored: list[tuple[float, DateFinding, bool]] = []
    for f in findings:
        if f.start < dateline or dl_start <= f.start < dl_end:
            continue  # the day of filing: the pipeline's fallback to publication covers it
        if published is not None and f.date > published + timedelta(days=1):
            continue  # a future date is a plan or a deadline, not the event
        tok = _token_at(doc, f.start, f.end)
        if tok is None:
            continue
        verb = _governing_verb(tok)
        as_reported = _as_reported(text, f)
        reporting = (
            (_reporting(verb) and not _is_ancestor(trig, verb) and verb != trig_verb)
            or _said_on(doc, tok, trig)
        ) and not as_reported
        in_sent = sent.start_char <= f.start < sent.end_char
        f_sent = tok.sent
        opening = not reporting and _opens(text, f_sent.start_char, f)
        distance = abs(tok.i - trig.i) / 1000.0
        if in_sent and opening:
            score = -0.5
        elif in_sent and not reporting and (_is_ancestor(verb, trig) or _is_ancestor(trig, verb)) and not _purpose(verb, trig_verb):
            score = 0.0
        elif opening and first is not None and f_sent.start_char == first.start_char and f.start < sent.start_char:
            score = 0.5
        elif in_sent and not reporting:
            score = 1.0
        elif f.start < lead_end and not reporting:
            score = 2.0
        elif in_sent:
            score = 3.0
        else:
            continue
        if not opening and _names_another_thing(tok, trig):
            score += 1.5  # "the 25 April clashes", "the election held on 28 April": that thing's date
        if as_reported and not opening:
            score += 0.6  # "last week, as reported on 8 March": the report's day yields to the event's own
        scored.append((score + distance + (f.precision - 1) * 0.1, f, reporting))
    if not scored:
        return None
    scored.sort(key=lambda x: x[0])
    _, best, reporting = scored[0]
    if (reporting or _approximate(text, best) or _as_reported(text, best)) and best.precision < 2:
        best = best.model_copy(update={"precision": 2})
    return best


@lru_cache(maxsize=1)
def _which_cfg() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    raw = load_yaml("dates/dates.yaml")
    def alternation(key: str) -> str:
        words = sorted((str(w) for w in raw.get(key, [])), key=len, reverse=True)
        return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in words)

    alt = alternation("opening_words")
    label = r"(?:[A-Z][A-Za-z/&'-]*(?:\s+[A-Za-z/&'-]+){0,4}\s*:\s*)?"
    opening = re.compile(rf"^[\s\W]*{label}(?:(?:{alt})\s+)*(?:the\s+)?$", re.IGNORECASE)
    approx_before = re.compile(rf"\b(?:{alternation('approximate_words')})\s+(?:the\s+)?$", re.IGNORECASE)
    after_alt = "|".join(str(p) for p in raw.get("approximate_after", []))
    approx_after = re.compile(rf"^\s*,?\s*(?:{after_alt})", re.IGNORECASE)
    reported = re.compile(rf"(?:{alternation('as_reported')})", re.IGNORECASE)
    return opening, approx_before, approx_after, reported


def _opens(text: str, sent_start: int, f: DateFinding) -> bool:
    """The date opens its sentence ("On 4 May 2021, ...") or is the whole sentence ("25 February.")."""
    opening, _a, _b, _r = _which_cfg()
    return opening.match(text[sent_start : f.start]) is not None


def _approximate(text: str, f: DateFinding) -> bool:
    _o, before, after, _r = _which_cfg()
    return before.search(text[max(0, f.start - 30) : f.start]) is not None or after.match(text[f.end : f.end + 40]) is not None


def _as_reported(text: str, f: DateFinding) -> bool:
    """"Around 28 March (as reported)", "as reported on 5 May": the date a report gave for the event."""
    _o, _a, _b, reported = _which_cfg()
    before = text[max(0, f.start - 24) : f.start]
    after = text[f.end : f.end + 24]
    return any(
        m.end() >= len(before) - 1 or re.fullmatch(r"\s*(?:on|the|on\s+the)?\s*", before[m.end():])
        for m in reported.finditer(before)
    ) or any(
        re.fullmatch(r"[\s,(]*", after[: m.start()]) and not re.match(r"\s*(?:on\b|by\b|\d)", after[m.end():])
        for m in reported.finditer(after)
    )  # "28 March (as reported)"; not "last week, as reported on 8 March" (that date is the report's)


def _said_on(doc: Doc, tok: Token, trig: Token) -> bool:
    """The date follows a verb of saying ("said on Monday", "told reporters Monday", "said late on
    Friday"): the statement's day, however the parser attached it ("The army said on Monday it had
    retaken the town on Sunday": Sunday is the event's)."""
    span = doc.char_span(tok.idx, tok.idx + len(tok.text), alignment_mode="expand")
    i = (span.start if span is not None else tok.i) - 1
    skipped = 0
    while i >= 0 and skipped < 3 and doc[i].lower_ in ("on", "late", "early", "last", "this", "reporters", "journalists", "the", "press"):
        i -= 1
        skipped += 1
    if i < 0:
        return False
    verb = doc[i]
    return verb.pos_ in ("VERB", "AUX") and verb != trig and _reporting(verb)


def _purpose(verb: Token, trig_verb: Token) -> bool:
    """"blocked the road to demand exams in April": a date in an infinitive clause is a plan or an aim."""
    return verb != trig_verb and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _names_another_thing(tok: Token, trig: Token) -> bool:
    """The date belongs to a noun that is not the trigger ("the 25 April clashes") or to a clause that
    describes such a noun ("the election held on 28 April")."""
    t = tok
    for _ in range(3):
        head = t.head
        if head == t:
            return False
        if head == trig or _is_ancestor(head, trig) and head.pos_ in ("VERB", "AUX"):
            return False
        if t.dep_ in ("compound", "nmod", "amod", "npadvmod", "nummod") and head.pos_ in ("NOUN", "PROPN") and head != trig:
            return not head.ent_type_ == "DATE"
        if t.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN") and head != trig:
            return True
        t = head
    return False
