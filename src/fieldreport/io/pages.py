"""News pages: the story's main text and its metadata (title, date, outlet, URL), read with trafilatura.

Navigation, adverts, comments and related-article links around the story are left out by trafilatura's
main-content extraction (with comments off and precision favoured); nothing here scrapes by hand.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from fieldreport.io.fetch import normalize_url

HTML_TYPES = {"text/html", "application/xhtml+xml"}


@dataclass(frozen=True)
class PageHints:
    """What a feed says about a page, used where the page is silent."""

    title: str | None = None
    published: date | None = None


def url_article_id(url: str) -> str:
    """An article read from the web is known by its URL: the same page read from a feed, a saved copy
    or a web archive is one article, and a changed page replaces its earlier version."""
    return "url-" + hashlib.sha1(normalize_url(url).encode("utf-8")).hexdigest()[:16]


def host_name(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host or None


def looks_like_html(data: bytes, content_type: str = "") -> bool:
    if content_type in HTML_TYPES:
        return True
    head = data[:4096].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head


def decode_html(data: bytes, charset: str | None = None) -> str | bytes:
    """Text when the server named the charset; else the bytes, for trafilatura to read the page's own
    declaration."""
    if charset:
        try:
            return data.decode(charset, errors="replace")
        except LookupError:
            pass
    return data


def read_page(html: str | bytes, url: str | None, hints: PageHints | None = None) -> dict:
    """The fields of an article (``text``, ``title``, ``published``, ``outlet``, ``url``, ``id``) from
    one HTML page. ``text`` is empty when the page holds no story. The page's own metadata wins; the
    hints fill in the title and date it lacks."""
    from trafilatura import bare_extraction

    hints = hints or PageHints()
    doc = bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    meta = doc if doc is not None else None

    def field(name: str) -> str | None:
        v = getattr(meta, name, None) if meta is not None else None
        return v.strip() if isinstance(v, str) and v.strip() else None

    page_url = url or field("url")
    title = field("title") or hints.title
    return {
        "id": url_article_id(page_url) if page_url else None,
        "text": _without_headline(text, title),
        "title": title,
        "published": field("date") or (hints.published.isoformat() if hints.published else None),
        # the page's own name for its site; trafilatura falls back to the host. Never the feed's title:
        # one page is one article, with one outlet, whether read from a feed, by its URL or from an archive.
        "outlet": field("sitename") or (host_name(page_url) if page_url else None),
        "url": page_url,
    }


def _without_headline(text: str, title: str | None) -> str:
    """The story's paragraphs, a blank line between them (as in every other input), without the headline
    trafilatura keeps as its first line (the title holds it)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if title and len(lines) > 1 and " ".join(lines[0].split()).casefold() == " ".join(title.split()).casefold():
        lines = lines[1:]
    return "\n\n".join(lines)
