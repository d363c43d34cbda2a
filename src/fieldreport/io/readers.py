"""Reading articles: JSON Lines, plain text / Markdown files, HTML pages, directories, standard input,
RSS/Atom feeds (saved or by URL), web pages by URL and web archives (WARC).

Every input problem becomes an :class:`InputProblem` naming the input and line, so that the caller can
report it and go on with the rest of the batch. Nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, Protocol

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


def read_jsonl(stream: BinaryIO, source: str, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    for lineno, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
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


def _decode_file(data: bytes, source: str) -> str | InputProblem:
    if b"\x00" in data[:8192]:
        return InputProblem(source, None, "binary file (NUL bytes); expected text, HTML or JSON Lines")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputProblem(source, None, f"not valid UTF-8 (byte {exc.start})")


def read_text_file(data: bytes, source: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[Item]:
    """One article per file. Optional YAML front matter gives id, title, published, outlet, url."""
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
class SeenEntry:
    """What the store remembers of one URL it has read."""

    url: str  # normalised (fieldreport.io.fetch.normalize_url)
    article_id: str | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    stamp: str | None = None  # the feed's updated/published time for the item when last read
    outcome: str = "stored"  # "stored", or "skipped: why"


class SeenIndex(Protocol):
    def seen_urls(self, urls: Sequence[str]) -> dict[str, SeenEntry]: ...


def content_hash(article: Article) -> str:
    """What an article's records depend on: its text and metadata. Same hash: nothing to redo."""
    h = hashlib.sha1()
    for part in (article.text, article.title, article.published, article.outlet, article.url):
        h.update(str(part or "").encode("utf-8", "surrogatepass") + b"\x1f")
    return h.hexdigest()


class _NoProgress:
    def add_task(self, *a, **k) -> int:
        return 0

    def advance(self, *a, **k) -> None:
        pass

    def update(self, *a, **k) -> None:
        pass


class Reader:
    """Reads every kind of source the CLI takes, fetching URLs politely (one :class:`Fetcher` per run).

    With ``seen`` (the store) a URL already stored unchanged is skipped and counted in ``unchanged``
    instead of being read again: a feed item whose feed stamp is the same is not even fetched; a page
    is asked for conditionally (ETag, Last-Modified); a page whose article is the same is dropped.
    ``remembered`` holds what the store should remember of each URL read, to be written once the
    articles are stored (:meth:`fieldreport.io.store.Store.remember_urls`).
    ``progress`` is anything with rich's ``add_task``/``advance``/``update``."""

    def __init__(
        self, max_chars: int = DEFAULT_MAX_CHARS, fetch: FetchSettings | None = None,
        seen: SeenIndex | None = None, progress=None,
    ) -> None:
        self.max_chars = max_chars
        self.fetch_settings = fetch or FetchSettings()
        self.seen = seen
        self.progress = progress or _NoProgress()
        self.unchanged = 0
        self.fetched = 0
        self.remembered: dict[str, SeenEntry] = {}
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
                files = sorted(p for p in path.rglob("*") if _wanted(p))
                if not files:
                    yield InputProblem(
                        name, None, "directory holds no .jsonl, .txt, .md, .html, feed or .warc files"
                    )
                for p in files:
                    yield from self._read_path(p)
            elif path.exists():
                yield from self._read_path(path)
            else:
                yield InputProblem(name, None, "no such file or directory")

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

    def _seen(self, urls: Sequence[str]) -> dict[str, SeenEntry]:
        return self.seen.seen_urls(list(urls)) if self.seen is not None and urls else {}

    def _read_url(self, url: str) -> Iterator[Item]:
        key = normalize_url(url)
        before = self._seen([key]).get(key)
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
        if res.not_modified:
            assert before is not None
            self._unchanged(before, res)
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
        if not feed.items:
            return
        keys = {item.url: normalize_url(item.url) for item in feed.items}
        seen = self._seen(list(keys.values()))
        todo: list[tuple[FeedItem, SeenEntry | None]] = []
        for item in feed.items:
            before = seen.get(keys[item.url])
            if before and item.stamp and before.stamp == item.stamp:
                self.unchanged += 1  # the feed says the item has not changed since we read it
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
            hints = PageHints(title=item.title, published=item.published, outlet=feed.title)
            if res.not_modified:
                assert before is not None
                self._unchanged(before, res, stamp=item.stamp)
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
                        PageHints(title=item.title, published=item.published, outlet=rec.title), item.stamp
                    )
            else:
                key = normalize_url(rec.url)
                hint, stamp = hints.get(key, (None, None))
                before = self._seen([key]).get(key)
                yield from self._page(rec.url, rec.body, rec.charset, hint, before, None, stamp=stamp)
                self.progress.advance(task)
        self.progress.update(task, visible=False)

    def _page(
        self, url: str, body: bytes, charset: str | None, hints: PageHints | None, before: SeenEntry | None,
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
                self.remembered[key] = SeenEntry(key, None, None, etag, modified, stamp, f"skipped: {why}")
            yield from items
            return
        art = arts[0]
        digest = content_hash(art)
        if before and before.outcome == "stored" and before.content_hash == digest:
            self._unchanged(before, res, stamp=stamp)
            return
        self.remembered[key] = SeenEntry(key, art.id, digest, etag, modified, stamp, "stored")
        yield from items

    def _unchanged(self, before: SeenEntry, res: Fetched | None, stamp: str | None = None) -> None:
        self.unchanged += 1
        self.remembered[before.url] = SeenEntry(
            before.url, before.article_id, before.content_hash,
            (res.etag if res and res.etag else before.etag),
            (res.last_modified if res and res.last_modified else before.last_modified),
            stamp or before.stamp, before.outcome,
        )  # fmt: skip


def _wanted(p: Path) -> bool:
    if not p.is_file() or p.name.startswith(".") or p.name.lower() == "readme.md":
        return False
    suffix = p.suffix.lower()
    if suffix in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | {".rss", ".atom"}:
        return True
    if p.name.lower().endswith(WARC_SUFFIXES):
        return True
    if suffix == ".xml":  # only feeds among XML files
        try:
            with p.open("rb") as fh:
                return looks_like_feed(fh.read(2048))
        except OSError:
            return False
    return False
