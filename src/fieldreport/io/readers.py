"""Reading articles: JSON Lines, plain text / Markdown files, HTML pages, directories, standard input,
RSS/Atom feeds (saved or by URL), web pages by URL and web archives (WARC).

Every input problem becomes an :class:`InputProblem` naming the input and line, so that the caller can
report it and go on with the rest of the batch. Nothing is dropped silently.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

import yaml

from fieldreport.io.feeds import FEED_SUFFIXES, Feed, FeedItem, NotAFeed, looks_like_feed, parse_feed
from fieldreport.io.fetch import Fetched, FetchFailure, Fetcher, FetchSettings, Request, is_url, normalize_url
from fieldreport.io.pages import PageHints, looks_like_html, url_article_id
from fieldreport.io.warc import WARC_SUFFIXES, WarcProblem, iter_warc
from fieldreport.schema.records import Article

#: Articles longer than this (in characters) are not parsed; raise it with --max-chars.
DEFAULT_MAX_CHARS = 200_000

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)


@dataclass(frozen=True)
class InputProblem:
    """Something in the input that could not be used as given."""

    source: str  # file name, or "<stdin>"
    line: int | None  # 1-based line number for JSON Lines, else None
    message: str
    skipped: bool = True  # False: the article was still processed (e.g. an unreadable date)

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        what = "skipped" if self.skipped else "warning"
        return f"{where}: {what}: {self.message}"


Item = Article | InputProblem


def parse_published(value: object) -> date | None:
    """ISO date or datetime (a trailing Z or offset is fine). Raises ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) or not isinstance(value, str):
        raise ValueError(f"published must be an ISO date string, got {value!r}")
    s = value.strip()
    try:
        return date.fromisoformat(s[:10]) if len(s) >= 10 and s[4] == "-" else date.fromisoformat(s)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise ValueError(f"published {value!r} is not an ISO date (YYYY-MM-DD)") from exc


def english_problem(text: str, language: str | None) -> str | None:
    """Why this text should not go through an English pipeline, or None when it should. A declared
    language decides; else the text's language is identified (Lingua) when it is long enough to judge."""
    if language and language.lower().split("-")[0] not in {"en", "eng", "english"}:
        return f"language is {language!r}; fieldreport's pipeline reads English only"
    from fieldreport.io.language import non_english

    name = non_english(text)
    if name:
        return f"the text is in {name} (identified by Lingua); fieldreport's pipeline reads English only"
    return None


def _check_text(text: str, max_chars: int) -> str | None:
    if not text.strip():
        return "text is empty"
    if "\x00" in text:
        return "text holds NUL bytes (binary data?)"
    if len(text) > max_chars:
        return (
            f"text is {len(text):,} characters, over the limit of {max_chars:,}; "
            "split it into articles or raise --max-chars"
        )
    return None


def article_from_mapping(
    obj: dict, source: str, line: int | None, max_chars: int = DEFAULT_MAX_CHARS
) -> list[Item]:
    """Validate one JSON object of the contract. Returns the article and/or the problems found."""
    out: list[Item] = []
    text = obj.get("text")
    if text is None:
        return [InputProblem(source, line, "no 'text' field")]
    if not isinstance(text, str):
        return [InputProblem(source, line, f"'text' must be a string, got {type(text).__name__}")]
    why = _check_text(text, max_chars)
    if why:
        return [InputProblem(source, line, why)]
    why = english_problem(text, obj.get("language") if isinstance(obj.get("language"), str) else None)
    if why:
        return [InputProblem(source, line, why)]
    published = None
    try:
        published = parse_published(obj.get("published"))
    except ValueError as exc:
        out.append(
            InputProblem(source, line, f"{exc}; relative dates in it are left unresolved", skipped=False)
        )
    raw_id = obj.get("id")
    art_id = str(raw_id) if raw_id not in (None, "") else Article.stable_id(text)

    def opt(key: str) -> str | None:
        v = obj.get(key)
        return str(v) if v not in (None, "") else None

    out.append(
        Article(
            id=art_id,
            text=text,
            title=opt("title"),
            published=published,
            outlet=opt("outlet") or opt("source"),
            url=opt("url"),
            language=opt("language"),
        )
    )
    return out


EMPTY = "file is empty"


def read_jsonl(stream: BinaryIO, source: str, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """One article per JSON line. A stream with no line but blank ones is one problem: empty."""
    anything = False
    for lineno, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        anything = True
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield InputProblem(source, lineno, f"not valid UTF-8 (byte {exc.start})")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputProblem(source, lineno, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield InputProblem(source, lineno, f"expected a JSON object, got {type(obj).__name__}")
            continue
        yield from article_from_mapping(obj, source, lineno, max_chars)
    if not anything:
        yield InputProblem(source, None, EMPTY if source != "<stdin>" else "input is empty")


def _decode_file(data: bytes, source: str) -> str | InputProblem:
    if b"\x00" in data[:8192]:
        return InputProblem(source, None, "binary file (NUL bytes); expected text, HTML or JSON Lines")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputProblem(source, None, f"not valid UTF-8 (byte {exc.start})")


def read_text_file(data: bytes, source: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[Item]:
    """One article per file. Optional YAML front matter gives id, title, published, outlet, url."""
    if not data.strip():
        return [InputProblem(source, None, EMPTY if source != "<stdin>" else "input is empty")]
    text = _decode_file(data, source)
    if isinstance(text, InputProblem):
        return [text]
    meta: dict = {}
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            return [InputProblem(source, None, f"front matter is not valid YAML: {exc}")]
        if isinstance(loaded, dict):
            meta = {k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in loaded.items()}
        text = text[m.end() :]
    meta.setdefault("id", Path(source).stem if source != "<stdin>" else None)
    meta["text"] = text
    return article_from_mapping(meta, source, None, max_chars)


def read_html(
    data: bytes, source: str, max_chars: int = DEFAULT_MAX_CHARS, url: str | None = None, hints=None,
    article_id: str | None = None, charset: str | None = None,
) -> list[Item]:
    """The story of an HTML page (main text, title, date, outlet, URL), read with trafilatura.
    A saved page keeps its file name as id unless ``article_id`` is given."""
    from fieldreport.io.pages import decode_html, read_page

    if not data.strip():
        return [InputProblem(source, None, EMPTY)]
    if b"\x00" in data[:8192]:
        return [InputProblem(source, None, "binary file (NUL bytes); expected an HTML page")]
    fields = read_page(decode_html(data, charset), url, hints)
    if not fields["text"]:
        return [InputProblem(source, None, "no article text found on the page")]
    if article_id is not None:
        fields["id"] = article_id
    elif url is None:
        fields["id"] = Path(source).stem
    return article_from_mapping(fields, source, None, max_chars)


def iter_inputs(inputs: Iterable[str], max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """Articles and problems from files, directories (recursively, sorted), ``-`` (JSON Lines on stdin,
    or a single plain-text article when stdin does not start with ``{``), saved feeds, web archives and
    URLs of pages and feeds. For a run that remembers what it has read, use :class:`Reader`."""
    with Reader(max_chars=max_chars) as reader:
        yield from reader.read(inputs)


# ------------------------------------------------------------------------------------------------
# Reading from the web, feeds and archives, remembering what was read


@dataclass(frozen=True)
class FetchState:
    """What the store remembers of fetching one URL, beside the article it stored from it: the server's
    validators (for a conditional request), the feed's stamp for the item, and whether the page was
    skipped for good (not English)."""

    url: str  # normalised (fieldreport.io.fetch.normalize_url)
    etag: str | None = None
    last_modified: str | None = None
    stamp: str | None = None  # the feed's updated/published time for the item when last read
    outcome: str = "stored"  # "stored", or "skipped: why"


@dataclass
class Seen:
    """What a run knows it has read before: the stored articles' content hashes (the store's "stored
    unchanged" test, :func:`fieldreport.io.store.content_hash`) and the fetch states of URLs."""

    hashes: dict[str, str | None] = field(default_factory=dict)
    states: dict[str, FetchState] = field(default_factory=dict)

    def stored_unchanged(self, article: Article) -> bool:
        from fieldreport.io.store import content_hash

        h = self.hashes.get(article.id)
        return h is not None and h == content_hash(article)


class _NoProgress:
    def add_task(self, *a, **k) -> int:
        return 0

    def advance(self, *a, **k) -> None:
        pass

    def update(self, *a, **k) -> None:
        pass


class Reader:
    """Reads every kind of source the CLI takes, fetching URLs politely (one :class:`Fetcher` per run).

    With ``seen`` a URL whose article is stored unchanged is skipped and counted in ``unchanged`` rather
    than read again: a feed item whose feed stamp is the same as last time is not even fetched; a page
    is asked for conditionally (ETag, Last-Modified); a page whose article is the same is dropped.
    ``remembered`` holds the fetch state of each URL read, for the store to keep once the articles are
    stored (:meth:`fieldreport.io.store.Store.remember_fetches`).
    ``progress`` is anything with rich's ``add_task``/``advance``/``update``."""

    def __init__(
        self, max_chars: int = DEFAULT_MAX_CHARS, fetch: FetchSettings | None = None, seen: Seen | None = None,
        progress=None,
    ) -> None:
        self.max_chars = max_chars
        self.fetch_settings = fetch or FetchSettings()
        self.seen = seen or Seen()
        self.progress = progress or _NoProgress()
        self.unchanged = 0
        self.fetched = 0
        self.remembered: dict[str, FetchState] = {}
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.fetch_settings)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- dispatch ---------------------------------------------------------------------------------

    def read(self, inputs: Iterable[str]) -> Iterator[Item]:
        for name in inputs:
            if name == "-":
                data = sys.stdin.buffer.read()
                if data.lstrip()[:1] == b"{":
                    yield from read_jsonl(io.BytesIO(data), "<stdin>", self.max_chars)
                else:
                    yield from read_text_file(data, "<stdin>", self.max_chars)
                continue
            if is_url(name):
                yield from self._read_url(name)
                continue
            path = Path(name)
            if path.is_dir():
                yield from self._read_directory(path)
            elif path.exists():
                yield from self._read_path(path)
            else:
                yield InputProblem(name, None, "no such file or directory")

    def _read_directory(self, path: Path) -> Iterator[Item]:
        """Every file under ``path`` (sorted, recursively): read, or named with the reason it is not.
        A hidden folder is named once, not file by file."""
        n_seen = 0
        for p in sorted(path.rglob("*")):
            n_seen += 1
            rel = p.relative_to(path).parts
            if any(part.startswith(".") for part in rel[:-1]):
                continue  # named once, as the folder below
            if p.is_dir():
                if p.name.startswith("."):
                    yield InputProblem(str(p), None, "hidden folder, not read")
                continue
            if not p.is_file():
                yield InputProblem(str(p), None, "not a regular file, not read")
                continue
            why = unread_reason(p)
            if why:
                yield InputProblem(str(p), None, why)
                continue
            yield from self._read_path(p)
        if not n_seen:
            yield InputProblem(str(path), None, "directory is empty")

    def _read_path(self, path: Path) -> Iterator[Item]:
        source = str(path)
        suffix = path.suffix.lower()
        try:
            if suffix in JSONL_SUFFIXES:
                with path.open("rb") as fh:
                    yield from read_jsonl(fh, source, self.max_chars)
                return
            if path.name.lower().endswith(WARC_SUFFIXES):
                with path.open("rb") as fh:
                    yield from self._read_warc(fh, source)
                return
            data = path.read_bytes()
        except OSError as exc:
            yield InputProblem(source, None, f"cannot read: {exc.strerror or exc}")
            return
        if suffix in FEED_SUFFIXES:
            if not data.strip():
                yield InputProblem(source, None, EMPTY)
                return
            try:
                feed = parse_feed(data, source)
            except NotAFeed as exc:
                yield InputProblem(source, None, str(exc))
                return
            yield from self._read_feed(feed)
        elif suffix in HTML_SUFFIXES:
            yield from read_html(data, source, self.max_chars)
        else:
            yield from read_text_file(data, source, self.max_chars)

    # -- the web ----------------------------------------------------------------------------------

    def _before(self, url: str) -> FetchState | None:
        """What was remembered of fetching ``url``, when its article is still stored (or the page was
        skipped for good): only then may a stamp or a 304 stand for reading it."""
        state = self.seen.states.get(normalize_url(url))
        if state is None:
            return None
        if state.outcome == "stored" and self.seen.hashes.get(url_article_id(url)) is None:
            return None  # the article is gone from the store: read the page again
        return state

    def _read_url(self, url: str) -> Iterator[Item]:
        before = self._before(url)
        task = self.progress.add_task(f"fetching {url}", total=1)
        res = self.fetcher.get(
            url, etag=before.etag if before else None, last_modified=before.last_modified if before else None
        )
        self.progress.advance(task)
        self.progress.update(task, visible=False)
        if isinstance(res, FetchFailure):
            yield InputProblem(url, None, res.message)
            return
        self.fetched += 1
        if res.not_modified and before is not None:
            self._unchanged(url, before, res)
            return
        if looks_like_feed(res.body, res.content_type):
            try:
                feed = parse_feed(res.body, url, base_url=res.final_url)
            except NotAFeed as exc:
                yield InputProblem(url, None, str(exc))
                return
            yield from self._read_feed(feed)
        elif looks_like_html(res.body, res.content_type):
            yield from self._page(url, res.body, res.charset, None, before, res)
        else:
            yield InputProblem(url, None, f"neither a web page nor a feed (content type {res.content_type or 'unknown'})")

    def _read_feed(self, feed: Feed) -> Iterator[Item]:
        todo: list[tuple[FeedItem, FetchState | None]] = []
        for item in feed.items:
            before = self._before(item.url)
            if before and item.stamp and before.stamp == item.stamp:
                self.unchanged += 1  # the feed says the item has not changed since it was read
                continue
            todo.append((item, before))
        if not todo:
            return
        by_url = {item.url: (item, before) for item, before in todo}
        task = self.progress.add_task(f"fetching {feed.title or feed.source}", total=len(todo))
        requests = [Request(item.url, b.etag if b else None, b.last_modified if b else None) for item, b in todo]
        for req, res in self.fetcher.get_many(requests, on_done=lambda: self.progress.advance(task)):
            item, before = by_url[req.url]
            if isinstance(res, FetchFailure):
                yield InputProblem(item.url, None, res.message)
                continue
            self.fetched += 1
            hints = PageHints(title=item.title, published=item.published)
            if res.not_modified and before is not None:
                self._unchanged(item.url, before, res, stamp=item.stamp)
            elif not looks_like_html(res.body, res.content_type):
                yield InputProblem(item.url, None, f"not a web page (content type {res.content_type or 'unknown'})")
            else:
                yield from self._page(item.url, res.body, res.charset, hints, before, res, stamp=item.stamp)
        self.progress.update(task, visible=False)

    def _read_warc(self, stream: BinaryIO, source: str) -> Iterator[Item]:
        hints: dict[str, tuple[PageHints, str | None]] = {}
        task = self.progress.add_task(f"reading {Path(source).name}", total=None)
        for rec in iter_warc(stream, self.fetch_settings.max_bytes):
            if isinstance(rec, WarcProblem):
                where = source if rec.offset is None else f"{source}@{rec.offset}"
                yield InputProblem(where, None, rec.message)
            elif isinstance(rec, Feed):
                for item in rec.items:
                    hints[normalize_url(item.url)] = (
                        PageHints(title=item.title, published=item.published), item.stamp
                    )
            else:
                hint, stamp = hints.get(normalize_url(rec.url), (None, None))
                yield from self._page(rec.url, rec.body, rec.charset, hint, self._before(rec.url), None, stamp=stamp)
                self.progress.advance(task)
        self.progress.update(task, visible=False)

    def _page(
        self, url: str, body: bytes, charset: str | None, hints: PageHints | None, before: FetchState | None,
        res: Fetched | None, stamp: str | None = None,
    ) -> Iterator[Item]:
        key = normalize_url(url)
        etag = res.etag if res else None
        modified = res.last_modified if res else None
        items = read_html(body, url, self.max_chars, url=url, hints=hints, article_id=url_article_id(url),
                          charset=charset)
        arts = [i for i in items if isinstance(i, Article)]
        if not arts:
            why = "; ".join(p.message for p in items if isinstance(p, InputProblem))
            if "English only" in why:  # a fact of the page, not a passing failure: remember it
                self.remembered[key] = FetchState(key, etag, modified, stamp, f"skipped: {why}")
            yield from items
            return
        if self.seen.stored_unchanged(arts[0]):
            self._unchanged(url, before or FetchState(key), res, stamp=stamp)
            return
        self.remembered[key] = FetchState(key, etag, modified, stamp, "stored")
        yield from items

    def _unchanged(self, url: str, before: FetchState, res: Fetched | None, stamp: str | None = None) -> None:
        self.unchanged += 1
        key = normalize_url(url)
        self.remembered[key] = FetchState(
            key,
            (res.etag if res and res.etag else before.etag),
            (res.last_modified if res and res.last_modified else before.last_modified),
            stamp or before.stamp, before.outcome,
        )  # fmt: skip


READ_SUFFIXES = JSONL_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES


def unread_reason(path: Path) -> str | None:
    """Why a file found in a directory is not read as articles, or None when it is."""
    if path.name.startswith("."):
        return "hidden file, not read"
    if path.stem.lower() in ("readme", "license", "licence", "changelog") or path.name.lower() in ("readme", "license"):
        return "a README or licence file, not read as an article"
    if path.name.lower().endswith(WARC_SUFFIXES):
        return None
    if path.suffix.lower() not in READ_SUFFIXES:
        kind = f"a {path.suffix} file" if path.suffix else "no file extension"
        return (f"{kind}: not read; articles are .jsonl/.ndjson/.json, .txt/.md/.markdown/.text, "
                ".html/.htm/.xhtml, feeds (.rss/.atom/.xml) or web archives (.warc/.warc.gz) (rename it to read it)")
    return None
