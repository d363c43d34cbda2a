"""Reading articles: JSON Lines, plain text / Markdown files, HTML pages, directories and standard input.

Every input problem becomes an :class:`InputProblem` naming the input and line, so that the caller can
report it and go on with the rest of the batch. Nothing is dropped silently.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

import yaml

from fieldreport.schema.records import Article

#: Articles longer than this (in characters) are not parsed; raise it with --max-chars.
DEFAULT_MAX_CHARS = 200_000

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)
# A few very common function words: a cheap, dependency-free check that a text is English.
_EN_WORDS = frozenset(
    "the of and to in a is was were that for on with as by at from said has have it its be are "
    "after an this which who their they his her been more than killed people".split()
)
# ... and of the languages most often mistaken for it in news feeds.
_OTHER_WORDS = frozenset(
    "der die das und ist nicht mit den dem sich auf le la les et est une des du dans pour qui el los las "
    "y que en por con una del para il di che non per della sono het een van niet ook".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


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
    """Why this text should not go through an English pipeline, or None when it should."""
    if language and language.lower().split("-")[0] not in {"en", "eng", "english"}:
        return f"language is {language!r}; fieldreport's pipeline reads English only"
    words = _WORD.findall(text[:5000])
    if len(words) < 8:
        return None  # too short to judge; let it through
    n = len(words)
    latin = sum(1 for w in words if w.isascii())
    common = sum(1 for w in words if w.lower() in _EN_WORDS)
    other = sum(1 for w in words if w.lower() in _OTHER_WORDS)
    # Headlines have few function words: judge them by script and by other languages' words only.
    if latin / n < 0.5 or (other > common and other / n >= 0.08) or (n >= 40 and common / n < 0.08):
        return "text does not look like English; fieldreport's pipeline reads English only"
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


def read_html(data: bytes, source: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[Item]:
    """The article body of an HTML page: <article> paragraphs, else all <p>, else the body text."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    if not data.strip():
        return [InputProblem(source, None, EMPTY)]
    text = _decode_file(data, source)
    if isinstance(text, InputProblem):
        return [text]
    tree = HTMLParser(text)
    for node in tree.css("script, style, nav, header, footer, aside, noscript"):
        node.decompose()
    title_node = tree.css_first("meta[property='og:title']") or None
    title = title_node.attributes.get("content") if title_node else None
    if not title and tree.css_first("title"):
        title = tree.css_first("title").text(strip=True)
    published = None
    for sel in ("meta[property='article:published_time']", "meta[name='date']", "time[datetime]"):
        node = tree.css_first(sel)
        if node:
            published = node.attributes.get("content") or node.attributes.get("datetime")
            break
    scope = tree.css_first("article") or tree.body or tree.root
    paragraphs = [p.text(separator=" ", strip=True) for p in scope.css("p")] if scope else []
    body = "\n\n".join(p for p in paragraphs if p)
    if not body and scope is not None:
        body = scope.text(separator=" ", strip=True)
    meta = {"id": Path(source).stem, "text": body, "title": title, "published": published}
    return article_from_mapping(meta, source, None, max_chars)


def _read_path(path: Path, max_chars: int) -> Iterator[Item]:
    source = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as fh:
                yield from read_jsonl(fh, source, max_chars)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputProblem(source, None, f"cannot read: {exc.strerror or exc}")
        return
    if suffix in HTML_SUFFIXES:
        yield from read_html(data, source, max_chars)
    else:
        yield from read_text_file(data, source, max_chars)


def iter_inputs(inputs: Iterable[str], max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """Articles and problems from files, directories (recursively, sorted) and ``-`` (JSON Lines on stdin,
    or a single plain-text article when stdin does not start with ``{``)."""
    for name in inputs:
        if name == "-":
            data = sys.stdin.buffer.read()
            if data.lstrip()[:1] == b"{":
                import io

                yield from read_jsonl(io.BytesIO(data), "<stdin>", max_chars)
            else:
                yield from read_text_file(data, "<stdin>", max_chars)
            continue
        path = Path(name)
        if path.is_dir():
            yield from _read_directory(path, max_chars)
        elif path.exists():
            yield from _read_path(path, max_chars)
        else:
            yield InputProblem(name, None, "no such file or directory")


READ_SUFFIXES = JSONL_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES


def unread_reason(path: Path) -> str | None:
    """Why a file found in a directory is not read as articles, or None when it is."""
    if path.name.startswith("."):
        return "hidden file, not read"
    if path.stem.lower() in ("readme", "license", "licence", "changelog") or path.name.lower() in ("readme", "license"):
        return "a README or licence file, not read as an article"
    if path.suffix.lower() not in READ_SUFFIXES:
        kind = f"a {path.suffix} file" if path.suffix else "no file extension"
        return (f"{kind}: not read; articles are .jsonl/.ndjson/.json, .txt/.md/.markdown/.text or "
                ".html/.htm/.xhtml (rename it to read it)")
    return None


def _read_directory(path: Path, max_chars: int) -> Iterator[Item]:
    """Every file under ``path`` (sorted, recursively): read, or named with the reason it is not.
    A hidden folder is named once, not file by file."""
    n_seen = 0
    for p in sorted(path.rglob("*")):
        n_seen += 1
        rel = p.relative_to(path).parts
        hidden_parent = next((i for i, part in enumerate(rel[:-1]) if part.startswith(".")), None)
        if hidden_parent is not None:
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
        yield from _read_path(p, max_chars)
    if not n_seen:
        yield InputProblem(str(path), None, "directory is empty")
